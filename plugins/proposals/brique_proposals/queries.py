"""Reading proposals for the list: filters, sorts and one page, in a bounded number of queries.

A page costs the same queries whatever its length: its count, the page itself (with its
authors and coauthors), then one batched lookup each for what the reader supports, the
comment counts and what moderation hides. Random order reads the ``random_key`` index
rotated by the visitor's seed: keys from the seed up, then keys below it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from brique.plugin_api import (
    Component,
    Scope,
    comment_counts,
    db,
    hidden_ids,
    search_matches,
)
from brique_proposals.answer_states import StateChoice
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Coauthorship, Proposal, Support
from brique_proposals.supports import supported_ids

PER_PAGE = 20

SORT_LABELS = {
    "random": _l("Random"),
    "recent": _l("Most recent"),
    "most_supported": _l("Most supported"),
    "most_commented": _l("Most commented"),
}
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Filters:
    """What the reader asked the list for; every field has a neutral default."""

    sort: str = "random"
    category: int | None = None
    scope: int | None = None
    state: str = ""
    mine: bool = False
    supported: bool = False
    qualified: bool = False
    text: str = ""
    page: int = 1

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query arguments for a link to the list with these filters (and ``changes``)."""
        chosen = replace(self, **changes)
        values = {
            "sort": chosen.sort,
            "category": chosen.category,
            "scope": chosen.scope,
            "state": chosen.state,
            "mine": 1 if chosen.mine else None,
            "supported": 1 if chosen.supported else None,
            "qualified": 1 if chosen.qualified else None,
            "q": chosen.text,
            "page": chosen.page if chosen.page > 1 else None,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}

    @property
    def narrowed(self) -> bool:
        """Whether any filter (not the order) narrows the list."""
        return bool(set(self.args()) - {"sort", "page"})


@dataclass(frozen=True)
class Choices:
    """What the filter form offers: ``(value, label)`` pairs."""

    sorts: list[tuple[str, str]]
    categories: list[tuple[int, str]]
    scopes: list[tuple[int, str]]
    states: list[tuple[str, str]]
    default_sort: str


def read_filters(args: Mapping[str, Any], choices: Choices, personal: bool) -> Filters:
    """The filters in the query string; values the form does not offer are ignored."""
    sort = args.get("sort", "")
    state = args.get("state", "")
    return Filters(
        sort=sort if sort in dict(choices.sorts) else choices.default_sort,
        category=_choice(args.get("category"), choices.categories),
        scope=_choice(args.get("scope"), choices.scopes),
        state=state if state in dict(choices.states) else "",
        mine=personal and bool(args.get("mine")),
        supported=personal and bool(args.get("supported")),
        qualified=bool(args.get("qualified")),
        text=" ".join(str(args.get("q", "")).split())[:100],
        page=max(1, _integer(args.get("page")) or 1),
    )


def _integer(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _choice(value: Any, offered: list[tuple[int, str]]) -> int | None:
    number = _integer(value)
    return number if number in dict(offered) else None


def filter_choices(
    component: Component,
    default_sort: str,
    counts_hidden: bool,
    badges: dict[str, StateChoice],
) -> Choices:
    """The categories, scopes, answer states and sorts the list of ``component`` offers."""
    sorts = [(key, str(label)) for key, label in SORT_LABELS.items()]
    if counts_hidden:  # ordering by supports would tell the hidden counts
        sorts = [(key, label) for key, label in sorts if key != "most_supported"]
    if default_sort not in dict(sorts):
        default_sort = "random"
    states = [(key, badge.label) for key, badge in badges.items()]
    states.append((WITHDRAWN, str(_l("Withdrawn"))))
    return Choices(
        sorts=sorts,
        categories=[
            (category.id, f"\N{EN DASH} {category.name}" if category.parent_id else category.name)
            for category in _categories(component)
        ],
        scopes=territory_choices(component),
        states=states,
        default_sort=default_sort,
    )


def _categories(component: Component) -> list[Any]:
    """The space's categories, each parent followed by its subcategories."""
    categories = list(component.space.categories)
    parents = [category for category in categories if category.parent_id is None]
    ordered = []
    for parent in parents:
        ordered.append(parent)
        ordered.extend(child for child in categories if child.parent_id == parent.id)
    return ordered + [category for category in categories if category not in ordered]


def territory_choices(component: Component) -> list[tuple[int, str]]:
    """The territories a proposal of ``component`` may be about, as the form offers them.

    Read from the scopes table, not from the proposals: a component with 100,000 proposals
    would otherwise scan them all on every page of the list.
    """
    from brique_proposals.authoring import scope_choices

    return scope_choices(component.space)


# --- The statement ------------------------------------------------------------------------


def filtered(component: Component, filters: Filters, user: Any) -> Select:
    """The proposals of ``component`` the filters keep, in no order."""
    status = WITHDRAWN if filters.state == WITHDRAWN else "published"
    statement = select(Proposal).where(
        Proposal.component_id == component.id, Proposal.status == status
    )
    conditions = [
        _answer_condition(filters.state),
        _category_condition(component, filters.category),
        _scope_condition(filters.scope),
        _personal_conditions(component, filters, user),
        Proposal.qualified_at.is_not(None) if filters.qualified else None,
        _text_condition(component, filters.text),
    ]
    return statement.where(*(condition for condition in conditions if condition is not None))


def _answer_condition(state: str) -> Any:
    if state in ("", WITHDRAWN):
        return None
    if state == "not_answered":
        return or_(Proposal.answer_published.is_(False), Proposal.answer_state == state)
    return Proposal.answer_published.is_(True) & (Proposal.answer_state == state)


def _category_condition(component: Component, category_id: int | None) -> Any:
    if category_id is None:
        return None
    children = [c.id for c in component.space.categories if c.parent_id == category_id]
    return Proposal.category_id.in_([category_id, *children])


def _scope_condition(scope_id: int | None) -> Any:
    if scope_id is None:
        return None
    nested = select(Scope.id).where(or_(Scope.id == scope_id, Scope.parent_id == scope_id))
    return Proposal.scope_id.in_(nested)


def _personal_conditions(component: Component, filters: Filters, user: Any) -> Any:
    if not getattr(user, "is_authenticated", False):
        return None
    conditions = []
    if filters.mine:
        coauthored = select(Coauthorship.proposal_id).where(
            Coauthorship.user_id == user.id, Coauthorship.accepted_at.is_not(None)
        )
        conditions.append(or_(Proposal.author_id == user.id, Proposal.id.in_(coauthored)))
    if filters.supported:
        supported = select(Support.proposal_id).where(
            Support.user_id == user.id, Support.component_id == component.id
        )
        conditions.append(Proposal.id.in_(supported))
    return and_(*conditions) if conditions else None


def _text_condition(component: Component, text: str) -> Any:
    """Every word, in the title or the text, through the site's search index (accents,
    case and stems handled as in the search box)."""
    matches = search_matches(RESOURCE_TYPE, component, text)
    return None if matches is None else Proposal.id.in_(matches)


# --- One page ------------------------------------------------------------------------------


@dataclass
class ProposalPage:
    """One page of the list, with what its cards show; the pagination of the page macro."""

    items: list[Proposal]
    page: int
    per_page: int
    total: int
    supported: set[int] = field(default_factory=set)
    comments: dict[int, int] = field(default_factory=dict)
    hidden: set[int] = field(default_factory=set)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self) -> Iterator[int | None]:
        """Page numbers around the current one, ``None`` for a gap."""
        shown = {1, 2, self.pages - 1, self.pages, *range(self.page - 2, self.page + 3)}
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if number > previous + 1:
                yield None
            yield number
            previous = number


