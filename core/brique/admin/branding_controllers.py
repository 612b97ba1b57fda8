"""Branding: the institution's name, logo, colour and welcome text."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from brique import uploads
from brique.actionlog.log import log_action, snapshot
from brique.admin.controllers import platform_admin_required
from brique.admin.schemas import BrandingSchema
from brique.admin.site import editable_site_settings
from brique.db import db
from brique.forms import FormField, form_fields, load_form
from brique.models import SiteSettings

EDITABLE = ("name", "primary_color", "welcome_text")
#: What the log records of the branding (the logo by its file name).
LOGGED = (*EDITABLE, "logo")


@platform_admin_required
def branding() -> object:
    site = SiteSettings.get()
    values = {name: getattr(site, name) for name in EDITABLE}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, values = load_form(BrandingSchema, request.form)
        logo = read_logo(request.files.get("logo"))
        if isinstance(logo, str):
            errors = {**errors, "logo": [logo]}
        if not errors:
            save_branding(data, logo, "remove_logo" in request.form)
            flash(_("The branding is saved."), "success")
            return redirect(url_for("admin.branding"))
    fields = form_fields(BrandingSchema, values, errors) + logo_fields(site, errors)
    return render_template(
        "admin/branding.html", settings=site, fields=fields, errors=errors
    ), 422 if errors else 200


def read_logo(upload: object) -> tuple[bytes, str] | str | None:
    """The uploaded logo, a message saying why it is refused, or ``None`` when none was sent."""
    if upload is None or not upload.filename:
        return None
    return uploads.read_image(upload)


def logo_fields(site: SiteSettings, errors: dict[str, list[str]]) -> list[FormField]:
    fields = [
        FormField(
            name="logo",
            label=str(_l("New logo") if site.logo else _l("Logo")),
            input="file",
            description=str(_l("PNG, JPEG or WebP, shown 40 pixels high next to the name.")),
            errors=errors.get("logo", []),
            attributes={"accept": "image/png,image/jpeg,image/webp"},
        )
    ]
    if site.logo:
        fields.append(
            FormField(name="remove_logo", label=str(_l("Remove the logo")), input="checkbox")
        )
    return fields


def save_branding(data: dict, logo: tuple[bytes, str] | None, remove_current: bool) -> None:
    site = editable_site_settings()
    old_logo, before = site.logo, snapshot(site, LOGGED)
    for name in EDITABLE:
        setattr(site, name, data[name].strip() if name == "name" else data[name])
    site.primary_color = site.primary_color.lower()
    new_logo = uploads.store(*logo, uploads.LOGOS) if logo else None
    if new_logo or remove_current:
        site.logo = new_logo
    try:
        db.session.flush()
        log_action(current_user, "site.branding", site, before=before, after=snapshot(site, LOGGED))
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(new_logo, uploads.LOGOS)
        raise
    if site.logo != old_logo:
        uploads.remove(old_logo, uploads.LOGOS)
