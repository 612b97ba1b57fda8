"""What every page shares: template helpers, error pages, security headers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, render_template, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from brique.i18n import LANGUAGE_NAMES
from brique.models import SiteSettings
from brique.permissions import can
from brique.resources import resource_type
from brique.text import render_markdown

ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You cannot do this"),
    404: _l("Page not found"),
    405: _l("This action is not possible here"),
    413: _l("The file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}

ERROR_HINTS = {
    404: _l("The page may have moved, or the process may not be public."),
    429: _l("Please wait a little before trying again."),
    500: _l("Nothing was saved. Please try again in a moment."),
}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'",
}


def init_web(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=can,
        slot=slot,
        site=current_site,
        get_locale=get_locale,
        language_names=LANGUAGE_NAMES,
        resource_type=resource_type,
    )
    app.jinja_env.filters.update(
        markdown=render_markdown, date=format_date, datetime=format_datetime, moment=moment
    )
    app.register_error_handler(HTTPException, error_page)
    app.register_error_handler(CSRFError, csrf_error)
    app.after_request(add_security_headers)


def moment(value: datetime) -> str:
    """A date, with its time unless it is midnight in the institution's timezone."""
    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    if local.hour == 0 and local.minute == 0:
        return format_date(local, format="long")
    return format_datetime(value, format="d MMMM y, HH:mm")


def current_site() -> SiteSettings:
    if "_brique_site" not in g:
        g._brique_site = SiteSettings.get()
    return g._brique_site


def slot(name: str, **context: Any) -> Markup:
    """Render what plugins give for the template slot ``name``."""
    parts = current_app.extensions["brique"].hook.template_slot(name=name, context=context)
    return Markup("\n").join(Markup(part) for part in parts if part)


def error_page(error: HTTPException) -> tuple[str, int]:
    from brique.db import db

    db.session.rollback()
    if request.path.startswith("/api/"):
        from brique.api.controllers import http_error

        return http_error(error)
    code = error.code or 500
    title = ERROR_TITLES.get(code, error.name)
    detail = error.description if code in {403, 400} else ERROR_HINTS.get(code, "")
    return render_template("error.html", code=code, title=title, detail=detail), code


def csrf_error(error: CSRFError) -> tuple[str, int]:
    message = _l(
        "Your form expired or came from another site. Go back, reload the page and "
        "send it again: nothing was changed."
    )
    return render_template("error.html", code=400, title=ERROR_TITLES[400], detail=message), 400


def add_security_headers(response: Any) -> Any:
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    # ``is_anonymous``, not ``is_authenticated``: that one reads the user's row again after
    # a commit expired it, a query on every form sent.
    if current_user and not current_user.is_anonymous and request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response
