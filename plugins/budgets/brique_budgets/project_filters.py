"""The budget page's project list: filters by category and district, and its order, read
from the query string so that the list works without JavaScript and links keep it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from brique.plugin_api import Category, Scope, db
from brique_budgets.models import Budget, Project

ORDERS = {
    "title": (_l("Title"), (Project.title, Project.id)),
    "cost": (_l("Least expensive first"), (Project.cost, Project.id)),
    "cost_desc": (_l("Most expensive first"), (Project.cost.desc(), Project.id)),
}


@dataclass(frozen=True)
class ProjectFilters:
    category: int | None = None
    scope: int | None = None
    order: str = "title"

    @classmethod
    def from_args(cls, args: Any) -> ProjectFilters:
        order = args.get("order", "title")
        return cls(
            args.get("category", type=int),
            args.get("scope", type=int),
            order if order in ORDERS else "title",
        )

    @property
    def narrowed(self) -> bool:
        return self.category is not None or self.scope is not None

    def statement(self, budget: Budget) -> Select:
        statement = select(Project).where(
            Project.budget_id == budget.id, Project.selected.is_(True)
        )
        if self.category is not None:
            statement = statement.where(Project.category_id == self.category)
        if self.scope is not None:
            statement = statement.where(Project.scope_id == self.scope)
        return statement.order_by(*ORDERS[self.order][1])


def choices(budget: Budget) -> dict[str, list[tuple[int, str]]]:
    """The categories and districts of the budget's projects on the ballot, by name."""
    on_ballot = select(Project).where(Project.budget_id == budget.id, Project.selected.is_(True))
    categories = db.session.execute(
        select(Category.id, Category.name)
        .where(Category.id.in_(on_ballot.with_only_columns(Project.category_id)))
        .order_by(Category.name)
    ).all()
    scopes = db.session.execute(
        select(Scope.id, Scope.name)
        .where(Scope.id.in_(on_ballot.with_only_columns(Project.scope_id)))
        .order_by(Scope.name)
    ).all()
    return {"categories": [tuple(r) for r in categories], "scopes": [tuple(r) for r in scopes]}
