"""Comments on resources, their votes and the versions their authors replaced."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from brique.clock import now
from brique.db import Base

if TYPE_CHECKING:
    from brique.models.components import Component
    from brique.models.spaces import Space
    from brique.models.users import User

#: Alignment values: how a top-level comment stands on the resource.
IN_FAVOUR, NEUTRAL, AGAINST = 1, 0, -1


class Comment(Base):
    """A participant's comment on a resource of a component, or a reply to a comment.

    The resource is named by ``(resource_type, resource_id)`` (a registered
    :class:`~brique.resources.ResourceType` and the id of its row);
    ``component_id`` and ``space_id`` are copied from it for filtering.
    Replies point to their ``parent`` and to the top-level comment of their
    thread (``root_id``), so that a page loads whole threads in one query.
    A deleted or hidden comment keeps its row: its replies still hang on it.
    """

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_type: Mapped[str] = mapped_column(String(80))
    resource_id: Mapped[int]
    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    root_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    #: 0 for a comment on the resource, 1 for a reply to it, and so on.
    depth: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    #: ``IN_FAVOUR``, ``NEUTRAL`` or ``AGAINST``; replies are neutral.
    alignment: Mapped[int] = mapped_column(SmallInteger, default=NEUTRAL)
    #: Written by the process's staff as the institution's answer.
    is_official: Mapped[bool] = mapped_column(default=False)
    upvotes: Mapped[int] = mapped_column(default=0)
    downvotes: Mapped[int] = mapped_column(default=0)
    #: Wilson lower bound of the votes, kept with the counts, for the "best" order.
    score: Mapped[float] = mapped_column(default=0.0)
    #: Replies in the thread (kept on top-level comments only).
    replies_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    #: Set by moderation; the comment then shows as a placeholder.
    hidden_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship()
    component: Mapped[Component] = relationship()
    space: Mapped[Space] = relationship()

    __table_args__ = (
        Index("ix_comments_resource", "resource_type", "resource_id", "parent_id"),
        CheckConstraint("alignment IN (-1, 0, 1)", name="alignment"),
        CheckConstraint("upvotes >= 0 AND downvotes >= 0", name="vote_counts"),
    )

    @property
    def is_removed(self) -> bool:
        """Deleted by its author or hidden by moderation: only a placeholder shows."""
        return self.deleted_at is not None or self.hidden_at is not None

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None

    @property
    def thread_id(self) -> int:
        """The id of the top-level comment of this comment's thread."""
        return self.root_id if self.root_id is not None else self.id

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.resource_type} {self.resource_id}>"


class CommentVote(Base):
    """One participant's vote on a comment: +1 (up) or -1 (down); one per person."""

    __tablename__ = "comment_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("comment_id", "user_id"),
        CheckConstraint("value IN (-1, 1)", name="value"),
    )


class CommentVersion(Base):
    """A text of a comment that its author replaced by editing it."""

    __tablename__ = "comment_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    alignment: Mapped[int] = mapped_column(SmallInteger, default=NEUTRAL)
    #: When this text was published (the comment's creation or an earlier edit).
    written_at: Mapped[datetime]
    #: When the edit replaced it.
    replaced_at: Mapped[datetime] = mapped_column(default=now)


def wilson_score(upvotes: int, downvotes: int, z: float = 1.96) -> float:
    """Lower bound of the 95% confidence interval of the share of up votes.

    Ranks 10 up / 1 down above 1 up / 0 down: few votes weigh less.
    """
    total = upvotes + downvotes
    if total == 0:
        return 0.0
    share = upvotes / total
    spread = z * math.sqrt((share * (1 - share) + z * z / (4 * total)) / total)
    return (share + z * z / (2 * total) - spread) / (1 + z * z / total)
