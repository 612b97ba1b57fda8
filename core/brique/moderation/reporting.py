"""Reporting: recording a report, hiding the target at the threshold.

Who may report what is ``can(user, "report", target)`` (:mod:`brique.permissions`).

The database keeps one report per person and target (a unique constraint) and counts
reports with atomic updates, so parallel reports neither duplicate nor miss the
threshold.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from brique.actionlog.chain import insert_or_ignore
from brique.actionlog.log import log_action
from brique.clock import now
from brique.db import db
from brique.models import Moderation, Report, User
from brique.moderation.decisions import one_transaction
from brique.moderation.targets import ReportTarget, mark_hidden
from brique.signals import content_hidden, content_reported


class AlreadyReported(Exception):
    """This person already reported this target."""


def report(user: User, target: ReportTarget, reason: str, details: str = "") -> bool:
    """Record ``user``'s report of ``target``, all or nothing; ``True`` if it got hidden.

    The caller asked ``can(user, "report", ...)`` first.

    :raises AlreadyReported: when ``user`` reported it before.
    """
    with one_transaction():
        count, hidden = _record(user, target, reason, details)
    space_id = target.space.id if target.space else None
    content_reported.send(
        target.type,
        target_id=target.id,
        space_id=space_id,
        user=user,
        reason=reason,
        report_count=count,
    )
    if hidden:
        content_hidden.send(
            target.type,
            target_id=target.id,
            space_id=space_id,
            user=None,
            author_id=target.author_id,
        )
    return hidden


def _record(user: User, target: ReportTarget, reason: str, details: str) -> tuple[int, bool]:
    """Add the report, count it, hide at the threshold and log it; not committed."""
    moderation_id = moderation_of(target)
    db.session.add(
        Report(
            moderation_id=moderation_id,
            target_type=target.type,
            target_id=target.id,
            reporter_id=user.id,
            reason=reason,
            details=details if reason == "other" else "",
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        raise AlreadyReported from None
    count = _count_report(moderation_id, target)
    hidden = _hide_at_threshold(moderation_id, target)
    space_id = target.space.id if target.space else None
    log_action(
        user,
        "moderation.report",
        (target.type, target.id),
        space=space_id,
        after={"reason": reason},
    )
    if hidden:
        log_action(
            None,
            "moderation.auto_hide",
            (target.type, target.id),
            space=space_id,
            after={"reports": count},
        )
    return count, hidden


def moderation_of(target: ReportTarget) -> int:
    """The id of the target's moderation row, created if needed (parallel-safe)."""
    insert_or_ignore(
        Moderation,
        target_type=target.type,
        target_id=target.id,
        space_id=target.space.id if target.space else None,
        author_id=target.author_id,
        report_count=0,
        pending_count=0,
        decision="",
        created_at=now(),
    )
    return db.session.scalar(
        select(Moderation.id).where(
            Moderation.target_type == target.type, Moderation.target_id == target.id
        )
    )


def _count_report(moderation_id: int, target: ReportTarget) -> int:
    """Add the report to the counts, atomically; refresh what the queue shows of the target."""
    return db.session.execute(
        update(Moderation)
        .where(Moderation.id == moderation_id)
        .values(
            report_count=Moderation.report_count + 1,
            pending_count=Moderation.pending_count + 1,
            title=target.title,
            url=target.url[:500],
            author_id=target.author_id,
        )
        .returning(Moderation.report_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def _hide_at_threshold(moderation_id: int, target: ReportTarget) -> bool:
    """Hide the target if its reports since the last decision reached the space's threshold."""
    if target.space is None:
        return False  # people are blocked by an administrator, never automatically
    moment = now()
    hidden = db.session.execute(
        update(Moderation)
        .where(
            Moderation.id == moderation_id,
            Moderation.hidden_at.is_(None),
            Moderation.pending_count >= target.space.report_threshold,
        )
        .values(hidden_at=moment, decision="auto_hide", decided_at=moment, decided_by_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if hidden:
        mark_hidden(target.type, target.id, moment)
    return bool(hidden)
