"""Moderators' decisions (hide, unhide, dismiss) and blocking people; each one is logged.

Each decision is a conditional update, so two moderators acting at once decide once;
its log entry is written in the same transaction (:func:`one_transaction`: both are
kept or neither) and the signal sent after the commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, update

from brique.actionlog.log import log_action
from brique.clock import now
from brique.db import db
from brique.models import Moderation, Report, User
from brique.moderation.targets import USER, mark_hidden
from brique.signals import content_hidden, content_unhidden, user_blocked, user_unblocked


class Unchanged(Exception):
    """The decision was taken already (by another moderator, a moment ago)."""


@contextmanager
def one_transaction() -> Iterator[None]:
    """Commit what the block writes, or roll all of it back if any of it fails: a
    decision and its entry in the action log are kept together or not at all."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def _decided(change: Any) -> bool:
    """Run ``change`` in one transaction; ``False`` if it found nothing to change."""
    try:
        with one_transaction():
            change()
    except Unchanged:
        return False
    return True


def _decide(
    moderation: Moderation, moderator: User, decision: str, *where: Any, **values: Any
) -> None:
    """Apply ``values`` if ``where`` still holds; record who decided and when."""
    changed = db.session.execute(
        update(Moderation)
        .where(Moderation.id == moderation.id, *where)
        .values(
            decision=decision,
            decided_by_id=moderator.id,
            decided_at=now(),
            pending_count=0,
            **values,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise Unchanged


def _log(moderator: User, verb: str, moderation: Moderation, **values: Any) -> None:
    target = (moderation.target_type, moderation.target_id)
    log_action(moderator, verb, target, space=moderation.space_id, **values)


def _signal(signal: Any, moderation: Moderation, moderator: User) -> None:
    signal.send(
        moderation.target_type,
        target_id=moderation.target_id,
        space_id=moderation.space_id,
        user=moderator,
        author_id=moderation.author_id,
    )


def hide(moderation: Moderation, moderator: User) -> bool:
    """Hide the target pending review; ``False`` if it was hidden already."""

    def change() -> None:
        moment = now()
        _decide(moderation, moderator, "hide", Moderation.hidden_at.is_(None), hidden_at=moment)
        mark_hidden(moderation.target_type, moderation.target_id, moment)
        _log(
            moderator,
            "moderation.hide",
            moderation,
            before={"hidden": False},
            after={"hidden": True},
        )

    if not _decided(change):
        return False
    _signal(content_hidden, moderation, moderator)
    return True


def hide_unreported(target: Any, moderator: User) -> bool:
    """Hide ``target`` (a :class:`~brique.moderation.targets.ReportTarget`) whether or not
    anyone reported it; ``False`` if it was hidden already. Moderators see it in the queue's
    hidden tab, where they can show it again."""
    from brique.moderation.reporting import moderation_of

    moderation = db.session.get(Moderation, moderation_of(target))
    return hide(moderation, moderator)


def unhide(moderation: Moderation, moderator: User) -> bool:
    """Show the target again; its reports stay. ``False`` if it was not hidden."""

    def change() -> None:
        _decide(moderation, moderator, "unhide", Moderation.hidden_at.is_not(None), hidden_at=None)
        mark_hidden(moderation.target_type, moderation.target_id, None)
        _log(
            moderator,
            "moderation.unhide",
            moderation,
            before={"hidden": True},
            after={"hidden": False},
        )

    if not _decided(change):
        return False
    _signal(content_unhidden, moderation, moderator)
    return True


def dismiss(moderation: Moderation, moderator: User) -> bool:
    """Clear the reports as unfounded and show the target if it was hidden."""
    was_hidden = moderation.hidden_at is not None
    reports = moderation.report_count

    def change() -> None:
        _decide(
            moderation,
            moderator,
            "dismiss",
            Moderation.report_count > 0,
            hidden_at=None,
            report_count=0,
        )
        db.session.execute(delete(Report).where(Report.moderation_id == moderation.id))
        mark_hidden(moderation.target_type, moderation.target_id, None)
        _log(
            moderator,
            "moderation.dismiss",
            moderation,
            before={"reports": reports, "hidden": was_hidden},
            after={"reports": 0, "hidden": False},
        )

    if not _decided(change):
        return False
    if was_hidden:
        _signal(content_unhidden, moderation, moderator)
    return True


def block(person: User, admin: User, reason: str) -> bool:
    """Block ``person``: no more log-in, sessions ended, contributions hidden."""

    def change() -> None:
        _set_blocked(
            person,
            User.blocked_at.is_(None),
            blocked_at=now(),
            blocked_reason=reason,
            session_token=secrets.token_hex(16),
        )
        _settle_user_reports(person, admin, "block")
        log_action(admin, "user.block", person, after={"reason": reason})

    if not _decided(change):
        return False
    db.session.refresh(person)
    user_blocked.send(person, by=admin, reason=reason)
    return True


def unblock(person: User, admin: User) -> bool:
    """Let ``person`` log in again; their contributions show again."""

    def change() -> None:
        _set_blocked(person, User.blocked_at.is_not(None), blocked_at=None, blocked_reason="")
        log_action(
            admin, "user.unblock", person, before={"blocked": True}, after={"blocked": False}
        )

    if not _decided(change):
        return False
    db.session.refresh(person)
    user_unblocked.send(person, by=admin)
    return True


def _set_blocked(person: User, *where: Any, **values: Any) -> None:
    changed = db.session.execute(
        update(User)
        .where(User.id == person.id, *where)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise Unchanged


def _settle_user_reports(person: User, admin: User, decision: str) -> None:
    """Reports of the person are answered by the block."""
    db.session.execute(
        update(Moderation)
        .where(Moderation.target_type == USER, Moderation.target_id == person.id)
        .values(decision=decision, decided_by_id=admin.id, decided_at=now(), pending_count=0)
        .execution_options(synchronize_session=False)
    )
