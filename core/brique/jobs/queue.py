"""The job queue: enqueue in the caller's transaction; workers claim, run and retry.

A job is a row of ``jobs``. :func:`enqueue` only adds it to the session: it is
saved with the caller's commit, so a request that fails enqueues nothing.
Workers claim a due job with a conditional UPDATE (PostgreSQL first locks a
candidate with ``FOR UPDATE SKIP LOCKED``), so several workers never run one
job twice. A failed attempt is retried later, with exponential backoff, up to
``JOBS_MAX_ATTEMPTS`` attempts; then the job is marked failed.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from brique.clock import now
from brique.db import db
from brique.jobs.registry import job_registry
from brique.jobs.sql import dialect_name, insert_ignore
from brique.models import Job, JobSchedule

CLAIM_CANDIDATES = 10
LONGEST_BACKOFF = timedelta(days=1)


def enqueue(
    kind: str, payload: dict[str, Any] | None = None, run_at: datetime | None = None
) -> Job:
    """Add a job of ``kind`` to the session; the caller's commit saves it.

    :param kind: a registered kind (``"notifications.email"``, ``"<plugin>.<kind>"``).
    :param payload: what the handler receives: a JSON-serialisable mapping
        (ids rather than objects: the job runs later, in another process).
    :param run_at: not before this moment (default: as soon as a worker is free).
    :returns: the new :class:`~brique.models.Job`.
    """
    if kind not in job_registry().handlers:
        raise KeyError(
            f"no job kind {kind!r}; registered: {', '.join(sorted(job_registry().handlers))}"
        )
    payload = dict(payload or {})
    json.dumps(payload)  # a TypeError now rather than a failed job later
    job = Job(kind=kind, payload=payload, run_at=run_at or now(), status="pending")
    db.session.add(job)
    db.session.info[_ENQUEUED] = True
    return job


#: A worker in this process (``brique run``'s thread) waits on it between its looks at the
#: queue: a commit that saved jobs sets it, so that they run at once, not up to
#: ``JOBS_POLL_SECONDS`` later. Workers in other processes still poll.
_WAKE = threading.Event()
_ENQUEUED = "brique_jobs_enqueued"


@event.listens_for(Session, "after_commit")
def _wake_worker(session: Session) -> None:
    if session.info.pop(_ENQUEUED, False):
        _WAKE.set()


@event.listens_for(Session, "after_rollback")
def _forget_enqueued(session: Session) -> None:
    session.info.pop(_ENQUEUED, None)


# --- Claiming and running -------------------------------------------------------------------


def claim_next() -> Job | None:
    """Take the next due job for this worker, or ``None``; committed as ``running``."""
    moment = now()
    for job_id in _candidates(moment):
        claimed = db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "pending")
            .values(status="running", claimed_at=moment, attempts=Job.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            db.session.commit()
            return db.session.get(Job, job_id)
    db.session.rollback()
    return None


def _candidates(moment: datetime) -> list[int]:
    statement = (
        select(Job.id)
        .where(Job.status == "pending", Job.run_at <= moment)
        .order_by(Job.run_at, Job.id)
    )
    if dialect_name() == "postgresql":
        # Locked rows belong to another worker's claim: skip them rather than wait.
        statement = statement.limit(1).with_for_update(skip_locked=True)
    else:
        statement = statement.limit(CLAIM_CANDIDATES)
    return list(db.session.scalars(statement))


def run_job(job: Job) -> bool:
    """Run a claimed job's handler; record success, or the failure and the next attempt."""
    job_id, kind, payload = job.id, job.kind, dict(job.payload)
    handler = job_registry().handlers.get(kind)
    g.brique_job = (job_id, job.attempts)  # for finish_in_transaction()
    try:
        if handler is None:
            raise LookupError(f"no handler for jobs of kind {kind!r}: is its plugin enabled?")
        handler(payload)
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("job %s (%s) failed", job_id, kind)
        record_failure(job_id, error)
        return False
    finally:
        g.pop("brique_job", None)
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status="done", finished_at=now(), last_error="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return True


