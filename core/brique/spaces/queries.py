"""Reading spaces for the public site, with a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from brique.db import db
from brique.forms import to_local
from brique.models import Component, Space, User
from brique.permissions import can


@dataclass
class SpacesByPhase:
    in_progress: list[Space] = field(default_factory=list)
    upcoming: list[Space] = field(default_factory=list)
    past: list[Space] = field(default_factory=list)


def visible_spaces(user: User | None) -> list[Space]:
    """Published spaces the user may see, promoted first, with steps loaded."""
    statement = (
        select(Space)
        .where(Space.published_at.is_not(None))
        .options(selectinload(Space.steps))
        .order_by(Space.promoted.desc(), Space.start_date.desc(), Space.id.desc())
    )
    return [space for space in db.session.scalars(statement) if can(user, "view", space)]


def period(space: Space) -> tuple[date | None, date | None]:
    """The space's dates, or else its timeline's first and last days, in local time."""
    start, end = space.start_date, space.end_date
    if space.steps:
        start = start or to_local(space.steps[0].start_at).date()
        # Steps end before end_at: a step ending at midnight ends on the previous day.
        last_moment = max(step.end_at for step in space.steps) - timedelta(microseconds=1)
        end = end or to_local(last_moment).date()
    return start, end


def by_phase(spaces: list[Space], today: date) -> SpacesByPhase:
    grouped = SpacesByPhase()
    for space in spaces:
        start, end = period(space)
        if start is not None and start > today:
            grouped.upcoming.append(space)
        elif end is not None and end < today:
            grouped.past.append(space)
        else:
            grouped.in_progress.append(space)
    return grouped


def space_for_page(slug: str) -> Space | None:
    statement = (
        select(Space)
        .where(Space.slug == slug)
        .options(
            selectinload(Space.steps),
            selectinload(Space.scope),
            selectinload(Space.components).selectinload(Component.space),
        )
    )
    return db.session.scalar(statement)
