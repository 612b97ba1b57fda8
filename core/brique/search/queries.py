"""Searching the index for one person: what they may see, one page at a time.

Visibility is decided in SQL from the space and component of each document
(published, private and the person's roles) and from moderation (hidden by
moderators), so hidden content never reaches Python, let alone a page. What
blocked people wrote is taken out of the index when they are blocked; the page's
results are checked against moderation again (``hidden_ids``), then
``can(user, "view", ...)`` confirms each of them. A page takes the same number of
queries whatever its length: the page, its count, the counts by type, a few per
resource type shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, func, or_, select

from brique.db import db
from brique.models import Comment, Component, Moderation, SearchDocument, Space, SpaceRole, User
from brique.models.search import SPACE_DOCUMENT
from brique.moderation.visibility import hidden_ids
from brique.permissions import can
from brique.resources import resource_types
from brique.search.backends import backend_for
from brique.search.comments import COMMENT_DOCUMENT
from brique.search.text import highlight, query_words

PER_PAGE = 20
SNIPPET_LENGTH = 240
SPACE_LABEL = _l("Process")
COMMENT_LABEL = _l("Comment")


@dataclass(frozen=True)
class SearchCriteria:
    """What a person searches for; empty criteria find nothing."""

    query: str = ""
    space: Space | None = None
    type: str | None = None
    start: date | None = None
    end: date | None = None
    sort: str = "relevance"
    page: int = 1

    @property
    def words(self) -> list[str]:
        return query_words(self.query)

    @property
    def empty(self) -> bool:
        return not (self.words or self.space or self.type or self.start or self.end)


@dataclass(frozen=True)
class SearchResult:
    """One result as the page shows it."""

    type_label: str
    url: str
    title: Markup
    snippet: Markup
    space: Space
    component: Component | None
    created_at: datetime
    is_space: bool = False


@dataclass
class SearchPage:
    """One page of results, the pagination and how many results each type has."""

    results: list[SearchResult]
    pagination: Pagination | None
    counts_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return (self.pagination.total or 0) if self.pagination else 0


class RowsPagination(SelectPagination):
    """Pages of rows of several entities (a document, its space and component)."""

    def _query_items(self) -> list[Any]:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement))


def type_choices() -> list[tuple[str, str]]:
    """``(value, label)`` of what one can search: processes, then searchable resource types."""
    searchable = sorted(
        (str(rtype.label), name) for name, rtype in resource_types().items() if rtype.searchable
    )
    return [
        (SPACE_DOCUMENT, str(SPACE_LABEL)),
        *((name, label) for label, name in searchable),
        (COMMENT_DOCUMENT, str(COMMENT_LABEL)),
    ]


def search(user: User | None, criteria: SearchCriteria, per_page: int = PER_PAGE) -> SearchPage:
    if criteria.empty:
        return SearchPage([], None)
    statement, rank = _matching(_visible(select(SearchDocument, Space, Component), user), criteria)
    counts = _counts_by_type(statement)
    if criteria.type:
        statement = statement.where(SearchDocument.resource_type == criteria.type)
    order = [SearchDocument.created_at.desc(), SearchDocument.id.desc()]
    if rank is not None and criteria.sort == "relevance":
        order.insert(0, rank)
    pagination = RowsPagination(
        select=statement.order_by(*order),
        session=db.session(),
        page=criteria.page,
        per_page=per_page,
        error_out=False,
    )
    return SearchPage(_results(user, pagination.items, criteria.words), pagination, counts)


def _visible(statement: Select, user: User | None) -> Select:
    """Documents of published spaces the person may enter, in published components,
    not hidden by moderators."""
    statement = statement.join(Space, Space.id == SearchDocument.space_id).outerjoin(
        Component, Component.id == SearchDocument.component_id
    )
    hidden = select(Moderation.id).where(
        Moderation.target_type == SearchDocument.resource_type,
        Moderation.target_id == SearchDocument.resource_id,
        Moderation.hidden_at.is_not(None),
    )
    statement = statement.where(
        Space.published_at.is_not(None),
        or_(SearchDocument.component_id.is_(None), Component.published_at.is_not(None)),
        ~hidden.exists(),
    )
    if user is None or not user.is_active:
        return statement.where(Space.is_private.is_(False))
    if user.is_admin:
        return statement
    own_spaces = select(SpaceRole.space_id).where(SpaceRole.user_id == user.id)
    return statement.where(or_(Space.is_private.is_(False), Space.id.in_(own_spaces)))


def _matching(statement: Select, criteria: SearchCriteria) -> tuple[Select, Any]:
    if criteria.space is not None:
        statement = statement.where(SearchDocument.space_id == criteria.space.id)
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    if criteria.start is not None:
        statement = statement.where(SearchDocument.created_at >= _utc(criteria.start, zone))
    if criteria.end is not None:
        next_day = criteria.end + timedelta(days=1)
        statement = statement.where(SearchDocument.created_at < _utc(next_day, zone))
    if not criteria.words:
        return statement, None
    return backend_for(db.engine.dialect.name).matching(statement, criteria.words)


def search_matches(type_name: str, component: Component, text: str) -> Select | None:
    """Ids of the resources of ``type_name`` in ``component`` whose indexed title or text
    holds every word of ``text`` — accents, case, French and English stems handled as in the
    site's search — as a subquery: ``Model.id.in_(search_matches(...))``. ``None`` when
    ``text`` holds no word worth searching. Only what the index holds is found: public
    resources, not hidden by moderation."""
    words = query_words(text)
    if not words:
        return None
    statement = select(SearchDocument.resource_id).where(
        SearchDocument.resource_type == type_name, SearchDocument.component_id == component.id
    )
    matched, _rank = backend_for(db.engine.dialect.name).matching(statement, words)
    return matched


def _utc(day: date, zone: ZoneInfo) -> datetime:
    """The start of ``day`` in the institution's timezone, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _counts_by_type(statement: Select) -> dict[str, int]:
    kind: ColumnElement[str] = SearchDocument.resource_type
    grouped = statement.with_only_columns(kind, func.count()).group_by(kind).order_by(None)
    return {row[0]: row[1] for row in db.session.execute(grouped)}


