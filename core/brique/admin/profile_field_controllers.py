"""Profile fields: questions the institution asks participants (age band, district...)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from brique.actionlog.log import log_action, snapshot
from brique.admin.controllers import platform_admin_required
from brique.admin.schemas import PROFILE_FIELD_TYPE_LABELS, ProfileFieldSchema
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Component, ProfileField, User

EDITABLE = ("label", "type", "choices", "at_signup", "required", "position")
#: What the log records of a profile field.
LOGGED = ("key", *EDITABLE)


def ordered_fields() -> list[ProfileField]:
    return list(
        db.session.scalars(select(ProfileField).order_by(ProfileField.position, ProfileField.id))
    )


@platform_admin_required
def profile_fields() -> str:
    return render_template(
        "admin/profile_fields.html", fields=ordered_fields(), type_labels=PROFILE_FIELD_TYPE_LABELS
    )


@platform_admin_required
def new_profile_field() -> object:
    return profile_field_form(None)


@platform_admin_required
def edit_profile_field(field_id: int) -> object:
    return profile_field_form(db.get_or_404(ProfileField, field_id))


def profile_field_form(profile_field: ProfileField | None) -> object:
    # The key names stored answers and action requirements: it never changes.
    schema = ProfileFieldSchema(exclude=("key",) if profile_field else ())
    values = {name: getattr(profile_field, name) for name in EDITABLE} if profile_field else {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, values = load_form(schema, request.form)
        if data is not None:
            errors = save_profile_field(profile_field or ProfileField(), data)
            if not errors:
                flash(_("The profile field “%(label)s” is saved.", label=data["label"]), "success")
                return redirect(url_for("admin.profile_fields"))
    return render_template(
        "admin/profile_field_form.html",
        profile_field=profile_field,
        fields=form_fields(schema, values, errors),
        errors=errors,
    ), 422 if errors else 200


def save_profile_field(profile_field: ProfileField, data: dict) -> dict[str, list[str]]:
    """Save, letting the unique constraint on the key decide clashes."""
    existing = profile_field.id is not None
    before = snapshot(profile_field, LOGGED) if existing else None
    for name, value in data.items():
        setattr(profile_field, name, value.strip() if isinstance(value, str) else value)
    db.session.add(profile_field)
    try:  # a key clash fails at the flush, before anything is logged
        db.session.flush()
        verb = "profile_field.update" if existing else "profile_field.create"
        after = snapshot(profile_field, LOGGED)
        log_action(current_user, verb, profile_field, before=before, after=after)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return {"key": [_("Another profile field already uses this key.")]}
    return {}


def components_requiring(key: str) -> list[Component]:
    """Components whose action permissions ask for the profile field ``key``."""
    components = db.session.scalars(select(Component).order_by(Component.id))
    return [
        component
        for component in components
        if any(
            key in (rule or {}).get("profile_fields", []) for rule in component.permissions.values()
        )
    ]


def forget_answers(key: str) -> int:
    """Erase every participant's answer to the field ``key`` (no data kept without a purpose);
    how many answers were erased."""
    answered = select(User).where(User.profile[key].as_string().is_not(None))
    erased = 0
    for user in db.session.scalars(answered):
        user.profile = {name: value for name, value in user.profile.items() if name != key}
        erased += 1
    return erased


@platform_admin_required
def delete_profile_field(field_id: int) -> object:
    profile_field = db.get_or_404(ProfileField, field_id)
    users_of = components_requiring(profile_field.key)
    if request.method == "POST" and not users_of:
        before = {**snapshot(profile_field, LOGGED), "answers": forget_answers(profile_field.key)}
        log_action(current_user, "profile_field.delete", profile_field, before=before)
        db.session.delete(profile_field)
        db.session.commit()
        flash(_("The profile field “%(label)s” is deleted.", label=profile_field.label), "success")
        return redirect(url_for("admin.profile_fields"))
    return render_template(
        "admin/profile_field_delete.html", profile_field=profile_field, components=users_of
    ), 409 if request.method == "POST" else 200
