"""The hash chain: appending an entry safely under concurrency, and verifying the whole chain.

Each entry's ``hash`` is the SHA-256 of its canonical content, which includes the
previous entry's hash: changing or deleting an entry breaks every link after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from brique.clock import as_utc
from brique.db import db
from brique.models import ActionLogEntry, ActionLogHead

#: The "previous hash" of the first entry.
GENESIS = "0" * 64
HEAD_ID = 1
#: Fields of an entry the hash covers, ``previous_hash`` included.
HASHED_FIELDS = (
    "position",
    "created_at",
    "user_id",
    "verb",
    "target_type",
    "target_id",
    "space_id",
    "summary",
    "before",
    "after",
    "previous_hash",
)


def canonical_json(value: Any) -> str:
    """One text per value: sorted keys, no spaces, Unicode kept."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry: Any) -> str:
    """The SHA-256 of the canonical content of ``entry`` (a model instance or a row)."""
    content = {name: getattr(entry, name) for name in HASHED_FIELDS}
    content["created_at"] = as_utc(entry.created_at).isoformat(timespec="microseconds")
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def insert_or_ignore(model: type, **values: Any) -> None:
    """``INSERT`` a row unless it would break a unique constraint (PostgreSQL and SQLite)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing())


def _advance_head() -> tuple[int, str]:
    """Take the next position and the previous hash, locking the head until the commit.

    An ``UPDATE`` first: on PostgreSQL it locks the row, so a parallel writer waits
    and then reads what this one wrote; on SQLite it takes the database's write lock.
    """
    statement = (
        update(ActionLogHead)
        .where(ActionLogHead.id == HEAD_ID)
        .values(position=ActionLogHead.position + 1)
        .returning(ActionLogHead.position, ActionLogHead.hash)
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(statement).one_or_none()
    if row is None:
        insert_or_ignore(ActionLogHead, id=HEAD_ID, position=0, hash=GENESIS)
        row = db.session.execute(statement).one()
    return row.position, row.hash or GENESIS


def append(**values: Any) -> ActionLogEntry:
    """Add an entry at the end of the chain, in the current transaction (the caller commits)."""
    position, previous = _advance_head()
    entry = ActionLogEntry(position=position, previous_hash=previous, **values)
    entry.hash = entry_hash(entry)
    db.session.add(entry)
    db.session.execute(
        update(ActionLogHead)
        .where(ActionLogHead.id == HEAD_ID)
        .values(hash=entry.hash)
        .execution_options(synchronize_session=False)
    )
    return entry


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_chain` found: ``problem`` is ``None`` when the chain is intact."""

    checked: int
    last_hash: str
    problem: str | None = None
    position: int | None = None


def _entries(batch: int) -> Iterator[Any]:
    """Every entry in chain order, read in batches of plain rows (bounded memory)."""
    table = ActionLogEntry.__table__
    last = 0
    while True:
        rows = db.session.execute(
            select(table).where(table.c.position > last).order_by(table.c.position).limit(batch)
        ).all()
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].position


def verify_chain(batch: int = 1000) -> Verification:
    """Recompute the chain; report the first changed or missing entry."""
    expected, previous = 1, GENESIS
    for row in _entries(batch):
        if row.position != expected:
            return Verification(expected - 1, previous, "missing", expected)
        if entry_hash(row) != row.hash:
            return Verification(expected - 1, previous, "changed", expected)
        if row.previous_hash != previous:  # the entry before was changed, its hash too
            return Verification(expected - 2, previous, "changed", expected - 1)
        expected, previous = expected + 1, row.hash
    head = db.session.get(ActionLogHead, HEAD_ID)
    if head is not None and (head.position != expected - 1 or head.hash != previous):
        return Verification(expected - 1, previous, "truncated", expected)
    if head is None and expected > 1:
        return Verification(expected - 1, previous, "truncated", expected)
    return Verification(expected - 1, previous)
