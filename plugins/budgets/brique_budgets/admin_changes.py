"""The changes admins make to budgets and projects.

Each change writes its action log entry (values before and after) in the caller's
transaction: the caller commits both, or neither. Deletions are refused once votes
are cast; the rows are locked first, so a ballot cast meanwhile is either counted in
the refusal or waits for the deletion to fail it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update

from brique.plugin_api import Component, User, db, log_action
from brique_budgets import admin_queries as queries
from brique_budgets.models import Ballot, BallotItem, Budget, Project

BUDGET_FIELDS = ("title", "description", "amount", "scope_id", "position")
PROJECT_FIELDS = (
    "title",
    "description",
    "cost",
    "category_id",
    "scope_id",
    "address",
    "feasibility",
    "feasibility_explanation",
    "selected",
)


class ChangeRefused(Exception):
    """A change the votes already cast forbid; its message says why, to people."""


def values_of(row: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _assign(row: Any, data: Mapping[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if name in data:
            setattr(row, name, data[name])


def _lock_row(model: type, row_id: int) -> None:
    """Hold a budget's or a project's row until the commit.

    On SQLite, a first write takes the database's write lock. On PostgreSQL, ``FOR UPDATE``
    waits for the transactions creating ballots or ballot lines that refer to the row
    (their foreign keys lock it too), then holds back new ones.
    """
    db.session.execute(
        update(model).where(model.id == row_id).values(created_at=model.created_at),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(select(model.id).where(model.id == row_id).with_for_update())


def lock_budget(budget: Budget) -> None:
    """Hold ``budget`` until the commit: two imports into it run one after the other."""
    _lock_row(Budget, budget.id)


def _lock_ballots(condition: Any) -> None:
    """Wait for the ballots being changed or cast (PostgreSQL; SQLite is already locked)."""
    db.session.execute(select(Ballot.id).where(condition).with_for_update())


# --- Budgets ---------------------------------------------------------------------------------


def add_budget(component: Component, user: User, data: Mapping[str, Any]) -> Budget:
    budget = Budget(component_id=component.id)
    _assign(budget, data, BUDGET_FIELDS)
    db.session.add(budget)
    db.session.flush()
    log_action(user, "budgets.add_budget", budget, after=values_of(budget, BUDGET_FIELDS))
    return budget


def edit_budget(budget: Budget, user: User, data: Mapping[str, Any]) -> None:
    before = values_of(budget, BUDGET_FIELDS)
    _assign(budget, data, BUDGET_FIELDS)
    db.session.flush()
    log_action(
        user, "budgets.edit_budget", budget, before=before, after=values_of(budget, BUDGET_FIELDS)
    )


def delete_budget(budget: Budget, user: User) -> None:
    """Delete ``budget`` with its projects and the carts in it; refused once votes are cast.

    :raises ChangeRefused: when ballots are cast or paper votes counted in it.
    """
    _lock_row(Budget, budget.id)
    _lock_ballots(Ballot.budget_id == budget.id)
    cast = queries.cast_ballots_in(budget.id)
    if cast:
        raise ChangeRefused(
            ngettext(
                "%(num)d ballot is cast in this budget: it cannot be deleted.",
                "%(num)d ballots are cast in this budget: it cannot be deleted.",
                cast,
            )
        )
    if queries.station_counts_in(budget.id):
        raise ChangeRefused(_("Paper votes are counted in this budget: it cannot be deleted."))
    before = {**values_of(budget, BUDGET_FIELDS), "projects": len(budget.projects)}
    log_action(user, "budgets.delete_budget", budget, before=before)
    db.session.delete(budget)
    db.session.flush()


# --- Projects --------------------------------------------------------------------------------


def add_project(
    budget: Budget,
    user: User | None,
    data: Mapping[str, Any],
    *,
    verb: str = "budgets.add_project",
    source: Mapping[str, Any] | None = None,
) -> Project:
    """A new project of ``budget``; ``source`` tells the log where an imported one came from."""
    project = Project(budget_id=budget.id, component_id=budget.component_id)
    _assign(project, data, PROJECT_FIELDS)
    db.session.add(project)
    db.session.flush()
    log_action(user, verb, project, after={**values_of(project, PROJECT_FIELDS), **(source or {})})
    return project


def edit_project(project: Project, user: User, data: Mapping[str, Any]) -> None:
    before = values_of(project, PROJECT_FIELDS)
    _assign(project, data, PROJECT_FIELDS)
    db.session.flush()
    after = values_of(project, PROJECT_FIELDS)
    log_action(user, "budgets.edit_project", project, before=before, after=after)


def delete_project(project: Project, user: User) -> None:
    """Delete ``project``, taking it out of the carts; refused once it has votes.

    :raises ChangeRefused: when cast ballots hold it or paper votes for it are counted.
    """
    _lock_row(Project, project.id)
    holding = select(BallotItem.ballot_id).where(BallotItem.project_id == project.id)
    _lock_ballots(Ballot.id.in_(holding))
    cast = queries.cast_ballots_holding(project.id)
    if cast:
        raise ChangeRefused(
            ngettext(
                "%(num)d cast ballot holds this project: it cannot be deleted.",
                "%(num)d cast ballots hold this project: it cannot be deleted.",
                cast,
            )
        )
    if queries.station_counts_of(project.id):
        raise ChangeRefused(_("Paper votes for this project are counted: it cannot be deleted."))
    log_action(user, "budgets.delete_project", project, before=values_of(project, PROJECT_FIELDS))
    db.session.delete(project)
    db.session.flush()


def put_to_vote(projects: Iterable[Project], user: User, selected: bool) -> list[Project]:
    """Put ``projects`` to the vote (or take them out): those changed, each logged.

    Projects that are not feasible are never put to the vote: the caller tells which.
    """
    changed = []
    for project in projects:
        if project.selected == selected or (selected and project.feasibility == "not_feasible"):
            continue
        project.selected = selected
        log_action(
            user,
            "budgets.edit_project",
            project,
            before={"selected": not selected},
            after={"selected": selected},
        )
        changed.append(project)
    db.session.flush()
    return changed
