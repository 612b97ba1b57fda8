"""Changing one's e-mail address and password."""

from __future__ import annotations

import secrets

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy.exc import IntegrityError

from brique.api.tokens import revoke_all_tokens
from brique.clock import now
from brique.db import db
from brique.extensions import limiter
from brique.forms import form_fields, load_form
from brique.mail import send_mail
from brique.models import User
from brique.users.controllers import find_by_email
from brique.users.schemas import ChangeEmailSchema, ChangePasswordSchema, without_passwords
from brique.users.tokens import make_token, read_token


def account_limit() -> str:
    return current_app.config["RATELIMIT_ACCOUNT"]


def absolute_url(endpoint: str, **values: object) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def wrong_password(field: str) -> dict[str, list[str]]:
    return {field: [_("This is not your current password.")]}


@login_required
@limiter.limit(account_limit, methods=["POST"])
def email() -> object:
    errors: dict[str, list[str]] = {}
    values: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(ChangeEmailSchema, request.form)
        if data is not None:
            errors = request_email_change(data["email"].strip().lower(), data["password"])
            if not errors:
                flash(
                    _(
                        "We sent a link to %(email)s. Your address changes when you open it.",
                        email=data["email"].strip().lower(),
                    ),
                    "success",
                )
                return redirect(url_for("account.email"))
    return render_template(
        "users/email.html",
        fields=form_fields(ChangeEmailSchema, without_passwords(values), errors),
        errors=errors,
    ), 422 if errors else 200


def request_email_change(new_email: str, password: str) -> dict[str, list[str]]:
    user = current_user._get_current_object()
    if not user.check_password(password):
        return wrong_password("password")
    if new_email == (user.email or "").lower():
        return {"email": [_("This is already your address.")]}
    if find_by_email(new_email) is not None:
        return {"email": [_("Another account uses this address.")]}
    token = make_token("email", {"id": user.id, "old": user.email, "new": new_email})
    send_mail(
        new_email,
        _("Confirm your new e-mail address"),
        "mail/email_change.txt",
        user=user,
        link=absolute_url("account.confirm_email", token=token),
    )
    return {}


def confirm_email(token: str) -> object:
    """Open the link sent to the new address: the change applies now, the old address is told."""
    max_age = current_app.config["CONFIRMATION_MAX_AGE_DAYS"] * 86400
    payload = read_token("email", token, max_age)
    user = db.session.get(User, payload["id"]) if payload else None
    if user is None or not user.is_active or user.email != payload["old"]:
        flash(_("This link is invalid, expired or already used. Ask for a new one."), "error")
        return redirect(url_for("account.email"))
    old_email = user.email
    user.email, user.email_confirmed_at = payload["new"], now()
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("Another account uses this address now. Choose another one."), "error")
        return redirect(url_for("account.email"))
    send_mail(
        old_email,
        _("Your e-mail address was changed"),
        "mail/email_changed.txt",
        user=user,
        new_email=user.email,
    )
    flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
    return redirect(url_for("account.email"))


@login_required
@limiter.limit(account_limit, methods=["POST"])
def password() -> object:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, _raw = load_form(ChangePasswordSchema, request.form)
        if data is not None:
            errors = change_password(data["current_password"], data["password"])
            if not errors:
                flash(
                    _("Your new password is saved. Your other sessions are logged out."), "success"
                )
                return redirect(url_for("account.password"))
    return render_template(
        "users/password.html", fields=form_fields(ChangePasswordSchema, {}, errors), errors=errors
    ), 422 if errors else 200


def change_password(current: str, new: str) -> dict[str, list[str]]:
    user = current_user._get_current_object()
    if not user.check_password(current):
        return wrong_password("current_password")
    user.set_password(new)
    # A new session token ends every other session; this one logs in again below.
    user.session_token = secrets.token_hex(16)
    revoked = revoke_all_tokens(user)  # they were made with the old password
    db.session.commit()
    if revoked:
        flash(_("Your API tokens are revoked too: create new ones for your applications."), "info")
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(user, remember=remembered)
    if user.email:
        send_mail(
            user.email,
            _("Your password was changed"),
            "mail/password_changed.txt",
            user=user,
            link=absolute_url("auth.forgot_password"),
        )
    return {}