def _results(user: User | None, rows: list[Any], words: list[str]) -> list[SearchResult]:
    resources = _resources([document for document, _, _ in rows])
    results = []
    for document, space, component in rows:
        target = component if component is not None else space
        found = resources.get((document.resource_type, document.resource_id))
        if (document.resource_type != SPACE_DOCUMENT and found is None) or not can(
            user, "view", target
        ):
            continue  # deleted since it was indexed, or a rule SQL does not know of
        results.append(_result(document, space, component, found, words))
    return results


def _resources(documents: list[SearchDocument]) -> dict[tuple[str, int], Any]:
    """The resources of the page's documents still shown, hidden ones left out (the index
    should not hold them, unless writing it failed): a few queries per resource type."""
    wanted: dict[str, list[int]] = {}
    for document in documents:
        if document.resource_type != SPACE_DOCUMENT:
            wanted.setdefault(document.resource_type, []).append(document.resource_id)
    found = {}
    for type_name, ids in wanted.items():
        rtype = resource_types().get(type_name)
        model = Comment if type_name == COMMENT_DOCUMENT else getattr(rtype, "model", None)
        if model is None:
            continue  # its plugin is disabled: its documents stay hidden
        hidden = hidden_ids(type_name, ids)
        for resource in db.session.scalars(select(model).where(model.id.in_(ids))):
            if resource.id not in hidden and not (model is Comment and resource.is_removed):
                found[type_name, resource.id] = resource
    return found


def _result(
    document: SearchDocument,
    space: Space,
    component: Component | None,
    resource: Any,
    words: list[str],
) -> SearchResult:
    if resource is None:
        label, url = str(SPACE_LABEL), url_for("spaces.show", slug=space.slug)
    elif document.resource_type == COMMENT_DOCUMENT:
        label, url = str(COMMENT_LABEL), url_for("comments.show", comment_id=resource.id)
    else:
        rtype = resource_types()[document.resource_type]
        label, url = str(rtype.label), rtype.url(resource)
    return SearchResult(
        type_label=label,
        url=url,
        title=highlight(document.title, words),
        snippet=highlight(document.body, words, around=SNIPPET_LENGTH),
        space=space,
        component=component,
        created_at=document.created_at,
        is_space=resource is None,
    )
