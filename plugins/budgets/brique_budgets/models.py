"""Budgets, their projects, the ballots cast on them and the counts of paper ballots.

Integrity is the database's: one ballot per voter and budget (a unique pair), one budget
per voter and component when the workflow says so (another unique pair), one line per
project on a ballot, one paper ballot per hashed voter identifier. A ballot is changed and
cast only after its row is locked (see :mod:`brique_budgets.ballots`), so the rules of the
vote are checked on what is really in it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from brique.plugin_api import Base, Component, User, now

#: A project's valuation by the institution's services.
FEASIBILITY = ("not_valued", "feasible", "not_feasible")
#: Where a ballot comes from.
ORIGINS = ("online", "paper")


class Budget(Base):
    """An amount to spend (or, inverted, to save) that participants decide on."""

    __tablename__ = "budgets_budgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: In whole units of the component's currency: what may be spent, or the savings target.
    amount: Mapped[int] = mapped_column(Integer)
    #: The territory it belongs to (a district's budget); ``None``: the whole territory.
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("scopes.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: When the results were published; ``None`` while they are not.
    results_published_at: Mapped[datetime | None]
    #: The last computed result (see :mod:`brique_budgets.results`), as plain data.
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    result_computed_at: Mapped[datetime | None]
    #: Since when a computation of the result waits for a worker or runs (a background job:
    #: a large vote takes minutes); ``None`` when none is under way.
    result_requested_at: Mapped[datetime | None]
    #: Numbers the requests to compute: a job finding a newer request than its own leaves
    #: the work to the newer job.
    result_request: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: How far the computation under way is, in percent, when the rule can tell.
    result_progress: Mapped[int | None] = mapped_column(Integer)
    #: Why the last computation failed, for the staff; ``""`` when it did not.
    result_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    component: Mapped[Component] = relationship()
    projects: Mapped[list[Project]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", order_by="Project.id"
    )

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)


class Project(Base):
    """What a budget may fund (or, inverted, a saving it may make)."""

    __tablename__ = "budgets_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(
        ForeignKey("budgets_budgets.id", ondelete="CASCADE"), index=True
    )
    #: The budget's component, repeated so that the core's resource queries find it.
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("scopes.id", ondelete="SET NULL"))
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    #: The stored name of its picture in the core's uploads, if any.
    image: Mapped[str] = mapped_column(String(200), default="")
    image_alt: Mapped[str] = mapped_column(String(300), default="")
    feasibility: Mapped[str] = mapped_column(String(20), default="not_valued")
    feasibility_explanation: Mapped[str] = mapped_column(Text, default="")
    #: Put to the vote: only selected projects appear on ballots.
    selected: Mapped[bool] = mapped_column(default=False)
    #: The admin's decisions on the result, each with a reason that the log keeps too.
    forced_winner: Mapped[bool] = mapped_column(default=False)
    excluded: Mapped[bool] = mapped_column(default=False)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    budget: Mapped[Budget] = relationship(back_populates="projects")

    __table_args__ = (
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint(
            "feasibility IN ('not_valued', 'feasible', 'not_feasible')", name="known_feasibility"
        ),
        CheckConstraint("NOT (forced_winner AND excluded)", name="forced_or_excluded"),
    )


class Ballot(Base):
    """One voter's ballot in one budget: a cart until it is cast.

    Online ballots have a ``user_id`` (one per budget, by the database); paper ballots
    have none but a ``voter_hash`` (one per budget too), so that a person who voted on
    paper twice is caught without their identity being stored.
    """

    __tablename__ = "budgets_ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets_budgets.id", ondelete="CASCADE"))
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(10), default="online")
    #: For paper ballots: a keyed hash of the voter's identifier (card number...).
    voter_hash: Mapped[str | None] = mapped_column(String(64))
    #: Where a paper ballot was cast ("Mairie annexe Nord").
    station: Mapped[str] = mapped_column(String(120), default="")
    #: Set while the voter casts in a workflow that allows one budget per component:
    #: with ``user_id`` a unique pair, so a second budget's checkout fails.
    exclusive_component_id: Mapped[int | None] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE")
    )
    #: Bumped by every change: the first statement of a change locks the row with it.
    version: Mapped[int] = mapped_column(Integer, default=0)
    #: The code the voter keeps; the published ballots carry its SHA-256.
    receipt_code: Mapped[str | None] = mapped_column(String(32))
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    total_cost: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    cast_at: Mapped[datetime | None]
    #: Staff who entered a paper ballot.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    budget: Mapped[Budget] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    items: Mapped[list[BallotItem]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", order_by="BallotItem.position"
    )

    __table_args__ = (
        UniqueConstraint("budget_id", "user_id"),
        UniqueConstraint("budget_id", "voter_hash"),
        UniqueConstraint("exclusive_component_id", "user_id"),
        CheckConstraint("origin IN ('online', 'paper')", name="known_origin"),
        CheckConstraint(
            "origin = 'paper' OR (user_id IS NOT NULL AND voter_hash IS NULL)",
            name="online_voter_is_a_user",
        ),
        CheckConstraint("origin = 'online' OR user_id IS NULL", name="paper_voter_is_no_user"),
        CheckConstraint("cast_at IS NOT NULL OR receipt_hash IS NULL", name="receipt_once_cast"),
        Index("ix_budgets_ballots_cast", "budget_id", "cast_at"),
    )

    @property
    def is_cast(self) -> bool:
        return self.cast_at is not None


class BallotItem(Base):
    """A project on a ballot, with its points (cumulative) or its rank (ordinal)."""

    __tablename__ = "budgets_ballot_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("budgets_ballots.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("budgets_projects.id", ondelete="CASCADE"), index=True
    )
    #: Points given (cumulative ballots); 1 on other ballots.
    points: Mapped[int] = mapped_column(Integer, default=1)
    #: Order of choice: the rank on ordinal ballots (1 is the first choice).
    position: Mapped[int] = mapped_column(Integer, default=0)

    ballot: Mapped[Ballot] = relationship(back_populates="items")
    project: Mapped[Project] = relationship()

    __table_args__ = (
        UniqueConstraint("ballot_id", "project_id"),
        CheckConstraint("points > 0", name="points_positive"),
    )


class StationCount(Base):
    """Votes counted for a project at a polling station, when paper ballots are counted
    there rather than entered one by one."""

    __tablename__ = "budgets_station_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets_budgets.id", ondelete="CASCADE"))
    station: Mapped[str] = mapped_column(String(120))
    project_id: Mapped[int] = mapped_column(ForeignKey("budgets_projects.id", ondelete="CASCADE"))
    votes: Mapped[int] = mapped_column(Integer)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("budget_id", "station", "project_id"),
        CheckConstraint("votes >= 0", name="votes_not_negative"),
    )


MODELS = [Budget, Project, Ballot, BallotItem, StationCount]
