"""Flask-Login wiring: which user a session belongs to."""

from __future__ import annotations

import hmac

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from brique.db import db
from brique.models import User


def load_user(session_id: str) -> User | None:
    """``"<id>:<token>"``: the token changes with the password, ending other sessions."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.blocked_at is not None:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def init_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = _l("Log in to see this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
