"""One ballot per voter and budget, one budget per voter when the workflow says so, never
over the rules: held by the database, under parallel requests too."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from tests_budgets_support import add, cast, project_ids, url

from brique_budgets.models import Ballot, BallotItem

PROJECTS = [("Trees", 40_000), ("Skate park", 50_000), ("Bike racks", 20_000)]
PARALLEL = 8


def test_two_ballots_of_one_voter_in_one_budget_are_refused_by_the_database(
    db, component, make_budget, dummy_user
):
    budget = make_budget(component, 100_000, PROJECTS)
    for _ in range(2):
        db.session.add(
            Ballot(budget_id=budget.id, component_id=component.id, user_id=dummy_user.id)
        )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_budget_per_voter_when_the_workflow_says_so(
    client, login, dummy_user, make_component, make_budget, db
):
    component = make_component(settings={"workflow": "one"})
    north = make_budget(component, 100_000, PROJECTS, title="North")
    south = make_budget(component, 100_000, PROJECTS, title="South")
    login(dummy_user)
    add(client, north, project_ids(north)[0])
    assert cast(client, north).status_code == 302
    add(client, south, project_ids(south)[0])
    refused = cast(client, south)
    assert refused.status_code == 422 and "one budget per person" in refused.text
    assert db.session.scalar(select(func.count()).where(Ballot.cast_at.is_not(None))) == 1


def test_every_budget_when_the_workflow_allows_it(
    client, login, dummy_user, component, make_budget, db
):
    north = make_budget(component, 100_000, PROJECTS, title="North")
    south = make_budget(component, 100_000, PROJECTS, title="South")
    login(dummy_user)
    for budget in (north, south):
        add(client, budget, project_ids(budget)[0])
        assert cast(client, budget).status_code == 302


def test_district_budgets_take_the_voters_of_their_district_only(
    client, login, dummy_user, create_user, make_component, make_budget, db
):
    from brique.models import Authorization
    from brique.plugin_api import Scope

    north_scope = Scope(name="Nord")
    db.session.add(north_scope)
    db.session.commit()
    component = make_component(settings={"workflow": "district"})
    north = make_budget(component, 100_000, PROJECTS, title="North", scope_id=north_scope.id)
    resident = create_user("resident")
    db.session.add(
        Authorization(user_id=resident.id, handler="residency", data={"district": "nord"})
    )
    db.session.commit()
    login(dummy_user)
    refused = add(client, north, project_ids(north)[0])
    assert refused.status_code == 403 and "Verify your residency first" in refused.text
    login(resident)
    add(client, north, project_ids(north)[0])
    assert cast(client, north).status_code == 302


# --- Parallel requests ---------------------------------------------------------------------


def post_in_parallel(app, user_id, requests):
    """Send ``(path, data)`` POSTs of one voter from separate threads."""

    def send(request):
        path, data = request
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
        with app.app_context():
            return client.post(path, data=data).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(send, requests))


def test_parallel_additions_and_checkouts_never_cast_a_ballot_over_the_budget(
    app, db, component, make_budget, dummy_user
):
    budget = make_budget(component, 100_000, PROJECTS)
    first, second, third = project_ids(budget)
    paths = {name: url(budget, f"ballot/{name}") for name in ("add", "cast")}
    db.session.commit()
    add_first = [(paths["add"], {"project_id": first})]
    requests = add_first + [
        (paths["add"], {"project_id": project_id}) if n % 2 else (paths["cast"], {})
        for n, project_id in enumerate([second, third] * 6)
    ]
    statuses = post_in_parallel(app, dummy_user.get_id(), requests)
    assert set(statuses) <= {302, 303, 422}
    db.session.expire_all()
    ballot = db.session.scalar(select(Ballot))
    items = db.session.scalars(select(BallotItem).where(BallotItem.ballot_id == ballot.id)).all()
    if ballot.cast_at is not None:
        cost = sum(item.project.cost for item in items)
        assert cost <= 100_000 and cost == ballot.total_cost


def test_parallel_checkouts_of_one_voter_cast_one_ballot(
    app, db, component, make_budget, dummy_user, client, login
):
    budget = make_budget(component, 100_000, PROJECTS)
    login(dummy_user)
    add(client, budget, project_ids(budget)[0])
    db.session.commit()
    statuses = post_in_parallel(app, dummy_user.get_id(), [(url(budget, "ballot/cast"), {})] * 12)
    assert statuses.count(302) == 1 and set(statuses) == {302, 303}
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert db.session.scalar(select(Ballot.receipt_hash)) is not None


def test_parallel_checkouts_in_two_budgets_keep_one_budget_per_voter(
    app, db, make_component, make_budget, dummy_user, client, login
):
    component = make_component(settings={"workflow": "one"})
    budgets = [make_budget(component, 100_000, PROJECTS, title=f"B{n}") for n in range(4)]
    login(dummy_user)
    for budget in budgets:
        add(client, budget, project_ids(budget)[0])
    db.session.commit()
    requests = [(url(budget, "ballot/cast"), {}) for budget in budgets] * 3
    statuses = post_in_parallel(app, dummy_user.get_id(), requests)
    assert statuses.count(302) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Ballot.cast_at.is_not(None))) == 1
