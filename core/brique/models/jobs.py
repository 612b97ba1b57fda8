"""Background jobs: work done outside requests (e-mails, newsletters, periodic checks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from brique.clock import now
from brique.db import Base

JOB_STATUSES = ("pending", "running", "done", "failed")


class Job(Base):
    """One unit of background work of a registered ``kind``, run by ``brique jobs work``."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    #: Not before this moment: set on enqueueing, pushed back after each failed attempt.
    run_at: Mapped[datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    #: When a worker took it: a job running for too long was left by a crashed worker.
    claimed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'running', 'done', 'failed')", name="known_status"),
        # Workers look for the next due job: pending ones, by time.
        Index("ix_jobs_status_run_at", "status", "run_at"),
    )

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status}>"


class JobSchedule(Base):
    """When a periodic kind of job is next due; one row per kind, shared by every worker."""

    __tablename__ = "job_schedules"

    kind: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime]
