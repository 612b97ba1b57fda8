"""Spaces (participatory processes), their timeline, roles, categories and scopes."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from brique.clock import now
from brique.db import Base

if TYPE_CHECKING:
    from brique.models.components import Component
    from brique.models.users import User

ROLES = ("admin", "moderator", "valuator", "member")


class Scope(Base):
    """A territory (city, district, neighbourhood), nested; shared by every space."""

    __tablename__ = "scopes"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("scopes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(40), default="")

    parent: Mapped[Scope | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Scope]] = relationship(back_populates="parent", order_by="Scope.name")


# A code identifies one territory (census files and profiles refer to it), whatever its case.
Index(
    "uq_scopes_code_lower",
    func.lower(Scope.code),
    unique=True,
    sqlite_where=text("code != ''"),
    postgresql_where=text("code != ''"),
)


class Space(Base):
    """A participatory process: "Budget participatif 2026"."""

    #: The information an institution publishes about a process (process files, open
    #: data and the API all carry it).
    METADATA_FIELDS = (
        "title",
        "subtitle",
        "short_description",
        "description",
        "objectives",
        "participants",
        "decision_making",
        "organiser",
        "reference",
        "start_date",
        "end_date",
    )

    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(200), default="")
    short_description: Mapped[str] = mapped_column(default="")
    description: Mapped[str] = mapped_column(default="")
    hero_image: Mapped[str | None] = mapped_column(String(255))
    objectives: Mapped[str] = mapped_column(default="")
    participants: Mapped[str] = mapped_column(default="")
    decision_making: Mapped[str] = mapped_column(default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("scopes.id", ondelete="SET NULL"))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    reference: Mapped[str] = mapped_column(String(80), default="")
    published_at: Mapped[datetime | None]
    is_private: Mapped[bool] = mapped_column(default=False)
    promoted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)
    report_threshold: Mapped[int] = mapped_column(default=3, server_default="3")

    scope: Mapped[Scope | None] = relationship()
    steps: Mapped[list[Step]] = relationship(
        back_populates="space", order_by="Step.start_at", cascade="all, delete-orphan"
    )
    components: Mapped[list[Component]] = relationship(
        back_populates="space", order_by="Component.position", cascade="all, delete-orphan"
    )
    categories: Mapped[list[Category]] = relationship(
        back_populates="space", order_by="Category.name", cascade="all, delete-orphan"
    )
    roles: Mapped[list[SpaceRole]] = relationship(
        back_populates="space", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"
        ),
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Space {self.slug!r}>"


class Step(Base):
    """One phase of a space's timeline: [start_at, end_at) in UTC."""

    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(default="")
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    #: An admin pinned this step as the active one, whatever the clock says.
    pinned: Mapped[bool] = mapped_column(default=False)

    space: Mapped[Space] = relationship(back_populates="steps")

    __table_args__ = (
        CheckConstraint("end_at > start_at", name="end_after_start"),
        # At most one pinned step per space.
        Index(
            "uq_steps_one_pinned",
            "space_id",
            unique=True,
            sqlite_where=text("pinned"),
            postgresql_where=text("pinned"),
        ),
    )

    def holds(self, moment: datetime) -> bool:
        return self.start_at <= moment < self.end_at


class SpaceRole(Base):
    """A person's role in one space: admin, moderator, valuator or member (private spaces)."""

    __tablename__ = "space_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    space: Mapped[Space] = relationship(back_populates="roles")
    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("space_id", "user_id", "role"),
        CheckConstraint("role IN ('admin', 'moderator', 'valuator', 'member')", name="known_role"),
    )


class Category(Base):
    """A theme of one space ("Mobilité", "Espaces verts"), nested one level or more."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(default="")

    space: Mapped[Space] = relationship(back_populates="categories")
    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent")
