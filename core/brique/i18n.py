"""Languages: which one a request is served in, and where the catalogs are."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import refresh
from flask_login import current_user

CORE_TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def select_locale() -> str:
    """The user's choice, then the session's, then the browser's, then the site default."""
    offered = current_app.config["LOCALES"]
    if not has_request_context():  # CLI commands, background work, tests
        return current_app.config["DEFAULT_LOCALE"]
    # As the session loaded the user: asking the user object again after a commit would
    # read the user again from the database.
    chosen = g.get("brique_user_locale")
    if chosen is None and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen in offered:
        return chosen
    if session.get("locale") in offered:
        return session["locale"]
    return request.accept_languages.best_match(offered) or current_app.config["DEFAULT_LOCALE"]


def user_locale_changed(locale: str) -> None:
    """The user chose ``locale`` in this request: what follows speaks it."""
    g.brique_user_locale = locale
    refresh()


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def translation_directories(app: Flask) -> str:
    folders = [str(CORE_TRANSLATIONS)]
    for plugin in app.extensions["brique"].enabled_plugins():
        if plugin.translations_folder is not None:
            folders.append(str(plugin.translations_folder))
    return ";".join(folders)
