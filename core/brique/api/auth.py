"""Token authentication of the API's write endpoints: ``Authorization: Bearer <token>``.

Write endpoints accept the token and nothing else: a session cookie never
authenticates them, which is why they need no CSRF token (a third-party site can
make a browser send cookies, never a token it does not know).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import refresh

from brique.api import tokens
from brique.api.errors import ApiError
from brique.models import User
from brique.moderation.accounts import is_blocked, login_refusal

SCHEME = "bearer"


def sent_token() -> str | None:
    """The token of the ``Authorization`` header, or ``None`` if there is none."""
    scheme, _space, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != SCHEME or not value.strip():
        return None
    return value.strip()


def authenticated_user() -> User:
    """The active participant whose token the request carries; a 401 without a valid token."""
    secret = sent_token()
    if secret is None:
        raise unauthorized(
            _("Send your API token in the header “Authorization: Bearer <token>”."),
            "token_required",
        )
    token = tokens.find_token(secret)
    if token is None or not token.user.is_active:
        raise unauthorized(
            _("This API token is not valid: it may have been revoked."), "invalid_token"
        )
    tokens.mark_used(token)
    return token.user


def unauthorized(message: str, code: str) -> ApiError:
    """A 401 with the ``WWW-Authenticate`` challenge of RFC 6750."""
    challenge = 'Bearer realm="api"'
    if code == "invalid_token":
        challenge += ', error="invalid_token"'
    return ApiError(message, code, 401, headers={"WWW-Authenticate": challenge})


def act_as(user: User) -> None:
    """Make ``user`` the current user of this request only (nothing stored in a session).

    Flask-Login's ``login_user`` would write the session cookie; this sets what it reads
    for ``current_user``, so that rate limits and templates see the token's owner. The
    language follows the owner's, as on the site.
    """
    current_app.login_manager._update_request_context_with_user(user)
    refresh()


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``view`` as the owner of the request's token; without a valid token, a 401.

    Blocked accounts are refused (403, ``blocked``), as they are at log-in. Put it above
    the rate-limit decorators: they count per participant.
    """

    @wraps(view)
    def authenticated(*args: Any, **kwargs: Any) -> Any:
        user = authenticated_user()
        act_as(user)
        if is_blocked(user):
            raise ApiError(login_refusal(user), "blocked", 403)
        return view(*args, **kwargs)

    return authenticated
