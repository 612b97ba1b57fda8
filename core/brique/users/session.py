"""Flask-Login wiring: which user a session belongs to."""

from __future__ import annotations

import hmac

from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select

from brique.db import db
from brique.models import SpaceRole, User
from brique.permissions import remember_roles


def load_user(session_id: str) -> User | None:
    """``"<id>:<token>"``: the token changes with the password, ending other sessions."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    # The user's roles come in the same query: nearly every request asks ``can()``.
    rows = db.session.execute(
        select(User, SpaceRole.space_id, SpaceRole.role)
        .outerjoin(SpaceRole, SpaceRole.user_id == User.id)
        .where(User.id == int(user_id))
    ).all()
    if not rows:
        return None
    user = rows[0][0]
    if not user.is_active or user.blocked_at is not None:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    remember_roles(user, [(space_id, role) for _, space_id, role in rows if role is not None])
    # Kept for the language of the request, which a view often asks for only after its
    # commit has expired the user (a flashed message): no query to read it again.
    g.brique_user_locale = user.locale
    return user


def init_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = _l("Log in to see this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
