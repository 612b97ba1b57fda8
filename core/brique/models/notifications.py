"""Follows, notifications and newsletters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from brique.clock import now
from brique.db import Base

#: What a follow or a notification may point at, besides resource types (``"tiny.note"``).
SPACE, USER = "space", "user"
EMAIL_STATUSES = ("none", "queued", "digest", "sent", "skipped")


class Follow(Base):
    """A person follows a space, a followable resource or another person.

    ``target_type`` is ``"space"``, ``"user"`` or a resource type's name; ``space_id``
    is the space the target belongs to (``None`` for people), so that deleting a
    space deletes the follows of everything in it.
    """

    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(80))
    target_id: Mapped[int]
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id"),
        Index("ix_follows_target", "target_type", "target_id"),
    )


class SpaceParticipant(Base):
    """Someone who followed or contributed to a space: the audience of its newsletters.

    Recorded once, when the person first follows something in the space or
    creates something there; unfollowing does not remove it.
    """

    __tablename__ = "space_participants"

    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    since: Mapped[datetime] = mapped_column(default=now)


class Notification(Base):
    """Something a person is told about, in the site and maybe by e-mail.

    ``data`` holds the values of the kind's message (``title``, ``actor``...),
    copied when the notification is created so that the list needs no other query.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(80))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(80), default="")
    target_id: Mapped[int | None]
    url: Mapped[str] = mapped_column(String(500), default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)
    read_at: Mapped[datetime | None]
    #: ``none`` (no e-mail wanted), ``queued`` (an e-mail job will send it), ``digest``
    #: (waits for the daily digest), ``sent``, ``skipped`` (no address any more).
    email_status: Mapped[str] = mapped_column(String(10), default="none", index=True)

    __table_args__ = (
        CheckConstraint(
            "email_status IN ('none', 'queued', 'digest', 'sent', 'skipped')",
            name="known_email_status",
        ),
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )


class AnnouncedStep(Base):
    """The step of a space whose start was last announced (``step-activated``)."""

    __tablename__ = "announced_steps"

    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True
    )
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="SET NULL"))
    announced_at: Mapped[datetime] = mapped_column(default=now)


NEWSLETTER_STATUSES = ("draft", "sending", "sent")


class Newsletter(Base):
    """A message from the institution to the participants of a space, or of the platform."""

    __tablename__ = "newsletters"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``None``: a platform newsletter, to every opted-in person.
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    recipients_count: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sending', 'sent')", name="known_status"),
    )


class NewsletterRecipient(Base):
    """One person a newsletter goes to; ``sent_at`` says it went.

    A worker claims the row (``claimed_at``) and commits before sending, so
    that a crash never sends twice: a row claimed and not sent was interrupted.
    """

    __tablename__ = "newsletter_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    newsletter_id: Mapped[int] = mapped_column(ForeignKey("newsletters.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("newsletter_id", "user_id"),
        Index("ix_newsletter_recipients_to_send", "newsletter_id", "claimed_at"),
    )
