"""What the action log pages read, in a bounded number of queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from brique.db import db
from brique.forms import institution_zone
from brique.models import ActionLogEntry, Space, User

#: How many verbs the filter's list offers at most.
VERB_CHOICES = 200


@dataclass(frozen=True)
class LogFilters:
    """What the admin filters the log by; empty values filter nothing."""

    space_id: int | None = None
    user: str = ""
    verb: str = ""
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the institution's timezone."""
    return datetime.combine(day, time(), tzinfo=institution_zone())


def log_query(filters: LogFilters) -> Select:
    """The entries matching ``filters``, newest first."""
    query = select(ActionLogEntry)
    if filters.space_id is not None:
        query = query.where(ActionLogEntry.space_id == filters.space_id)
    if filters.user:
        query = query.where(ActionLogEntry.user_id.in_(_people_named(filters.user)))
    if filters.verb:
        query = query.where(ActionLogEntry.verb == filters.verb)
    if filters.since is not None:
        query = query.where(ActionLogEntry.created_at >= _start_of(filters.since))
    if filters.until is not None:
        query = query.where(ActionLogEntry.created_at < _start_of(filters.until + timedelta(1)))
    return query.order_by(ActionLogEntry.position.desc())


def _people_named(text: str) -> Select:
    """Ids of the people whose nickname or e-mail address is ``text`` (any case)."""
    lowered = text.strip().lower()
    return select(User.id).where(
        or_(func.lower(User.nickname) == lowered, func.lower(User.email) == lowered)
    )


def verbs(space_id: int | None = None) -> list[str]:
    """The verbs found in the log (of one space), for the filter's list."""
    query = select(ActionLogEntry.verb).distinct().order_by(ActionLogEntry.verb)
    if space_id is not None:
        query = query.where(ActionLogEntry.space_id == space_id)
    return list(db.session.scalars(query.limit(VERB_CHOICES)))


def space_choices() -> list[tuple[int, str]]:
    return [(row.id, row.title) for row in db.session.execute(select(Space.id, Space.title))]


def names_of(entries: list[ActionLogEntry]) -> dict[str, dict[int, Any]]:
    """The people and spaces the entries name, in one query each."""
    user_ids = {entry.user_id for entry in entries if entry.user_id is not None}
    space_ids = {entry.space_id for entry in entries if entry.space_id is not None}
    people = db.session.scalars(select(User).where(User.id.in_(user_ids))) if user_ids else []
    spaces = db.session.scalars(select(Space).where(Space.id.in_(space_ids))) if space_ids else []
    return {
        "users": {person.id: person for person in people},
        "spaces": {space.id: space for space in spaces},
    }
