"""Proposals, their supports, authors, answers and the institution's working data."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from brique.plugin_api import Base, Component, User, now

#: Where a proposal comes from: a participant on the site, the institution itself, or a
#: person who took part offline and whose proposal staff recorded on their behalf.
ORIGINS = ("participant", "official", "meeting", "paper", "email", "other")

#: The life of a proposal as its authors see it.
STATUSES = ("draft", "published", "withdrawn", "merged", "split")

#: The institution's answer states every component has; admins add their own.
ANSWER_STATES = ("not_answered", "evaluating", "accepted", "rejected")

#: Statuses that say more than any answer: the public reads them first.
CLOSED_STATUSES = ("withdrawn", "merged", "split")


#: A proposal has at most this many coauthors, invited or accepted...
MAX_COAUTHORS = 10
#: ... and this many attached files.
MAX_ATTACHMENTS = 5


def random_key() -> float:
    # Random ordering reads an index in this key, rotated by the visitor's seed.
    return random.random()


class Proposal(Base):
    """An idea put forward in a proposals component."""

    __tablename__ = "proposals_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: The first author; ``None`` for official proposals and when the account was deleted.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Published without the author's nickname (the institution still sees who wrote it).
    anonymous: Mapped[bool] = mapped_column(default=False)
    origin: Mapped[str] = mapped_column(String(20), default="participant")
    #: Who and where, for proposals recorded on behalf of someone ("Réunion du 12 mars").
    origin_note: Mapped[str] = mapped_column(String(300), default="")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("scopes.id", ondelete="SET NULL"))
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    created_at: Mapped[datetime] = mapped_column(default=now)
    published_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    #: Counted supports, kept equal to the counted rows of ``proposals_supports`` by the
    #: support services in the same transaction (see ``brique proposals recount``).
    supports_count: Mapped[int] = mapped_column(Integer, default=0)
    #: When the supports first reached the component's threshold.
    qualified_at: Mapped[datetime | None]
    random_key: Mapped[float] = mapped_column(Float, default=random_key)
    #: The comments its thread shows, kept by :mod:`brique_proposals.comment_counts` from
    #: the core's ``comments-counted`` signal, for the "most commented" order.
    comments_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Coauthors invited or accepted, and files attached: kept with the rows by
    #: :mod:`brique_proposals.places`, so the limits below hold under parallel requests.
    coauthors_count: Mapped[int] = mapped_column(Integer, default=0)
    attachments_count: Mapped[int] = mapped_column(Integer, default=0)

    #: The answer's state: one of :data:`ANSWER_STATES` or the key of one of the
    #: component's :class:`AnswerState` rows.
    answer_state: Mapped[str] = mapped_column(String(40), default="not_answered")
    #: The key again when ``answer_state`` is a custom state, else ``None``: with
    #: ``component_id`` a foreign key to ``proposals_answer_states``, so the database
    #: refuses to delete a custom state that proposals use.
    custom_answer_state: Mapped[str | None] = mapped_column(String(40))
    answer_text: Mapped[str] = mapped_column(Text, default="")
    #: Whether citizens see the answer; answers may be held and published later.
    answer_published: Mapped[bool] = mapped_column(default=False)
    #: When the current answer was published (``None`` while it is held).
    answered_at: Mapped[datetime | None]
    #: Cost in whole units of the component's currency, when accepted with costs.
    cost: Mapped[int | None] = mapped_column(Integer)
    cost_report: Mapped[str] = mapped_column(Text, default="")
    execution_period: Mapped[str] = mapped_column(String(200), default="")

    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals_proposals.id", ondelete="SET NULL")
    )

    component: Mapped[Component] = relationship()
    author: Mapped[User | None] = relationship()
    coauthorships: Mapped[list[Coauthorship]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="Coauthorship.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    __table_args__ = (
        CheckConstraint("supports_count >= 0", name="supports_not_negative"),
        CheckConstraint(
            f"coauthors_count BETWEEN 0 AND {MAX_COAUTHORS}", name="coauthors_within_limit"
        ),
        CheckConstraint(
            f"attachments_count BETWEEN 0 AND {MAX_ATTACHMENTS}", name="attachments_within_limit"
        ),
        CheckConstraint(
            "status IN ('draft', 'published', 'withdrawn', 'merged', 'split')", name="known_status"
        ),
        CheckConstraint(
            "custom_answer_state IS NULL OR custom_answer_state = answer_state",
            name="custom_state_is_the_state",
        ),
        ForeignKeyConstraint(
            ["component_id", "custom_answer_state"],
            ["proposals_answer_states.component_id", "proposals_answer_states.key"],
        ),
        # The list's sorts read these indexes instead of sorting the whole component.
        Index("ix_proposals_random", "component_id", "status", "random_key"),
        Index("ix_proposals_supported", "component_id", "status", "supports_count", "id"),
        Index("ix_proposals_commented", "component_id", "status", "comments_count", "id"),
        Index("ix_proposals_recent", "component_id", "status", "published_at", "id"),
        Index("ix_proposals_author", "author_id", "component_id"),
        # The admin's counts and filters by answer state.
        Index("ix_proposals_answer", "component_id", "answer_state", "answer_published"),
    )

    @property
    def is_published(self) -> bool:
        return self.status in ("published", *CLOSED_STATUSES) and self.published_at is not None

    @property
    def answer_held(self) -> bool:
        """An answer is given but citizens do not see it yet."""
        return not self.answer_published and self.answer_state != "not_answered"

    @hybrid_property
    def state(self) -> str:
        """What the public reads: ``withdrawn``, ``merged`` or ``split`` first, then the published
        answer's state (``accepted``, a custom state's key...), else the status.

        Also a SQL expression: ``ProposalResource.list(component, state="accepted")``.
        """
        if self.status in CLOSED_STATUSES:
            return self.status
        if self.answer_published and self.answer_state != "not_answered":
            return self.answer_state
        return self.status

    @state.inplace.expression
    @classmethod
    def _state_expression(cls) -> Any:
        answered = and_(cls.answer_published.is_(True), cls.answer_state != "not_answered")
        return case(
            (cls.status.in_(CLOSED_STATUSES), cls.status),
            (answered, cls.answer_state),
            else_=cls.status,
        )


class Coauthorship(Base):
    """A coauthor of a proposal: invited by an author, a coauthor once they accept."""

    __tablename__ = "proposals_coauthorships"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals_proposals.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_at: Mapped[datetime] = mapped_column(default=now)
    accepted_at: Mapped[datetime | None]

    proposal: Mapped[Proposal] = relationship(back_populates="coauthorships")
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)


class Support(Base):
    """One participant's support of one proposal: one row per pair, by the database."""

    __tablename__ = "proposals_supports"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals_proposals.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        Index("ix_proposals_supports_user", "user_id", "component_id"),
    )


