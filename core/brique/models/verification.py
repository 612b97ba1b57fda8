"""What a participant has proven (authorizations), census files and profile fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from brique.clock import now
from brique.db import Base

PROFILE_FIELD_TYPES = ("text", "choice", "number")


class Authorization(Base):
    """A participant verified by one authorization handler, with what it recorded."""

    __tablename__ = "authorizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    handler: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    unique_hash: Mapped[str | None] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("user_id", "handler"),
        # One person's identity can verify one account only.
        UniqueConstraint("handler", "unique_hash"),
    )


class CensusEntry(Base):
    """One line of the census file: a salted hash of an identifier and its postal code."""

    __tablename__ = "census_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier_hash: Mapped[str] = mapped_column(String(64), unique=True)
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    district: Mapped[str] = mapped_column(String(120), default="")


class ProfileField(Base):
    """A participant profile field the institution defines (age band, district...)."""

    __tablename__ = "profile_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(20), default="choice")
    choices: Mapped[list[str]] = mapped_column(default=list)
    at_signup: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
