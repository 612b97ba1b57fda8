"""Blueprints for components: mounted under their space, loading the component for views."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.routing import Map, Rule

from brique.db import db
from brique.models import Component, Space
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
    blueprint.brique_component = True
    blueprint.url_value_preprocessor(_loader(name, "view"))
    blueprint.url_defaults(_fill_public_ids)
    return blueprint


def component_admin_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    """The admin blueprint (``<name>_admin``) of the component type ``name``.

    Only users for whom ``can(user, "admin", component)`` holds reach its views;
    anonymous visitors are sent to log in first.
    """
    blueprint = Blueprint(f"{name}_admin", import_name, url_prefix=ADMIN_PREFIX, **options)
    blueprint.brique_component = True
    blueprint.url_value_preprocessor(_loader(name, "admin"))
    blueprint.url_defaults(_fill_component_id)
    return blueprint


def _loader(type_name: str, action: str) -> Any:
    def load(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values is None:
            return
        # The space and its steps come along: every view checks the space and reads the
        # settings of the active step. One round trip instead of three.
        component = db.session.get(
            Component,
            values["component_id"],
            options=[joinedload(Component.space).joinedload(Space.steps)],
        )
        if component is None:
            abort(404)
        if component.type != type_name:
            # Every type's rules share one prefix, so the URL matched another type's rule
            # first: match it again among the rules of the component's own type.
            _load_other_type(component, action, values)
            return
        values.pop("component_id")
        slug = values.pop("space_slug", None)
        if slug is not None and component.space.slug != slug:
            abort(404)
        decision = can(current_user, action, component)
        if not decision and action == "admin" and not current_user.is_authenticated:
            # As everywhere in the administration: log in first, then come back here.
            abort(redirect(url_for("auth.login", next=request.full_path)))
        if not decision:
            abort(404 if decision.code == "not_found" else 403, description=decision.reason)
        g.component, g.space = component, component.space

    return load


def _load_other_type(component: Component, action: str, values: dict[str, Any]) -> None:
    """Dispatch the request to the rule of ``component``'s type that matches its URL."""
    suffix = "_admin" if action == "admin" else ""
    rules = _rules_by_type(current_app._get_current_object()).get(component.type + suffix)
    if rules is None:
        abort(404)
    # Not found, method not allowed or a slash redirect: the same answers as the app's map.
    matched, arguments = rules.bind_to_environ(request.environ).match(return_rule=True)
    request.url_rule = matched.app_rule
    values.clear()
    values.update(arguments)
    _loader(component.type, action)(matched.endpoint, values)


def _rules_by_type(app: Flask) -> dict[str, Map]:
    """A small URL map per component blueprint, built once per app from its rules."""
    state = app.extensions["brique"]
    maps = state.component_url_maps
    if maps is None:
        maps = {}
        for rule in app.url_map.iter_rules():
            blueprint = rule.endpoint.rpartition(".")[0]
            if getattr(app.blueprints.get(blueprint), "brique_component", False):
                copy = Rule(
                    rule.rule,
                    endpoint=rule.endpoint,
                    methods=rule.methods,
                    defaults=rule.defaults,
                    strict_slashes=rule.strict_slashes,
                )
                copy.app_rule = rule
                maps.setdefault(blueprint, Map()).add(copy)
        state.component_url_maps = maps
    return maps


def _fill_component_id(endpoint: str, values: dict[str, Any]) -> None:
    component = g.get("component")
    if component is not None:
        values.setdefault("component_id", component.id)


def _fill_public_ids(endpoint: str, values: dict[str, Any]) -> None:
    component = g.get("component")
    if component is not None and "component_id" not in values:
        values["component_id"] = component.id
        values.setdefault("space_slug", component.space.slug)
