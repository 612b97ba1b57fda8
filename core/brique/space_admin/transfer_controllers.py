"""Copying a space, exporting its configuration and creating a space from a process file."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from brique import uploads
from brique.actionlog.log import log_action
from brique.clock import now
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Space
from brique.signals import space_created
from brique.space_admin.access import platform_only
from brique.space_admin.pages import Errors, page
from brique.space_admin.schemas import CopySchema, ImportSchema
from brique.space_admin.spaces import slug_errors
from brique.space_admin.transfer import (
    TransferError,
    copy_space,
    dumps,
    export_space,
    import_space,
    parse_file,
)


@platform_only("create_space")
def copy() -> Any:
    if request.method == "GET":
        values = {"title": _("Copy of %(title)s", title=g.space.title), "slug": ""}
        return page("space_admin/copy.html", fields=form_fields(CopySchema, values))
    data, errors, raw = load_form(CopySchema, request.form)
    if data is not None:
        errors = slug_errors(data["slug"])
    if errors:
        return page("space_admin/copy.html", errors, fields=form_fields(CopySchema, raw, errors))
    try:
        space = copy_space(g.space, slug=data["slug"], title=data["title"])
    except TransferError as error:
        return page(
            "space_admin/copy.html",
            {"_schema": error.messages},
            fields=form_fields(CopySchema, raw),
        )
    return created(space, _("The copy “%(title)s” is created, as a draft.", title=space.title))


def created(space: Space, message: str) -> Any:
    image = space.hero_image
    try:  # a taken address fails at the flush, before anything is logged
        db.session.flush()
        log_action(current_user, "space.create", space)
        db.session.commit()
    except IntegrityError:  # another admin took the address meanwhile
        db.session.rollback()
        uploads.remove(image, uploads.HERO_IMAGES)
        flash(_("Another process already uses this address. Choose another one."), "error")
        return redirect(request.url)
    space_created.send(space)
    flash(message, "success")
    return redirect(url_for("space_admin.edit", slug=space.slug))


def export() -> Response:
    document = dumps(export_space(g.space))
    filename = f"{g.space.slug}-{now():%Y%m%d}.json"
    return Response(
        document,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@platform_only("create_space")
def import_file() -> Any:
    if request.method == "GET":
        return import_page({}, {})
    data, errors, raw = load_form(ImportSchema, request.form)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors["file"] = [_("Choose a process file (.json) exported from Brique.")]
    if data is not None:
        errors.update(slug_errors(data["slug"]))
    if errors:
        return import_page(raw, errors)
    try:
        document = parse_file(upload.read())
        space = import_space(document, slug=data["slug"], title=data["title"] or None)
    except TransferError as error:
        db.session.rollback()
        return import_page(raw, {"file": error.messages})
    return created(space, _("The process “%(title)s” is created from the file.", title=space.title))


def import_page(values: dict[str, Any], errors: Errors) -> Any:
    return page("space_admin/import.html", errors, fields=form_fields(ImportSchema, values, errors))
