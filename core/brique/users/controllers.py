"""Sign-up, e-mail confirmation, log-in, log-out and password reset."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from brique.api.tokens import revoke_all_tokens
from brique.clock import now
from brique.db import db
from brique.extensions import limiter
from brique.forms import form_fields, load_form
from brique.i18n import select_locale
from brique.mail import send_mail
from brique.models import User
from brique.moderation.accounts import login_refusal
from brique.signals import user_confirmed, user_registered
from brique.urls import safe_next
from brique.users import profile
from brique.users.form_parts import FormPart, load_parts, summary_errors
from brique.users.schemas import (
    EmailSchema,
    LoginSchema,
    NewPasswordSchema,
    SignupSchema,
)
from brique.users.tokens import make_token, read_token


def _limit(key: str) -> str:
    return current_app.config[key]


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@limiter.limit(lambda: _limit("RATELIMIT_SIGNUP"), methods=["POST"])
def signup() -> object:
    if current_user.is_authenticated:
        return redirect(url_for("spaces.home"))
    account = FormPart(SignupSchema(), {})
    answers = FormPart(
        profile.profile_schema(profile.profile_fields(at_signup=True)), {}, profile.PREFIX
    )
    if request.method == "POST" and load_parts(request.form, account, answers):
        user, account.errors = create_user(account.data, profile.merge_answers({}, answers.data))
        if user is not None:
            return welcome(user)
    errors = summary_errors(account, answers)
    return render_template(
        "users/signup.html",
        fields=account.fields(),
        profile_fields=answers.fields(),
        errors=errors,
    ), 422 if errors else 200


def welcome(user: User) -> object:
    send_confirmation(user)
    login_user(user)
    flash(_("Welcome! We sent a confirmation link to %(email)s.", email=user.email), "success")
    return redirect(safe_next(request.args.get("next")) or url_for("spaces.home"))


def create_user(
    data: dict, answers: dict | None = None
) -> tuple[User | None, dict[str, list[str]]]:
    """Insert the user; the unique constraints decide clashes, so races cannot duplicate."""
    user = User(
        email=data["email"].strip().lower(),
        nickname=data["nickname"],
        name=data.get("name", "").strip(),
        locale=str(select_locale()),
        session_token=secrets.token_hex(16),
        profile=answers or {},
    )
    user.set_password(data["password"])
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None, clash_errors(data)
    user_registered.send(user)
    return user, {}


def clash_errors(data: dict) -> dict[str, list[str]]:
    if find_by_email(data["email"]) is not None:
        return {
            "email": [
                _(
                    "An account already uses this address. Log in, or reset your "
                    "password if you forgot it."
                )
            ]
        }
    return {"nickname": [_("This nickname is taken. Choose another one.")]}


def send_confirmation(user: User) -> None:
    token = make_token("confirm", {"id": user.id, "email": user.email})
    send_mail(
        user.email,
        _("Confirm your e-mail address"),
        "mail/confirm.txt",
        user=user,
        link=current_app.config["BASE_URL"].rstrip("/") + url_for("auth.confirm", token=token),
    )


def confirm(token: str) -> object:
    max_age = current_app.config["CONFIRMATION_MAX_AGE_DAYS"] * 86400
    payload = read_token("confirm", token, max_age)
    user = db.session.get(User, payload["id"]) if payload else None
    if user is None or user.email != payload["email"] or not user.is_active:
        flash(_("This confirmation link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("auth.resend_confirmation"))
    if not user.email_confirmed:
        user.email_confirmed_at = now()
        db.session.commit()
        user_confirmed.send(user)
    flash(_("Your e-mail address is confirmed. You can take part."), "success")
    return redirect(url_for("spaces.home"))


@login_required
@limiter.limit(lambda: _limit("RATELIMIT_ACCOUNT"), methods=["POST"])
def resend_confirmation() -> object:
    if current_user.email_confirmed:
        flash(_("Your e-mail address is already confirmed."), "info")
        return redirect(url_for("account.profile"))
    if request.method == "POST":
        send_confirmation(current_user)
        flash(
            _("We sent a new confirmation link to %(email)s.", email=current_user.email), "success"
        )
        return redirect(url_for("spaces.home"))
    return render_template("users/resend_confirmation.html")


@limiter.limit(lambda: _limit("RATELIMIT_LOGIN"), methods=["POST"])
def login() -> object:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("spaces.home"))
    errors: dict[str, list[str]] = {}
    raw = {"email": request.form.get("email", "")}
    if request.method == "POST":
        data, errors, _raw = load_form(LoginSchema, request.form)
        if data is not None:
            user = authenticate(data["email"], data["password"])
            refusal = login_refusal(user)
            if user is not None and refusal is None:
                login_user(user, remember=data["remember"])
                return redirect(safe_next(request.args.get("next")) or url_for("spaces.home"))
            errors = {"_schema": [refusal or _("E-mail address or password is incorrect.")]}
    return render_template(
        "users/login.html", fields=form_fields(LoginSchema, raw, errors), errors=errors
    ), 401 if errors else 200


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else ``None``.

    An unknown address costs a password check too, so that response times do not
    tell which addresses have an account.
    """
    user = find_by_email(email)
    if user is None or not user.is_active or not user.password_hash:
        check_password_hash(dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def dummy_hash() -> str:
    """A hash of a random password, made once per app with the configured method."""
    key = "brique_dummy_password_hash"
    if key not in current_app.extensions:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        current_app.extensions[key] = generate_password_hash(secrets.token_hex(8), method=method)
    return current_app.extensions[key]


def logout() -> object:
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("spaces.home"))


@limiter.limit(lambda: _limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
def forgot_password() -> object:
    errors: dict[str, list[str]] = {}
    raw = request.form.to_dict()
    if request.method == "POST":
        data, errors, raw = load_form(EmailSchema, request.form)
        if data is not None:
            user = find_by_email(data["email"])
            if user is not None and user.is_active:
                send_reset(user)
            # Same answer whether or not the address is known: no account enumeration.
            flash(
                _("If an account uses this address, we sent it a link to choose a new password."),
                "info",
            )
            return redirect(url_for("auth.login"))
    return render_template(
        "users/forgot_password.html", fields=form_fields(EmailSchema, raw, errors), errors=errors
    ), 422 if errors else 200


def password_stamp(user: User) -> str:
    """Changes with the password, so that a reset link works once; reveals nothing of the hash."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def send_reset(user: User) -> None:
    token = make_token("reset", {"id": user.id, "stamp": password_stamp(user)})
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_password", token=token)
    send_mail(user.email, _("Choose a new password"), "mail/reset.txt", user=user, link=link)


def reset_password(token: str) -> object:
    payload = read_token("reset", token, current_app.config["RESET_MAX_AGE_HOURS"] * 3600)
    user = db.session.get(User, payload["id"]) if payload else None
    if user is None or not user.is_active or password_stamp(user) != payload["stamp"]:
        flash(_("This link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, _raw = load_form(NewPasswordSchema, request.form)
        if data is not None:
            user.set_password(data["password"])
            user.session_token = secrets.token_hex(16)
            revoke_all_tokens(user)  # whoever knew the old password may have made some
            # The link came to the mailbox: the address is confirmed too.
            user.email_confirmed_at = user.email_confirmed_at or now()
            db.session.commit()
            login_user(user)
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("spaces.home"))
    return render_template(
        "users/reset_password.html",
        fields=form_fields(NewPasswordSchema, {}, errors),
        errors=errors,
    ), 422 if errors else 200
