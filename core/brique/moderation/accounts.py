"""Blocked accounts: what stops them at log-in and in their open sessions."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from brique.db import db
from brique.models import User


def is_blocked(user: User | None) -> bool:
    return user is not None and user.blocked_at is not None


def blocked_ids() -> set[int]:
    """Ids of every blocked person (a few, usually none), to check many contributions."""
    return set(db.session.scalars(select(User.id).where(User.blocked_at.is_not(None))))


def login_refusal(user: User | None) -> str | None:
    """Why ``user`` (who gave the right password) may not log in, or ``None``."""
    if not is_blocked(user):
        return None
    return _(
        "Your account is blocked: %(reason)s If you think this is a mistake, write to the "
        "site's team.",
        reason=_sentence(user.blocked_reason),
    )


def _sentence(reason: str) -> str:
    reason = reason.strip() or _("the moderators found it broke the participation charter")
    return reason if reason.endswith((".", "!", "?")) else reason + "."
