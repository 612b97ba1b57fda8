"""SQL the background services share, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from brique.db import db


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def insert_ignore(model: type, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows``, skipping those a unique constraint already holds; return how many
    were inserted. The database decides, so parallel requests never insert twice."""
    if not rows:
        return 0
    module = postgresql if dialect_name() == "postgresql" else sqlite
    key = next(iter(model.__table__.primary_key.columns))
    statement = module.insert(model).values(list(rows)).on_conflict_do_nothing()
    # Count the rows returned: drivers report -1 as rowcount of some multi-row inserts.
    return len(db.session.execute(statement.returning(key)).all())
