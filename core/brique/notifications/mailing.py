"""E-mails of notifications and newsletters: each in its reader's language, each with a
one-click unsubscribe link that needs no login."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer

from brique.models import User

#: What an unsubscribe link stops: notification e-mails, or newsletters.
PURPOSES = ("notifications", "newsletter")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="brique-unsubscribe")


def unsubscribe_token(user: User, purpose: str) -> str:
    """A signed token naming the person and what to stop; it never expires (old e-mails
    must still work) and changes with the secret key."""
    return _serializer().dumps([user.id, purpose])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, purpose = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if purpose not in PURPOSES or not isinstance(user_id, int):
        return None
    return user_id, purpose


def absolute(path: str) -> str:
    """A full address for an e-mail, from a path of the site."""
    if path.startswith(("http://", "https://")):
        return path
    return current_app.config["BASE_URL"].rstrip("/") + path


def unsubscribe_url(user: User, purpose: str) -> str:
    return absolute(url_for("notifications.unsubscribe", token=unsubscribe_token(user, purpose)))


@contextmanager
def in_language_of(user: User) -> Iterator[None]:
    """Render in the person's language, or the site's if theirs is not offered."""
    locale = user.locale if user.locale in current_app.config["LOCALES"] else None
    with force_locale(locale or current_app.config["DEFAULT_LOCALE"]):
        yield


def compose(
    user: User,
    subject: str,
    template: str,
    purpose: str,
    html_template: str | None = None,
    **context: Any,
) -> EmailMessage:
    """The e-mail to ``user``: plain text from ``template``, an HTML part from
    ``html_template`` if given (both receive ``user`` and ``unsubscribe_url``), and the
    List-Unsubscribe headers (RFC 2369 and 8058). Send it with
    :func:`brique.mail.send_message`."""
    link = unsubscribe_url(user, purpose)
    context = {**context, "user": user, "unsubscribe_url": link}
    message = EmailMessage()
    message["To"] = user.email
    message["Subject"] = subject
    message["List-Unsubscribe"] = f"<{link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(render_template(template, **context))
    if html_template is not None:
        message.add_alternative(render_template(html_template, **context), subtype="html")
    return message
