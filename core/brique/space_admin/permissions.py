"""Permissions of a component's actions: which verifications and profile fields each needs.

Stored in ``component.permissions`` as :mod:`brique.permissions` reads it:
``{action: {"handlers": {name: options}, "profile_fields": [keys]}}``. An action
never configured requires :data:`brique.permissions.DEFAULT_REQUIREMENTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from brique.actionlog.log import log_action
from brique.authorizations import AuthorizationHandler
from brique.components import ComponentType
from brique.db import db
from brique.forms import FormField, form_fields, load_form
from brique.models import Component, ProfileField
from brique.permissions import DEFAULT_REQUIREMENTS
from brique.signals import settings_changed
from brique.space_admin.components import installed_type_of
from brique.space_admin.pages import Errors, page, prefixed

Requirements = dict[str, Any]


@dataclass
class HandlerChoice:
    """One authorization handler offered for an action, with its options' fields."""

    name: str
    label: str
    description: str
    checked: bool
    fields: list[FormField]


@dataclass
class ActionForm:
    """The part of the permissions form about one action."""

    name: str
    label: str
    handlers: list[HandlerChoice]
    profile_fields: FormField


def handlers() -> dict[str, AuthorizationHandler]:
    return current_app.extensions["brique"].authorization_handlers


def profile_field_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(ProfileField).order_by(ProfileField.position, ProfileField.id))
    return [(row.key, row.label) for row in rows]


def requirements_of(component: Component, action: str) -> Requirements:
    return component.permissions.get(action, DEFAULT_REQUIREMENTS)


def edit() -> Any:
    component, ctype = g.component, installed_type_of(g.component)
    if request.method == "GET":
        shown = {action: requirements_of(component, action) for action in ctype.actions}
        return permissions_page(ctype, shown, {})
    permissions, errors = read_permissions(ctype, request.form)
    if errors:
        return permissions_page(ctype, permissions, errors)
    before = {action: requirements_of(component, action) for action in ctype.actions}
    component.permissions = permissions
    after = {action: requirements_of(component, action) for action in ctype.actions}
    log_action(current_user, "component.permissions", component, before=before, after=after)
    db.session.commit()
    if after != before:
        settings_changed.send(component, part="permissions")
    flash(_("The permissions of “%(name)s” are saved.", name=component.name), "success")
    return redirect(url_for("space_admin.component_permissions"))


def read_permissions(ctype: ComponentType, form: MultiDict) -> tuple[dict[str, Any], Errors]:
    permissions, errors = {}, {}
    choices = dict(profile_field_choices())
    for action in ctype.actions:
        requirements, action_errors = read_action(action, form, choices)
        permissions[action] = requirements
        errors.update(action_errors)
    return permissions, errors


def read_action(action: str, form: MultiDict, profile_keys: dict) -> tuple[Requirements, Errors]:
    chosen, errors, registry = {}, {}, handlers()
    for name in form.getlist(f"{action}-handlers"):
        handler = registry.get(name)
        if handler is None:
            errors[f"{action}-handlers"] = [_("This verification is not available.")]
            continue
        chosen[name], option_errors = read_options(handler, form, f"{action}-{name}-")
        errors.update(option_errors)
    fields = form.getlist(f"{action}-profile_fields")
    if any(key not in profile_keys for key in fields):
        errors[f"{action}-profile_fields"] = [_("Choose among the profile fields listed.")]
    return {"handlers": chosen, "profile_fields": fields}, errors


def read_options(handler: AuthorizationHandler, form: MultiDict, prefix: str) -> tuple:
    if handler.options_schema is None:
        return {}, {}
    options, errors, raw = load_form(handler.options_schema, form, prefix)
    if options is None:
        return raw, prefixed(errors, prefix)
    return options, {}


def permissions_page(ctype: ComponentType, shown: dict[str, Any], errors: Errors) -> Any:
    profile_choices = profile_field_choices()
    actions = [
        action_form(name, str(action.label), shown.get(name, {}), errors, profile_choices)
        for name, action in ctype.actions.items()
    ]
    return page("space_admin/components/permissions.html", errors, ctype=ctype, actions=actions)


def action_form(
    action: str, label: str, shown: Requirements, errors: Errors, profile_choices: list
) -> ActionForm:
    chosen = shown.get("handlers", {})
    choices = [handler_choice(action, handler, chosen, errors) for handler in handlers().values()]
    profile = FormField(
        name=f"{action}-profile_fields",
        label=_("Profile fields participants must have filled in"),
        input="multiselect",
        value=list(shown.get("profile_fields", [])),
        choices=profile_choices,
        errors=errors.get(f"{action}-profile_fields", []),
    )
    return ActionForm(action, label, choices, profile)


def handler_choice(
    action: str, handler: AuthorizationHandler, chosen: dict, errors: Errors
) -> HandlerChoice:
    prefix = f"{action}-{handler.name}-"
    fields = []
    if handler.options_schema is not None:
        own_errors = {
            key.removeprefix(prefix): messages
            for key, messages in errors.items()
            if key.startswith(prefix)
        }
        values = chosen.get(handler.name) or {}
        fields = form_fields(handler.options_schema, values, own_errors, prefix)
    return HandlerChoice(
        handler.name,
        str(handler.label),
        str(handler.description),
        handler.name in chosen,
        fields,
    )
