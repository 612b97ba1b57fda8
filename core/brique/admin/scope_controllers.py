"""Scopes: the territories processes and proposals can be placed in."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from brique.actionlog.log import log_action, snapshot
from brique.admin.controllers import platform_admin_required
from brique.admin.schemas import ScopeSchema
from brique.admin.scopes import descendant_ids, parent_choices, scope_tree
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Scope
from brique.users.schemas import with_choices

#: What the log records of a scope.
LOGGED = ("name", "code", "parent_id")


@platform_admin_required
def scopes() -> str:
    return render_template("admin/scopes.html", rows=scope_tree())


@platform_admin_required
def new_scope() -> object:
    return scope_form(None)


@platform_admin_required
def edit_scope(scope_id: int) -> object:
    return scope_form(db.get_or_404(Scope, scope_id))


def scope_form(scope: Scope | None) -> object:
    rows = scope_tree()
    excluded = {scope.id} | descendant_ids(scope.id, rows) if scope else set()
    schema = with_choices(ScopeSchema(), "parent_id", parent_choices(rows, excluded))
    values = (
        {"name": scope.name, "code": scope.code, "parent_id": scope.parent_id}
        if scope
        else {"parent_id": request.args.get("parent", type=int)}
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, values = load_form(schema, request.form)
        if data is not None:
            errors = code_clash(data["code"], scope)
            saved = None if errors else save_scope(scope or Scope(), data)
            if saved is not None:
                return saved
            errors = errors or code_clash_error()
    return render_template(
        "admin/scope_form.html",
        scope=scope,
        fields=form_fields(schema, values, errors),
        errors=errors,
    ), 422 if errors else 200


def code_clash(code: str, scope: Scope | None) -> dict[str, list[str]]:
    """A friendly error when another scope has this code (codes identify territories)."""
    code = code.strip()
    if not code:
        return {}
    query = exists().where(func.lower(Scope.code) == code.lower())
    if scope is not None:
        query = query.where(Scope.id != scope.id)
    if db.session.scalar(select(query)):
        return code_clash_error()
    return {}


def code_clash_error() -> dict[str, list[str]]:
    return {"code": [_("Another scope already has this code.")]}


def save_scope(scope: Scope, data: dict) -> object | None:
    existing = scope.id is not None
    before = snapshot(scope, LOGGED) if existing else None
    scope.name, scope.code, scope.parent_id = (
        data["name"].strip(),
        data["code"].strip(),
        data["parent_id"],
    )
    db.session.add(scope)
    try:  # a code clash fails at the flush, before anything is logged
        db.session.flush()
        verb = "scope.update" if existing else "scope.create"
        log_action(current_user, verb, scope, before=before, after=snapshot(scope, LOGGED))
        db.session.commit()
    except IntegrityError:  # another admin gave the same code at the same moment
        db.session.rollback()
        return None
    flash(_("The scope “%(name)s” is saved.", name=scope.name), "success")
    return redirect(url_for("admin.scopes"))


@platform_admin_required
def delete_scope(scope_id: int) -> object:
    scope = db.get_or_404(Scope, scope_id)
    rows = scope_tree()
    below = descendant_ids(scope.id, rows)
    spaces = sum(row.spaces for row in rows if row.scope.id in below | {scope.id})
    if request.method == "POST":
        before = {**snapshot(scope, LOGGED), "sub_scopes": len(below), "spaces": spaces}
        log_action(current_user, "scope.delete", scope, before=before)
        db.session.execute(delete(Scope).where(Scope.id.in_({scope.id} | below)))
        db.session.commit()
        flash(_("The scope “%(name)s” is deleted.", name=scope.name), "success")
        return redirect(url_for("admin.scopes"))
    return render_template(
        "admin/scope_delete.html", scope=scope, sub_scopes=len(below), spaces=spaces
    )
