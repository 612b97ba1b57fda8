"""The participant's data: download it all, or delete the account."""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from brique.api.tokens import revoke_all_tokens
from brique.clock import now
from brique.db import db
from brique.extensions import limiter
from brique.forms import form_fields, load_form
from brique.models import Authorization, SpaceRole, User
from brique.signals import user_deleted
from brique.users.account_security import account_limit
from brique.users.participation_data import participation_data
from brique.users.schemas import DeleteAccountSchema

ACCOUNT_COLUMNS = (
    "id",
    "nickname",
    "name",
    "email",
    "locale",
    "email_confirmed_at",
    "created_at",
    "notification_settings",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def personal_data(user: User) -> dict[str, Any]:
    """Everything the core stores about ``user``, never the password hash nor other
    people's identities."""
    return {
        "account": {name: _plain(getattr(user, name)) for name in ACCOUNT_COLUMNS},
        "platform_administrator": user.is_admin,
        "profile": dict(user.profile),
        "authorizations": authorizations_of(user),
        "roles": roles_of(user),
        **participation_data(user.id),
        "exported_at": _plain(now()),
    }


def authorizations_of(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Authorization)
        .where(Authorization.user_id == user.id)
        .order_by(Authorization.handler)
    )
    return [
        {"handler": row.handler, "data": row.data, "granted_at": _plain(row.granted_at)}
        for row in rows
    ]


def roles_of(user: User) -> list[dict[str, str]]:
    rows = db.session.scalars(
        select(SpaceRole)
        .where(SpaceRole.user_id == user.id)
        .options(selectinload(SpaceRole.space))
        .order_by(SpaceRole.space_id, SpaceRole.role)
    )
    return [
        {"space": role.space.slug, "space_title": role.space.title, "role": role.role}
        for role in rows
    ]


@login_required
def data() -> str:
    return render_template("users/data.html")


@login_required
def download() -> Response:
    user = current_user._get_current_object()
    body = json.dumps(personal_data(user), ensure_ascii=False, indent=2, sort_keys=True)
    filename = f"my-data-{now():%Y-%m-%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
@limiter.limit(account_limit, methods=["POST"])
def delete_account() -> object:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, _raw = load_form(DeleteAccountSchema, request.form)
        if data is not None:
            errors = check_deletion(current_user._get_current_object(), data["password"])
        if data is not None and not errors:
            user = current_user._get_current_object()
            anonymise(user)
            logout_user()
            user_deleted.send(user)
            flash(_("Your account is deleted. Your contributions stay, without your name."), "info")
            return redirect(url_for("spaces.home"))
    return render_template(
        "users/delete.html", fields=form_fields(DeleteAccountSchema, {}, errors), errors=errors
    ), 422 if errors else 200


def check_deletion(user: User, password: str) -> dict[str, list[str]]:
    if not user.check_password(password):
        return {"password": [_("This is not your current password.")]}
    if user.is_admin and not other_admins(user):
        return {
            "_schema": [
                _(
                    "You are the only platform administrator. Make someone else "
                    "administrator before deleting your account."
                )
            ]
        }
    return {}


def other_admins(user: User) -> int:
    query = select(func.count()).select_from(User)
    return db.session.scalar(
        query.where(User.is_admin, User.deleted_at.is_(None), User.id != user.id)
    )


def anonymise(user: User) -> None:
    """Erase what identifies ``user``; the row stays so that contributions keep an author."""
    db.session.execute(delete(Authorization).where(Authorization.user_id == user.id))
    db.session.execute(delete(SpaceRole).where(SpaceRole.user_id == user.id))
    user.email, user.name, user.password_hash = None, "", None
    user.nickname = f"deleted-{user.id}"
    user.profile, user.notification_settings = {}, {}
    user.is_admin, user.email_confirmed_at = False, None
    user.session_token = secrets.token_hex(16)
    user.deleted_at = now()
    revoke_all_tokens(user)
    db.session.commit()
