"""Views of the public site."""

from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user

from brique.clock import now
from brique.components import component_type
from brique.db import db
from brique.forms import to_local
from brique.i18n import user_locale_changed
from brique.permissions import can
from brique.spaces.queries import by_phase, space_for_page, visible_spaces
from brique.timeline import active_step, step_state
from brique.urls import safe_next


def home() -> str:
    spaces = visible_spaces(current_user)
    today = to_local(now()).date()
    grouped = by_phase(spaces, today)
    promoted = [space for space in grouped.in_progress if space.promoted]
    return render_template("spaces/home.html", grouped=grouped, promoted=promoted)


def processes() -> str:
    grouped = by_phase(visible_spaces(current_user), to_local(now()).date())
    return render_template("spaces/processes.html", grouped=grouped)


def show(slug: str) -> str:
    space = space_for_page(slug)
    if space is None:
        abort(404)
    decision = can(current_user, "view", space)
    if not decision:
        abort(404)
    moment = now()
    current = active_step(space, moment)
    steps = [(step, step_state(step, current, moment)) for step in space.steps]
    components = [
        (component, component_type(component.type))
        for component in space.components
        if component_type(component.type) and can(current_user, "view", component)
    ]
    return render_template(
        "spaces/show.html", space=space, steps=steps, current=current, components=components
    )


def set_language() -> object:
    locale = request.form.get("locale", "")
    if locale in current_app.config["LOCALES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
            user_locale_changed(locale)
    return redirect(safe_next(request.form.get("next")) or url_for("spaces.home"))


def upload(filename: str) -> object:
    folder = Path(current_app.config["UPLOAD_PATH"])
    return send_from_directory(folder, filename, max_age=3600)