def proposal_page(
    component: Component, filters: Filters, user: Any, seed: float, per_page: int = PER_PAGE
) -> ProposalPage:
    """The page of proposals the filters ask for, with the batched lookups of its cards."""
    statement = filtered(component, filters, user)
    if filters.sort == "most_commented":
        page = _most_commented_page(statement, filters.page, per_page)
    else:
        page = _sorted_page(statement, filters, seed, per_page)
    ids = [proposal.id for proposal in page.items]
    page.supported = supported_ids(user, ids)
    page.hidden = hidden_ids(RESOURCE_TYPE, ids)
    if filters.sort != "most_commented":
        page.comments = comment_counts(RESOURCE_TYPE, ids) if ids else {}
    return page


def _count(statement: Select) -> int:
    return db.session.scalar(statement.with_only_columns(func.count(Proposal.id)).order_by(None))


def _sorted_page(statement: Select, filters: Filters, seed: float, per_page: int) -> ProposalPage:
    total = _count(statement)
    number = min(filters.page, max(1, math.ceil(total / per_page)))
    offset = (number - 1) * per_page
    if filters.sort == "random":
        loaded = _random_slice(statement, seed, offset, per_page)
    else:
        order = {
            "recent": (Proposal.published_at.desc(), Proposal.id.desc()),
            "most_supported": (Proposal.supports_count.desc(), Proposal.id.desc()),
        }[filters.sort]
        loaded = _load(statement.order_by(*order).offset(offset).limit(per_page))
    return ProposalPage(loaded, number, per_page, total)


def _load(statement: Select) -> list[Proposal]:
    """The proposals of ``statement`` with their authors and coauthors (for the cards and
    for moderation, which asks who wrote each)."""
    return list(
        db.session.scalars(
            statement.options(
                joinedload(Proposal.author),
                selectinload(Proposal.coauthorships).joinedload(Coauthorship.user),
            )
        ).unique()
    )


def _random_slice(statement: Select, seed: float, offset: int, limit: int) -> list[Proposal]:
    """Keys from ``seed`` up, then from 0 to ``seed``: each half reads the index in order
    and stops after ``offset + limit`` rows."""
    keys = statement.with_only_columns(Proposal.id, Proposal.random_key)
    enough = offset + limit
    upper = keys.where(Proposal.random_key >= seed).order_by(Proposal.random_key).limit(enough)
    lower = keys.where(Proposal.random_key < seed).order_by(Proposal.random_key).limit(enough)
    halves = [
        select(half.c.id, half.c.random_key, literal(part).label("part"))
        for part, half in enumerate((upper.subquery(), lower.subquery()))
    ]
    rotated = union_all(*halves).subquery()
    window = (
        select(rotated.c.id, rotated.c.part, rotated.c.random_key)
        .order_by(rotated.c.part, rotated.c.random_key, rotated.c.id)
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    return _load(
        select(Proposal)
        .join(window, window.c.id == Proposal.id)
        .order_by(window.c.part, window.c.random_key, window.c.id)
    )


def _most_commented_page(statement: Select, number: int, per_page: int) -> ProposalPage:
    """Most comments first (then the newest), read in the order of the kept counts' index."""
    total = _count(statement)
    number = min(number, max(1, math.ceil(total / per_page)))
    order = (Proposal.comments_count.desc(), Proposal.id.desc())
    items = _load(statement.order_by(*order).offset((number - 1) * per_page).limit(per_page))
    counts = {p.id: p.comments_count for p in items if p.comments_count}
    return ProposalPage(items, number, per_page, total, comments=counts)
