"""Computing a budget's result in the background.

Counting is quick for most votes, but a city-wide vote (90,000 ballots, hundreds of projects)
with the Method of Equal Shares and its add-one completion takes long enough for a web
request to time out. So staff ask for a result, a worker (``brique jobs work``, or the
thread of ``brique run``) computes it, and the results page says how far it is meanwhile.

Each request is numbered (``Budget.result_request``): a job that finds a newer request
than its own leaves the work to the newer one, and a result computed while a newer
request came in (a project forced in meanwhile) is not stored.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from brique.plugin_api import Component, User, db, enqueue, now
from brique_budgets.models import Budget
from brique_budgets.results import compute_result

JOB_KIND = "budgets.compute-result"
#: The progress shown to staff is written at most this often, in seconds.
PROGRESS_EVERY = 1.0


def request_result(budget: Budget, user: User | None) -> None:
    """Ask for ``budget``'s result to be computed again; saved with the caller's commit."""
    number = db.session.scalar(
        update(Budget)
        .where(Budget.id == budget.id)
        .values(
            result_request=Budget.result_request + 1,
            result_requested_at=now(),
            result_progress=None,
            result_error="",
        )
        .returning(Budget.result_request),
        execution_options={"synchronize_session": False},
    )
    db.session.expire(
        budget, ["result_request", "result_requested_at", "result_progress", "result_error"]
    )
    enqueue(
        JOB_KIND,
        {"budget_id": budget.id, "request": number, "user_id": getattr(user, "id", None)},
    )


def computing(budget: Budget) -> bool:
    """Whether a computation of ``budget``'s result waits or runs."""
    return budget.result_requested_at is not None


def run_compute_job(payload: dict[str, Any]) -> None:
    """The job: compute and store the result asked for by request ``payload["request"]``."""
    budget = db.session.get(Budget, payload["budget_id"])
    request = payload["request"]
    if budget is None or budget.result_request != request or not computing(budget):
        return  # deleted, asked again since, or already done by an earlier run of this job
    component = db.session.get(Component, budget.component_id)
    user = db.session.get(User, payload["user_id"]) if payload.get("user_id") else None
    try:
        compute_result(component, budget, user, progress=_Progress(budget.id, request))
    except Exception as error:
        # A count that failed fails again: tell the staff rather than try again.
        db.session.rollback()
        current_app.logger.exception("computing the result of budget %s failed", budget.id)
        _finish(budget.id, request, error=str(error) or type(error).__name__)
        return
    _finish(budget.id, request)


def _finish(budget_id: int, request: int, error: str = "") -> None:
    """Store what was computed unless a newer request came in meanwhile; end the wait."""
    latest = db.session.scalar(
        select(Budget.result_request).where(Budget.id == budget_id).with_for_update()
    )
    if latest != request:
        db.session.rollback()  # the newer request's job computes with the newer decisions
        return
    db.session.execute(
        update(Budget)
        .where(Budget.id == budget_id)
        .values(result_requested_at=None, result_progress=None, result_error=error[:2000]),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


class _Progress:
    """Writes how far the count is for the results page, on a connection of its own (the
    job's transaction holds the result until it is complete)."""

    def __init__(self, budget_id: int, request: int) -> None:
        self.budget_id, self.request = budget_id, request
        self.written_at = time.monotonic()

    def __call__(self, done: int, total: int | None) -> None:
        if total is None or time.monotonic() - self.written_at < PROGRESS_EVERY:
            return
        self.written_at = time.monotonic()
        percent = min(99, 100 * done // max(total, 1))
        with db.engine.begin() as connection:
            connection.execute(
                update(Budget)
                .where(Budget.id == self.budget_id, Budget.result_request == self.request)
                .values(result_progress=percent)
            )
