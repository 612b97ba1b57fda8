"""Blueprints for components: mounted under their space, loading the component for views."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g
from flask_login import current_user

from brique.db import db
from brique.models import Component
from brique.permissions import can

PUBLIC_PREFIX = "/processes/<space_slug>/c/<int:component_id>"
ADMIN_PREFIX = "/admin/components/<int:component_id>"


def component_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    """A public blueprint for the component type ``name``.

    Views receive no ``space_slug``/``component_id`` arguments: the component
    is in ``g.component`` and its space in ``g.space``, already checked with
    ``can(current_user, "view", component)``. ``url_for`` fills both in.
    """
    blueprint = Blueprint(name, import_name, url_prefix=PUBLIC_PREFIX, **options)
    blueprint.url_value_preprocessor(_loader(name, "view"))
    blueprint.url_defaults(_fill_public_ids)
    return blueprint


def component_admin_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    """The admin blueprint (``<name>_admin``) of the component type ``name``.

    Only users for whom ``can(user, "admin", component)`` holds reach its views.
    """
    blueprint = Blueprint(f"{name}_admin", import_name, url_prefix=ADMIN_PREFIX, **options)
    blueprint.url_value_preprocessor(_loader(name, "admin"))
    blueprint.url_defaults(_fill_component_id)
    return blueprint


def _loader(type_name: str, action: str) -> Any:
    def load(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values is None:
            return
        component = db.session.get(Component, values.pop("component_id"))
        slug = values.pop("space_slug", None)
        if component is None or component.type != type_name:
            abort(404)
        if slug is not None and component.space.slug != slug:
            abort(404)
        decision = can(current_user, action, component)
        if not decision:
            abort(404 if decision.code == "not_found" else 403, description=decision.reason)
        g.component, g.space = component, component.space

    return load


def _fill_component_id(endpoint: str, values: dict[str, Any]) -> None:
    component = g.get("component")
    if component is not None:
        values.setdefault("component_id", component.id)


def _fill_public_ids(endpoint: str, values: dict[str, Any]) -> None:
    component = g.get("component")
    if component is not None and "component_id" not in values:
        values["component_id"] = component.id
        values.setdefault("space_slug", component.space.slug)
