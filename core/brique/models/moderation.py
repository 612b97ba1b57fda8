"""Reports of content and users, and the moderation state of each reported or hidden target.

A target is named across the core by ``(target_type, target_id)``: a resource type's
name (``"proposals.proposal"``), ``"comment"`` or ``"user"``, and the row's id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from brique.clock import now
from brique.db import Base

#: Why a participant reports something; ``other`` needs a few words of explanation.
REPORT_REASONS = ("spam", "offensive", "off_topic", "charter", "other")


class Report(Base):
    """One person's report of one target: the database keeps it to one per person."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(
        ForeignKey("moderations.id", ondelete="CASCADE"), index=True
    )
    target_type: Mapped[str] = mapped_column(String(80))
    target_id: Mapped[int]
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "reporter_id"),
        CheckConstraint(
            "reason IN ('spam', 'offensive', 'off_topic', 'charter', 'other')", name="known_reason"
        ),
    )


class Moderation(Base):
    """What moderators know of one target: its reports, whether it is hidden, the last decision.

    ``report_count`` counts the reports still held; ``pending_count`` those made since
    the last decision: the target is hidden automatically when ``pending_count`` reaches
    the space's ``report_threshold``, and appears in the queue while it is above zero.
    The title, address and author are copied when reported, so the queue reads in
    bounded queries and still shows what was reported if it changes.
    """

    __tablename__ = "moderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(80))
    target_id: Mapped[int]
    #: ``None`` for reported people: platform administrators handle them.
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    report_count: Mapped[int] = mapped_column(default=0)
    pending_count: Mapped[int] = mapped_column(default=0)
    hidden_at: Mapped[datetime | None]
    #: ``hide``, ``unhide``, ``dismiss`` or ``auto_hide``; empty before any decision.
    decision: Mapped[str] = mapped_column(String(20), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("target_type", "target_id"),
        Index("ix_moderations_space_queue", "space_id", "pending_count"),
    )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
