"""What the admin pages read: the budgets with their figures, a budget's projects filtered,
and the votes that forbid deleting a budget or a project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select

from brique.plugin_api import Component, db
from brique_budgets.models import FEASIBILITY, Ballot, BallotItem, Budget, Project, StationCount

PER_PAGE = 100


@dataclass(frozen=True)
class BudgetFigures:
    """What the list of budgets tells of each."""

    projects: int = 0
    selected: int = 0
    ballots: int = 0


def budgets_of(component: Component) -> list[Budget]:
    return list(
        db.session.scalars(
            select(Budget)
            .where(Budget.component_id == component.id)
            .order_by(Budget.position, Budget.id)
        )
    )


def figures_of(budget_ids: Sequence[int]) -> dict[int, BudgetFigures]:
    """Projects, projects put to the vote and cast ballots of each budget, in two queries."""
    projects = db.session.execute(
        select(
            Project.budget_id,
            func.count(),
            func.coalesce(func.sum(case((Project.selected.is_(True), 1), else_=0)), 0),
        )
        .where(Project.budget_id.in_(budget_ids))
        .group_by(Project.budget_id)
    ).all()
    ballots = dict(
        db.session.execute(
            select(Ballot.budget_id, func.count())
            .where(Ballot.budget_id.in_(budget_ids), Ballot.cast_at.is_not(None))
            .group_by(Ballot.budget_id)
        ).all()
    )
    counted = {budget_id: (total, int(chosen)) for budget_id, total, chosen in projects}
    return {
        budget_id: BudgetFigures(*counted.get(budget_id, (0, 0)), ballots.get(budget_id, 0))
        for budget_id in budget_ids
    }


# --- Votes that forbid a deletion ----------------------------------------------------------


def cast_ballots_in(budget_id: int) -> int:
    """Cast ballots of the budget, online or entered from paper."""
    return db.session.scalar(
        select(func.count())
        .select_from(Ballot)
        .where(Ballot.budget_id == budget_id, Ballot.cast_at.is_not(None))
    )


def station_counts_in(budget_id: int) -> int:
    """Projects with paper votes counted at a polling station, in the budget."""
    return db.session.scalar(
        select(func.count())
        .select_from(StationCount)
        .where(StationCount.budget_id == budget_id, StationCount.votes > 0)
    )


def cast_ballots_holding(project_id: int) -> int:
    """Cast ballots that hold the project."""
    return db.session.scalar(
        select(func.count())
        .select_from(BallotItem)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(BallotItem.project_id == project_id, Ballot.cast_at.is_not(None))
    )


def station_counts_of(project_id: int) -> int:
    """Polling stations that counted paper votes for the project."""
    return db.session.scalar(
        select(func.count())
        .select_from(StationCount)
        .where(StationCount.project_id == project_id, StationCount.votes > 0)
    )


# --- Projects of a budget --------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    """The filters of the list of projects, read from the query string."""

    selected: str = ""
    feasibility: str = ""
    category: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, Any], categories: set[int]) -> ProjectFilters:
        """Unknown values are dropped: a stale link shows every project, not an error."""
        selected = args.get("selected", "")
        feasibility = args.get("feasibility", "")
        category = args.get("category", "")
        category_id = int(category) if str(category).isdigit() else None
        return cls(
            selected=selected if selected in ("yes", "no") else "",
            feasibility=feasibility if feasibility in FEASIBILITY else "",
            category=category_id if category_id in categories else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.selected or self.feasibility or self.category)

    def args(self) -> dict[str, Any]:
        """The filters as query arguments, for links to other pages of the list."""
        found = {"selected": self.selected, "feasibility": self.feasibility}
        found["category"] = self.category
        return {key: value for key, value in found.items() if value}


def projects_query(budget: Budget, filters: ProjectFilters) -> Select:
    statement = select(Project).where(Project.budget_id == budget.id)
    if filters.selected:
        statement = statement.where(Project.selected.is_(filters.selected == "yes"))
    if filters.feasibility:
        statement = statement.where(Project.feasibility == filters.feasibility)
    if filters.category is not None:
        statement = statement.where(Project.category_id == filters.category)
    return statement.order_by(Project.title, Project.id)
