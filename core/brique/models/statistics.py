"""Participation: who contributed what, where and when, for the statistics.

Fed by signals (a resource created, a comment posted...). It holds the user's
id only to count distinct participants and to group them by profile field;
nothing built from it shows or exports who they are.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from brique.db import Base


class Participation(Base):
    """One contribution: a resource created (``kind="resource"``), a comment..."""

    __tablename__ = "participations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    component_id: Mapped[int | None] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(40))
    #: What was contributed: a resource type's name (or ``"comment"``) and its id, so
    #: that deleting it removes the contribution.
    target_type: Mapped[str] = mapped_column(String(80))
    target_id: Mapped[int]
    at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "kind"),
        Index("ix_participations_space_id_at", "space_id", "at"),
        Index("ix_participations_user_id", "user_id"),
    )
