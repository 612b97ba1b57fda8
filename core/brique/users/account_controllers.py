"""The participant's account: profile, notification preferences, verifications."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from brique.authorizations import grant
from brique.db import db
from brique.forms import form_fields, load_form, translate_errors
from brique.i18n import LANGUAGE_NAMES, user_locale_changed
from brique.models import Authorization, ProfileField
from brique.models.users import DEFAULT_NOTIFICATIONS
from brique.signals import user_authorized
from brique.urls import safe_next
from brique.users import profile as profile_form
from brique.users.form_parts import FormPart, load_parts, summary_errors
from brique.users.schemas import AccountSchema, NotificationSchema, with_choices
from brique.users.verifications import describe_authorization, email_verification

ACCOUNT_FIELDS = ("nickname", "name", "locale")


def account_schema() -> AccountSchema:
    locales = [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LOCALES"]]
    return with_choices(AccountSchema(), "locale", locales)


def requested_fields(fields: list[ProfileField]) -> list[ProfileField]:
    """Fields named in ``?require=`` (sent by a refused action) that the user has not answered."""
    wanted = set(request.args.get("require", "").split(","))
    return [
        field for field in fields if field.key in wanted and not current_user.profile.get(field.key)
    ]


def return_to(from_referrer: bool) -> str | None:
    """Where to go once done: ``next``, else (``from_referrer``) the same-site page that sent here.

    Refused actions link to the profile and verification pages without ``next``:
    the referring page is where the participant wanted to act.
    """
    target = safe_next(request.args.get("next"))
    if target or not from_referrer or not request.referrer:
        return target
    referrer = urlsplit(request.referrer)
    if referrer.netloc != request.host:
        return None
    return safe_next(urlunsplit(("", "", referrer.path, referrer.query, "")))


@login_required
def profile() -> object:
    back = return_to("require" in request.args)
    fields = profile_form.profile_fields()
    missing = requested_fields(fields)
    account = FormPart(account_schema(), {k: getattr(current_user, k) for k in ACCOUNT_FIELDS})
    answers = FormPart(
        profile_form.profile_schema(fields, {field.key for field in missing}),
        dict(current_user.profile),
        profile_form.PREFIX,
    )
    if request.method == "POST" and load_parts(request.form, account, answers):
        account.errors = save_profile(account.data, answers.data)
        if not account.errors:
            flash(_("Your profile is saved."), "success")
            return redirect(back or url_for("account.profile"))
    errors = summary_errors(account, answers)
    return render_template(
        "users/profile.html",
        action=url_for("account.profile", require=request.args.get("require"), next=back),
        fields=account.fields(),
        profile_fields=answers.fields(),
        missing=missing,
        errors=errors,
    ), 422 if errors else 200


def save_profile(data: dict, answers: dict) -> dict[str, list[str]]:
    user = current_user._get_current_object()
    user.nickname, user.name, user.locale = data["nickname"], data["name"].strip(), data["locale"]
    user.profile = profile_form.merge_answers(user.profile, answers)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return {"nickname": [_("This nickname is taken. Choose another one.")]}
    session["locale"] = data["locale"]
    user_locale_changed(data["locale"])
    return {}


@login_required
def notifications() -> object:
    values = {**DEFAULT_NOTIFICATIONS, **(current_user.notification_settings or {})}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, values = load_form(NotificationSchema, request.form)
        if data is not None:
            current_user.notification_settings = {
                **DEFAULT_NOTIFICATIONS,
                **(current_user.notification_settings or {}),
                **data,
            }
            db.session.commit()
            flash(_("Your notification preferences are saved."), "success")
            return redirect(url_for("account.notifications"))
    return render_template(
        "users/notifications.html",
        fields=form_fields(NotificationSchema, values, errors),
        errors=errors,
    ), 422 if errors else 200


@login_required
def verifications() -> str:
    handlers = current_app.extensions["brique"].authorization_handlers
    rows = db.session.scalars(select(Authorization).where(Authorization.user_id == current_user.id))
    recorded = {row.handler: row for row in rows}
    items = [
        email_verification(handler, current_user)
        if name == "email"
        else describe_authorization(handler, recorded.get(name))
        for name, handler in sorted(handlers.items())
    ]
    return render_template("users/verifications.html", verifications=items)


@login_required
def verify(handler: str) -> object:
    found = current_app.extensions["brique"].authorization_handlers.get(handler)
    if found is None or found.verify_schema is None:
        abort(404)
    back = return_to(True)
    errors: dict[str, list[str]] = {}
    raw = request.form.to_dict()
    if request.method == "POST":
        data, errors, raw = load_form(found.verify_schema, request.form)
        if data is not None:
            errors = record_verification(found, data)
            if not errors:
                flash(_("Thank you: your %(what)s is verified.", what=found.label), "success")
                return redirect(back or url_for("account.verifications"))
    return render_template(
        "users/verify.html",
        action=url_for("account.verify", handler=found.name, next=back),
        handler=found,
        errors=errors,
        fields=form_fields(found.verify_schema, raw, errors),
    ), 422 if errors else 200


def record_verification(handler: object, data: dict) -> dict[str, list[str]]:
    user = current_user._get_current_object()
    try:
        grant(user, handler, data)
        db.session.commit()
    except ValidationError as error:
        db.session.rollback()
        return translate_errors(error.messages)
    except IntegrityError:  # the same identity verified another account at the same moment
        db.session.rollback()
        return {"_schema": [_("These details already verified another account.")]}
    user_authorized.send(user, handler=handler.name)
    return {}
