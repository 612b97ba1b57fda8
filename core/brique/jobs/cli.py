"""``brique jobs``: run the background workers and look at the queue."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select, update

from brique.clock import now
from brique.db import db
from brique.jobs.queue import work
from brique.models import Job
from brique.models.jobs import JOB_STATUSES


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: e-mails, newsletters, digests and periodic checks."""


@jobs_group.command("work")
@click.option("--once", is_flag=True, help="Run the jobs due now, then exit.")
@with_appcontext
def work_command(once: bool) -> None:
    """Run background jobs as they fall due, until stopped (Ctrl+C or SIGTERM).

    Run one or more of these processes next to the web workers; they share the
    work safely. A job being run when the worker is stopped is finished first.
    """
    app = current_app._get_current_object()
    stop = threading.Event()
    if not once and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *args: stop.set())
    click.echo("Working on background jobs." if not once else "Running the jobs due now.")
    try:
        count = work(app, once=once, stop=stop)
    except KeyboardInterrupt:
        click.echo("Stopped.")
        return
    click.echo(f"{count} job(s) run.")


@jobs_group.command("list")
@click.option("--status", type=click.Choice(JOB_STATUSES), help="Only jobs in this state.")
@click.option("--limit", default=50, show_default=True, help="How many jobs, newest first.")
@with_appcontext
def list_command(status: str | None, limit: int) -> None:
    """List jobs, newest first: kind, state, attempts, when due and the last error."""
    statement = select(Job).order_by(Job.id.desc()).limit(limit)
    if status is not None:
        statement = statement.where(Job.status == status)
    jobs = db.session.scalars(statement).all()
    if not jobs:
        click.echo("No job.")
    for job in jobs:
        click.echo(_row(job))


def _row(job: Job) -> str:
    due = job.run_at.strftime("%Y-%m-%d %H:%M:%S")
    error = f"  {job.last_error.splitlines()[0][:80]}" if job.last_error else ""
    return f"{job.id:>7} {job.kind:<32} {job.status:<8} {job.attempts:>2} {due}{error}"


@jobs_group.command("retry")
@click.argument("job_ids", nargs=-1, type=int, required=True)
@with_appcontext
def retry_command(job_ids: tuple[int, ...]) -> None:
    """Run failed jobs JOB_IDS again, with a fresh count of attempts."""
    result: Any = db.session.execute(
        update(Job)
        .where(Job.id.in_(job_ids), Job.status == "failed")
        .values(status="pending", attempts=0, run_at=now(), finished_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    click.echo(f"{result.rowcount} failed job(s) will run again.")
