"""What the moderation pages read, in a bounded number of queries whatever the page size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from brique.db import db
from brique.models import Comment, Component, Moderation, Report, Space, User
from brique.moderation.targets import COMMENT, USER
from brique.resources import resource_types

#: Tabs of the queue: name -> condition.
TABS = {
    "pending": lambda: Moderation.pending_count > 0,
    "hidden": lambda: Moderation.hidden_at.is_not(None),
}


def queue_query(space_id: int | None, tab: str) -> Select:
    """Moderations of a space (``None``: reported people) in ``tab``, most reported first."""
    where = Moderation.space_id.is_(None) if space_id is None else Moderation.space_id == space_id
    query = select(Moderation).where(where, TABS.get(tab, TABS["pending"])())
    if space_id is None:
        query = query.where(Moderation.target_type == USER)
    return query.order_by(Moderation.pending_count.desc(), Moderation.id.desc())


def tab_counts(space_id: int | None) -> dict[str, int]:
    """How many items each tab holds, in one query."""
    where = Moderation.space_id.is_(None) if space_id is None else Moderation.space_id == space_id
    row = db.session.execute(
        select(
            *(
                select(func.count()).select_from(Moderation).where(where, tab()).scalar_subquery()
                for tab in TABS.values()
            )
        )
    ).one()
    return dict(zip(TABS, row, strict=True))


def pending_counts(space_ids: Iterable[int]) -> dict[int, int]:
    """How many items wait for review in each of these spaces (none: left out), in one query."""
    query = (
        select(Moderation.space_id, func.count())
        .where(Moderation.space_id.in_(list(space_ids)), TABS["pending"]())
        .group_by(Moderation.space_id)
    )
    return dict(db.session.execute(query).all())


@dataclass
class ReportSummary:
    """The reports of one target: how many per reason, and what "other" reporters wrote."""

    reasons: Counter = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)


def reports_of(moderations: list[Moderation]) -> dict[int, ReportSummary]:
    """The report summaries of ``moderations``, in one query."""
    ids = [moderation.id for moderation in moderations]
    summaries = {moderation_id: ReportSummary() for moderation_id in ids}
    if not ids:
        return summaries
    rows = db.session.execute(
        select(Report.moderation_id, Report.reason, Report.details)
        .where(Report.moderation_id.in_(ids))
        .order_by(Report.id)
    )
    for row in rows:
        summary = summaries[row.moderation_id]
        summary.reasons[row.reason] += 1
        if row.details:
            summary.details.append(row.details)
    return summaries


def people_of(moderations: list[Moderation]) -> dict[int, User]:
    """The authors and deciders the moderations name, in one query."""
    ids = {m.author_id for m in moderations} | {m.decided_by_id for m in moderations}
    ids.discard(None)
    if not ids:
        return {}
    return {
        person.id: person for person in db.session.scalars(select(User).where(User.id.in_(ids)))
    }


@dataclass(frozen=True)
class Context:
    """What a reported comment is on: the resource's title and address."""

    title: str
    url: str


def contexts_of(moderations: list[Moderation]) -> dict[int, Context]:
    """The resource each reported comment is on, by moderation id: one query for the
    comments, one for their components, one per resource type."""
    wanted = {m.target_id: m.id for m in moderations if m.target_type == COMMENT}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Comment.id, Comment.resource_type, Comment.resource_id, Comment.component_id).where(
            Comment.id.in_(wanted)
        )
    ).all()
    # Kept referenced: the resource types' url() then find them in the identity map.
    components = db.session.scalars(
        select(Component).where(Component.id.in_({row.component_id for row in rows}))
    ).all()
    on: dict[str, dict[int, list[int]]] = {}
    for row in rows:
        on.setdefault(row.resource_type, {}).setdefault(row.resource_id, []).append(row.id)
    contexts = {}
    for type_name, comments_by_resource in on.items():
        for context, comment_ids in _contexts(type_name, comments_by_resource):
            contexts.update({wanted[comment_id]: context for comment_id in comment_ids})
    del components
    return contexts


def _contexts(type_name: str, comments_by_resource: dict[int, list[int]]) -> list[tuple]:
    """``(context, ids of its comments)`` for each resource of ``type_name`` still there."""
    rtype = resource_types().get(type_name)
    if rtype is None:
        return []  # its plugin is disabled
    found = db.session.scalars(
        select(rtype.model).where(rtype.model.id.in_(list(comments_by_resource)))
    )
    return [
        (Context(rtype.title(resource), rtype.url(resource)), comments_by_resource[resource.id])
        for resource in found
    ]


def pending_by_space() -> list[tuple[Space, int]]:
    """Spaces with content waiting for review, and how much, in one query."""
    count = func.count(Moderation.id)
    rows = db.session.execute(
        select(Space, count)
        .join(Moderation, Moderation.space_id == Space.id)
        .where(Moderation.pending_count > 0)
        .group_by(Space.id)
        .order_by(count.desc(), Space.id)
    )
    return [(space, number) for space, number in rows]


def blocked_people() -> Select:
    return select(User).where(User.blocked_at.is_not(None)).order_by(User.blocked_at.desc())