class Participation(Base):
    """What one participant used of a component's limits: supports given, proposals published.

    Limits hold under concurrent requests because each use is a conditional update of this
    row (``... WHERE supports < limit``), which the database serialises per participant.
    """

    __tablename__ = "proposals_participations"

    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    supports: Mapped[int] = mapped_column(Integer, default=0)
    proposals: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("supports >= 0", name="supports_not_negative"),
        CheckConstraint("proposals >= 0", name="proposals_not_negative"),
    )


class AnswerState(Base):
    """An answer state an admin added to a component ("Already planned", "Sent to the council")."""

    __tablename__ = "proposals_answer_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id", ondelete="CASCADE"))
    #: Made from the first label and kept: it is what ``ProposalResource.state()`` says.
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(80))
    #: A CSS colour ("#1b5e20") for the state's badge.
    colour: Mapped[str] = mapped_column(String(20), default="#4a4a4a")
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("component_id", "key"),
        # A custom state never reads as a built-in state or a status.
        CheckConstraint(
            "key NOT IN ('not_answered', 'evaluating', 'accepted', 'rejected')",
            name="key_not_a_state",
        ),
        CheckConstraint(
            "key NOT IN ('draft', 'published', 'withdrawn', 'merged', 'split', 'held')",
            name="key_not_a_status",
        ),
    )


class Attachment(Base):
    """A file attached to a proposal by its authors."""

    __tablename__ = "proposals_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals_proposals.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(200), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=now)

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")


class ValuatorAssignment(Base):
    """A valuator of the space asked to assess a proposal."""

    __tablename__ = "proposals_valuator_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals_proposals.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=now)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)


class PrivateNote(Base):
    """A note on a proposal that only the space's staff read."""

    __tablename__ = "proposals_private_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals_proposals.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)

    author: Mapped[User | None] = relationship()


MODELS = [
    Proposal,
    Coauthorship,
    Support,
    Participation,
    AnswerState,
    Attachment,
    ValuatorAssignment,
    PrivateNote,
]
