"""Deleting a budget or a project while a participant casts a ballot holding it: the
deletion waits for the ballot and refuses; the vote is never lost."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, update

from brique.plugin_api import User, db, now
from brique_budgets import admin_changes
from brique_budgets.models import Ballot, BallotItem, Budget, Project

#: How long the voter's transaction stays open once the deletion has started.
HOLD = 0.3


@pytest.fixture
def voting(app, component, make_budget, create_user):
    """A budget with one project in a participant's cart."""
    budget = make_budget(component, projects=[("Bancs", 5_000)])
    ballot = Ballot(budget_id=budget.id, component_id=component.id, user_id=create_user().id)
    db.session.add(ballot)
    db.session.flush()
    db.session.add(BallotItem(ballot_id=ballot.id, project_id=budget.projects[0].id, position=1))
    db.session.commit()
    return budget.id, budget.projects[0].id, ballot.id


def run_while_casting(app, ballot_id, delete):
    """Cast the ballot in one thread; once it is cast but not committed, ``delete`` in
    another. What ``delete`` raised or returned, as text."""
    cast, outcome = threading.Event(), []

    def voter():
        with app.app_context():
            db.session.execute(
                update(Ballot).where(Ballot.id == ballot_id).values(cast_at=now(), version=1)
            )
            cast.set()
            time.sleep(HOLD)
            db.session.commit()

    def admin():
        cast.wait()
        with app.app_context():
            try:
                delete()
                db.session.commit()
                outcome.append("deleted")
            except admin_changes.ChangeRefused as refused:
                db.session.rollback()
                outcome.append(str(refused))

    threads = [threading.Thread(target=voter), threading.Thread(target=admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome[0]


def test_a_budget_deleted_while_a_ballot_is_cast_is_kept(app, voting, admin_user):
    budget_id, _project_id, ballot_id = voting
    admin_id = admin_user.id

    def delete():
        budget, user = db.session.get(Budget, budget_id), db.session.get(User, admin_id)
        admin_changes.delete_budget(budget, user)

    outcome = run_while_casting(app, ballot_id, delete)
    assert outcome == "1 ballot is cast in this budget: it cannot be deleted."
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_a_project_deleted_while_a_ballot_holding_it_is_cast_is_kept(app, voting, admin_user):
    _budget_id, project_id, ballot_id = voting
    admin_id = admin_user.id

    def delete():
        project, user = db.session.get(Project, project_id), db.session.get(User, admin_id)
        admin_changes.delete_project(project, user)

    outcome = run_while_casting(app, ballot_id, delete)
    assert outcome == "1 cast ballot holds this project: it cannot be deleted."
    assert db.session.scalar(select(func.count()).select_from(BallotItem)) == 1
