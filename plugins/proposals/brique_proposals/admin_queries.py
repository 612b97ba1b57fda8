"""The staff's list of proposals: filters, sorts, counts per answer state, one page.

A page costs the same queries whatever the number of proposals: the count and the page,
the counts per state, the page's valuators, what moderation hides of the page, and the
component's states, categories, scopes and valuators.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, not_, select
from werkzeug.datastructures import MultiDict

from brique.plugin_api import Component, User, db
from brique_proposals.models import ORIGINS, Proposal, ValuatorAssignment
from brique_proposals.valuation import assigned_condition

PER_PAGE = 50

SORTS = {
    "recent": (Proposal.published_at.desc(), Proposal.id.desc()),
    "oldest": (Proposal.published_at.asc(), Proposal.id.asc()),
    "most_supported": (Proposal.supports_count.desc(), Proposal.id.desc()),
    "least_supported": (Proposal.supports_count.asc(), Proposal.id.asc()),
    "title": (func.lower(Proposal.title).asc(), Proposal.id.asc()),
}
SORT_LABELS = {
    "recent": _l("Most recent"),
    "oldest": _l("Oldest"),
    "most_supported": _l("Most supported"),
    "least_supported": _l("Least supported"),
    "title": _l("Title"),
}
STATUSES = ("published", "withdrawn", "merged", "split")
STATUS_LABELS = {
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
    "merged": _l("Merged"),
    "split": _l("Split into parts"),
}
#: The state filter's extra choice: answers given but not published yet.
HELD = "held"


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@dataclass(frozen=True)
class Filters:
    """What the list shows, from the page's query string; unknown values are ignored."""

    state: str = ""
    category: int | None = None
    scope: int | None = None
    #: A valuator's id, or ``"none"`` for proposals nobody evaluates.
    valuator: str = ""
    #: ``"yes"``: proposals that reached the support threshold; ``"no"``: the others.
    qualified: str = ""
    origin: str = ""
    status: str = ""
    q: str = ""
    sort: str = "recent"

    @classmethod
    def from_args(cls, args: MultiDict, state_keys: set[str]) -> Filters:
        valuator = args.get("valuator", "")
        return cls(
            state=_one_of(args.get("state", ""), state_keys | {HELD}),
            category=_int(args.get("category")),
            scope=_int(args.get("scope")),
            valuator=valuator if valuator == "none" or valuator.isdigit() else "",
            qualified=_one_of(args.get("qualified", ""), {"yes", "no"}),
            origin=_one_of(args.get("origin", ""), set(ORIGINS)),
            status=_one_of(args.get("status", ""), set(STATUSES)),
            q=args.get("q", "").strip()[:100],
            sort=_one_of(args.get("sort", ""), set(SORTS)) or "recent",
        )

    def args(self) -> dict[str, Any]:
        """The filters as query arguments, leaving out the defaults (for links)."""
        values = {key: value for key, value in asdict(self).items() if value not in ("", None)}
        if values.get("sort") == "recent":
            del values["sort"]
        return values

    @property
    def active(self) -> bool:
        return bool(set(self.args()) - {"sort"})


def _one_of(value: str, allowed: set[str]) -> str:
    return value if value in allowed else ""


def base_query(component: Component, valuator: User | None = None) -> Select:
    """The proposals staff see: every one but drafts, or those assigned to ``valuator``."""
    statement = select(Proposal).where(
        Proposal.component_id == component.id, Proposal.status != "draft"
    )
    if valuator is not None:
        statement = statement.where(assigned_condition(valuator))
    return statement


def list_query(component: Component, filters: Filters, valuator: User | None = None) -> Select:
    """The filtered, sorted list."""
    statement = base_query(component, valuator)
    for condition in _conditions(filters):
        statement = statement.where(condition)
    return statement.order_by(*SORTS[filters.sort])


def _conditions(filters: Filters) -> list[Any]:
    conditions: list[Any] = []
    if filters.state == HELD:
        conditions += [
            Proposal.answer_published.is_(False),
            Proposal.answer_state != "not_answered",
        ]
    elif filters.state:
        conditions.append(Proposal.answer_state == filters.state)
    if filters.category is not None:
        conditions.append(Proposal.category_id == filters.category)
    if filters.scope is not None:
        conditions.append(Proposal.scope_id == filters.scope)
    if filters.valuator:
        conditions.append(_valuator_condition(filters.valuator))
    if filters.qualified:
        qualified = Proposal.qualified_at.is_not(None)
        conditions.append(qualified if filters.qualified == "yes" else not_(qualified))
    if filters.origin:
        conditions.append(Proposal.origin == filters.origin)
    if filters.status:
        conditions.append(Proposal.status == filters.status)
    if filters.q:
        conditions.append(_search(filters.q))
    return conditions


def _valuator_condition(valuator: str) -> Any:
    assigned = select(ValuatorAssignment.id).where(ValuatorAssignment.proposal_id == Proposal.id)
    if valuator == "none":
        return ~assigned.exists()
    return assigned.where(ValuatorAssignment.user_id == int(valuator)).exists()


def _search(text: str) -> Any:
    by_title = Proposal.title.icontains(text, autoescape=True)
    number = text.lstrip("#")
    return (Proposal.id == int(number)) | by_title if number.isdigit() else by_title


@dataclass(frozen=True)
class StateCount:
    total: int = 0
    #: Of which answers held, not published yet.
    held: int = 0


def state_counts(component: Component, valuator: User | None = None) -> dict[str, StateCount]:
    """How many proposals (drafts aside) have each answer state, and how many are held."""
    inner = base_query(component, valuator).subquery()
    rows = select(inner.c.answer_state, inner.c.answer_published, func.count()).group_by(
        inner.c.answer_state, inner.c.answer_published
    )
    counts: dict[str, StateCount] = {}
    for state, published, count in db.session.execute(rows):
        current = counts.get(state, StateCount())
        held = count if not published and state != "not_answered" else 0
        counts[state] = StateCount(current.total + count, current.held + held)
    return counts
