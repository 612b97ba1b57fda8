"""The action log pages: the whole platform's for its administrators, a space's for its own."""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from flask_login import current_user

from brique.actionlog import queries
from brique.actionlog.labels import log_value, type_label, verb_label
from brique.actionlog.schemas import LogFilterSchema
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Space
from brique.permissions import can
from brique.space_admin.access import administered_space

PER_PAGE = 50


def require_login() -> object | None:
    """Anonymous people log in first; each view then asks ``can()``."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    return None


def platform_log() -> Any:
    decision = can(current_user, "admin")
    if not decision:
        abort(403, description=decision.reason)
    return log_page("actionlog/platform.html", None)


def space_log(slug: str) -> Any:
    g.space = administered_space(slug)
    return log_page("actionlog/space.html", g.space)


def log_page(template: str, space: Space | None) -> Any:
    verbs = [(verb, f"{verb_label(verb)} ({verb})") for verb in queries.verbs(_id(space))]
    spaces = None if space is not None else queries.space_choices()
    schema = LogFilterSchema(verbs=verbs, spaces=spaces)
    data, errors, raw = load_form(schema, request.args)
    filters = queries.LogFilters(**(data or {}))
    if space is not None:
        filters = queries.LogFilters(**{**(data or {}), "space_id": space.id})
    page = db.paginate(
        queries.log_query(filters),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    body = render_template(
        template,
        space=space,
        page=page,
        names=queries.names_of(page.items),
        fields=form_fields(schema, raw, errors),
        errors=errors,
        args={key: value for key, value in request.args.items() if key != "page" and value},
        verb_label=verb_label,
        type_label=type_label,
        log_value=log_value,
    )
    return (body, 422) if errors else body


def _id(space: Space | None) -> int | None:
    return space.id if space is not None else None