def finish_in_transaction() -> bool:
    """Mark the job being run done in the handler's own transaction (not committed).

    A handler whose work must never be done twice calls it before committing that
    work: the work and the end of the job are then saved together, so a worker
    stopping between the two cannot leave the job to be run again. ``False`` if
    the job is no longer this worker's (another worker took it over after
    ``JOBS_TIMEOUT_MINUTES``): roll back and do nothing. Outside a worker, ``True``.
    """
    running = g.get("brique_job")
    if running is None:
        return True
    job_id, attempts = running
    finished = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.attempts == attempts)
        .values(status="done", finished_at=now(), last_error="")
        .execution_options(synchronize_session=False)
    )
    return finished.rowcount == 1


def record_failure(job_id: int, error: BaseException) -> None:
    """Retry later with backoff, or mark the job failed after its last attempt."""
    job = db.session.get(Job, job_id)
    job.last_error = f"{type(error).__name__}: {error}"[:2000]
    if job.attempts >= current_app.config["JOBS_MAX_ATTEMPTS"]:
        job.status, job.finished_at = "failed", now()
    else:
        job.status, job.run_at = "pending", now() + backoff(job.attempts)
    db.session.commit()


def backoff(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed attempts: doubling from the first delay."""
    first = current_app.config["JOBS_RETRY_DELAY_SECONDS"]
    return min(timedelta(seconds=first * 2 ** max(attempts - 1, 0)), LONGEST_BACKOFF)


# --- Periodic jobs and housekeeping ---------------------------------------------------------


def schedule_periodic() -> list[str]:
    """Enqueue the periodic jobs that fell due; each is enqueued once, whatever the workers."""
    moment, enqueued = now(), []
    periodic = job_registry().periodic
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    insert_ignore(
        JobSchedule,
        [{"kind": job.kind, "next_run_at": job.next_run(moment, zone)} for job in periodic],
    )
    for job in periodic:
        due = db.session.execute(
            update(JobSchedule)
            .where(JobSchedule.kind == job.kind, JobSchedule.next_run_at <= moment)
            .values(next_run_at=job.next_run(moment, zone))
            .execution_options(synchronize_session=False)
        )
        if due.rowcount == 1:
            enqueue(job.kind)
            enqueued.append(job.kind)
    db.session.commit()
    return enqueued


def recover_stale() -> int:
    """Give back jobs whose worker died while running them (running for too long)."""
    timeout = timedelta(minutes=current_app.config["JOBS_TIMEOUT_MINUTES"])
    stale = db.session.scalars(
        select(Job.id).where(Job.status == "running", Job.claimed_at < now() - timeout)
    ).all()
    for job_id in stale:
        record_failure(job_id, RuntimeError("the worker stopped while running it"))
    return len(stale)


def delete_finished(payload: dict[str, Any]) -> None:
    """Job ``jobs.cleanup``: forget done jobs after ``JOBS_KEEP_DAYS`` (failed ones stay)."""
    limit = now() - timedelta(days=current_app.config["JOBS_KEEP_DAYS"])
    db.session.execute(delete(Job).where(Job.status == "done", Job.finished_at < limit))
    db.session.commit()


# --- Workers --------------------------------------------------------------------------------


@contextmanager
def job_context(app: Flask) -> Iterator[None]:
    """A fresh app context (its own session) with a request to ``BASE_URL``, so that
    handlers build links with ``url_for`` and render templates as a page would."""
    with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
        yield


def run_due(app: Flask) -> int:
    """Run the jobs due now, one after the other, until none is left; return how many ran."""
    count = 0
    while True:
        with job_context(app):
            job = claim_next()
            if job is None:
                return count
            run_job(job)
        count += 1


def tick(app: Flask) -> None:
    """What every worker does between jobs: enqueue periodic jobs, recover stale ones."""
    with job_context(app):
        recover_stale()
        schedule_periodic()


def work(app: Flask, *, once: bool = False, stop: threading.Event | None = None) -> int:
    """Run jobs as they fall due until ``stop`` is set; with ``once``, drain and return.

    :returns: how many jobs ran.
    """
    stop = stop or threading.Event()
    count = 0
    while not stop.is_set():
        _WAKE.clear()  # before looking: a job committed from now on wakes the wait below
        tick(app)
        ran = run_due(app)
        count += ran
        if once:
            return count
        if not ran:
            _wait(app.config["JOBS_POLL_SECONDS"], stop)
    return count


def _wait(seconds: float, stop: threading.Event) -> None:
    """Until jobs are committed in this process, ``stop`` is set or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
        if _WAKE.wait(min(left, 0.25)):
            return
