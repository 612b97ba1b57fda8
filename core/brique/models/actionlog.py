"""The action log: an append-only, hash-chained record of who changed what, and when.

``user_id`` and ``space_id`` are plain numbers, not foreign keys: deleting a space or a
person must not delete or change entries, which would break the chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from brique.db import Base, JSONType


class ActionLogEntry(Base):
    """One action. ``hash`` is the SHA-256 of the canonical content, ``previous_hash`` included."""

    __tablename__ = "action_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3...: the entry's place in the chain, without gaps.
    position: Mapped[int] = mapped_column(unique=True)
    created_at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(index=True)
    verb: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str] = mapped_column(String(80), default="")
    target_id: Mapped[int | None]
    space_id: Mapped[int | None] = mapped_column(index=True)
    #: The target's title when the action happened (it may change or disappear later).
    summary: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[Any | None] = mapped_column(JSONType)
    after: Mapped[Any | None] = mapped_column(JSONType)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_action_log_created_at", "created_at"),)


class ActionLogHead(Base):
    """The single row holding the chain's last position and hash.

    Appending updates it first, in the entry's transaction: the row lock makes
    parallel writers wait for each other on PostgreSQL (SQLite serialises writes).
    """

    __tablename__ = "action_log_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")
