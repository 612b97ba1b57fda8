"""Roles in a space: who administers, moderates, evaluates or is a member of it."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from brique.actionlog.log import log_action
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import SpaceRole
from brique.permissions import can, forget_roles
from brique.space_admin.pages import Errors, page
from brique.space_admin.queries import person, roles_of
from brique.space_admin.schemas import RoleSchema

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "moderator": _l("Moderator"),
    "valuator": _l("Valuator"),
    "member": _l("Member"),
}

ROLE_HINTS = {
    "admin": _l("Sets up the whole process: information, steps, components, roles."),
    "moderator": _l("Hides reported contributions and answers participants."),
    "valuator": _l("Evaluates proposals and projects assigned to them."),
    "member": _l("Can see the process while it is private."),
}


def role_schema() -> RoleSchema:
    return RoleSchema(role_labels=[(key, str(label)) for key, label in ROLE_LABELS.items()])


def index(values: dict[str, Any] | None = None, errors: Errors | None = None) -> Any:
    return page(
        "space_admin/roles.html",
        errors,
        roles=roles_of(g.space),
        labels=ROLE_LABELS,
        hints=ROLE_HINTS,
        fields=form_fields(role_schema(), values or {"role": "moderator"}, errors),
    )


def add() -> Any:
    data, errors, raw = load_form(role_schema(), request.form)
    user = person(data["person"]) if data is not None else None
    if data is not None and user is None:
        errors = {"person": [_("No registered person has this e-mail address or nickname.")]}
    if errors:
        return index(raw, errors)
    db.session.add(SpaceRole(space_id=g.space.id, user_id=user.id, role=data["role"]))
    try:  # a role the person already has fails at the flush, before anything is logged
        db.session.flush()
        log_action(current_user, "role.grant", user, space=g.space, after={"role": data["role"]})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        message = _("%(name)s already has this role.", name=user.nickname)
        return index(raw, {"role": [message]})
    forget_roles()
    role = ROLE_LABELS[data["role"]]
    flash(_("%(name)s now has the role “%(role)s”.", name=user.nickname, role=role), "success")
    return redirect(url_for("space_admin.roles"))


def remove(role_id: int) -> Any:
    role = db.session.get(SpaceRole, role_id)
    if role is None or role.space_id != g.space.id:
        abort(404)
    own_admin = role.user_id == current_user.id and role.role == "admin"
    if own_admin and not can(current_user, "admin"):
        flash(
            _("You cannot remove your own administrator role: ask another administrator."), "error"
        )
        return redirect(url_for("space_admin.roles"))
    nickname, label = role.user.nickname, ROLE_LABELS[role.role]
    log_action(current_user, "role.revoke", role.user, space=g.space, before={"role": role.role})
    db.session.delete(role)
    db.session.commit()
    forget_roles()
    flash(_("%(name)s no longer has the role “%(role)s”.", name=nickname, role=label), "success")
    return redirect(url_for("space_admin.roles"))
