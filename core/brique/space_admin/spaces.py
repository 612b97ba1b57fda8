"""Spaces: the list, creating one, editing its information, publishing and deleting it."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from brique import uploads
from brique.actionlog.log import log_action, snapshot
from brique.clock import now
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Space
from brique.permissions import can
from brique.signals import component_removed, space_created, space_published, space_unpublished
from brique.space_admin.access import platform_only
from brique.space_admin.pages import Errors, page
from brique.space_admin.queries import administered_spaces, free_slug, scope_choices, slug_owner
from brique.space_admin.schemas import SpaceSchema
from brique.urls import safe_next


def index() -> str:
    rows = administered_spaces(current_user)
    return render_template(
        "space_admin/index.html", rows=rows, can_create=can(current_user, "create_space")
    )


@platform_only("create_space")
def new() -> Any:
    space = Space(title="", slug="")
    if request.method == "POST":
        errors, values = save_space(space, created=True)
        if not errors:
            space_created.send(space)
            flash(
                _("The process “%(title)s” is created, as a draft.", title=space.title), "success"
            )
            return redirect(url_for("space_admin.steps", slug=space.slug))
        return space_form("space_admin/new.html", values, errors)
    return space_form("space_admin/new.html", {}, {})


def edit() -> Any:
    if request.method == "POST":
        errors, values = save_space(g.space, created=False)
        if not errors:
            flash(_("The process information is saved."), "success")
            return redirect(url_for("space_admin.edit", slug=g.space.slug))
        return space_form("space_admin/edit.html", values, errors)
    values = {name: getattr(g.space, name) for name in SpaceSchema().load_fields}
    return space_form("space_admin/edit.html", values, {})


def space_form(template: str, values: dict[str, Any], errors: Errors) -> Any:
    schema = SpaceSchema(scopes=scope_choices())
    fields = {field.name: field for field in form_fields(schema, values, errors)}
    return page(template, errors, fields=fields)


def save_space(space: Space, created: bool) -> tuple[Errors, dict[str, Any]]:
    """Validate the form and image, then save it all or nothing; returns errors and values."""
    data, errors, raw = load_form(SpaceSchema(scopes=scope_choices()), request.form)
    image = uploads.read_image(request.files["hero_image"]) if _has_image() else None
    if isinstance(image, str):
        errors["hero_image"] = [image]
    if data is not None:
        data["slug"] = data["slug"] or free_slug(data["title"])
        errors.update(slug_errors(data["slug"], space))
    if errors:
        return errors, raw
    return _store(space, data, image, created), raw


def _has_image() -> bool:
    upload = request.files.get("hero_image")
    return upload is not None and bool(upload.filename)


def slug_errors(slug: str, space: Space | None = None) -> Errors:
    """An error when another space than ``space`` uses ``slug``."""
    owner = slug_owner(slug, space)
    if owner is None:
        return {}
    message = _("The process “%(title)s” already uses this address. Choose another one.")
    return {"slug": [message % {"title": owner.title}]}


def logged_fields() -> list[str]:
    """What the log keeps of a space before and after an edit."""
    return [*SpaceSchema().load_fields, "hero_image"]


def _store(space: Space, data: dict[str, Any], image: Any, created: bool) -> Errors:
    """Save the space and its log entry in one transaction (both or neither)."""
    before = None if created else snapshot(space, logged_fields())
    previous = space.hero_image
    for key, value in data.items():
        setattr(space, key, value)
    if image is not None:
        space.hero_image = uploads.store(*image, uploads.HERO_IMAGES)
    elif "remove_hero_image" in request.form:
        space.hero_image = None
    if created:
        db.session.add(space)
    try:
        db.session.flush()  # the new space's id, or the taken address, before logging
        _log_saved(space, before)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if image is not None:
            uploads.remove(space.hero_image, uploads.HERO_IMAGES)
        return {"slug": [_("Another process already uses this address. Choose another one.")]}
    if previous != space.hero_image:
        uploads.remove(previous, uploads.HERO_IMAGES)
    return {}


def _log_saved(space: Space, before: dict[str, Any] | None) -> None:
    if before is None:
        log_action(current_user, "space.create", space)
    else:
        after = snapshot(space, before)
        log_action(current_user, "space.update", space, before=before, after=after)


def publish() -> Any:
    if not g.space.is_published:
        g.space.published_at = now()
        log_action(current_user, "space.publish", g.space)
        db.session.commit()
        space_published.send(g.space)
    flash(_("The process is published: participants can see it."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("space_admin.edit"))


def unpublish() -> Any:
    if g.space.is_published:
        g.space.published_at = None
        log_action(current_user, "space.unpublish", g.space)
        db.session.commit()
        space_unpublished.send(g.space)
    flash(_("The process is back to draft: only its staff can see it."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("space_admin.edit"))


@platform_only("create_space")
def delete() -> Any:
    if request.method == "GET":
        return page("space_admin/delete.html")
    space, title, image = g.space, g.space.title, g.space.hero_image
    for component in space.components:
        component_removed.send(component)
    log_action(current_user, "space.delete", space)
    db.session.delete(space)
    db.session.commit()
    uploads.remove(image, uploads.HERO_IMAGES)
    flash(_("The process “%(title)s” is deleted.", title=title), "success")
    return redirect(url_for("space_admin.index"))
