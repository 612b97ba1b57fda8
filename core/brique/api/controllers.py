"""Views of the read API: JSON in, JSON out, the same visibility rules as the site."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import fields, validate
from werkzeug.exceptions import HTTPException

from brique.api import queries
from brique.api.openapi import openapi_document
from brique.api.pagination import BadArguments, PageArgs, envelope, load_args, page_of
from brique.api.schemas import ComponentSchema, ResourceSchema, SpaceDetailSchema, SpaceSchema
from brique.db import db
from brique.models import Component
from brique.permissions import can
from brique.spaces.queries import space_for_page


class SpaceListArgs(PageArgs):
    phase = fields.String(
        validate=validate.OneOf(queries.PHASES),
        metadata={"description": "Only processes in this phase."},
    )
    promoted = fields.Boolean(metadata={"description": "Only promoted (or not promoted) ones."})


class ResourceListArgs(PageArgs):
    type = fields.String(metadata={"description": "Only this resource type."})
    state = fields.String(metadata={"description": "Only resources in this state."})


def spaces() -> Any:
    args = load_args(SpaceListArgs())
    found = [
        (space, phase)
        for space, phase in queries.spaces_by_phase()
        if args.get("phase", phase) == phase
        and args.get("promoted", space.promoted) == space.promoted
    ]
    page = page_of(args)
    chosen = found[page.offset : page.offset + page.per_page]
    items = SpaceSchema(many=True).dump(queries.space_data(space, phase) for space, phase in chosen)
    return jsonify(envelope(items, page, len(found)))


def space(slug: str) -> Any:
    found = space_for_page(slug)
    if found is None or not can(current_user, "view", found):
        abort(404)
    data = {
        **queries.space_data(found, queries.phase_of(found)),
        "steps": queries.steps_data(found),
        "components": [queries.component_data(c) for c in queries.visible_components(found)],
    }
    return jsonify(SpaceDetailSchema().dump(data))


def space_steps(slug: str) -> Any:
    found = space_for_page(slug)
    if found is None or not can(current_user, "view", found):
        abort(404)
    return jsonify({"data": queries.steps_data(found)})


def component(component_id: int) -> Any:
    found = _visible_component(component_id)
    return jsonify(ComponentSchema().dump(queries.component_data(found)))


def resources(component_id: int) -> Any:
    found = _visible_component(component_id)
    args = load_args(ResourceListArgs())
    rtype = _chosen_type(queries.readable_types(found), args.get("type"))
    page = page_of(args)
    if rtype is None:
        return jsonify(envelope([], page, 0))
    items, total = queries.resources_page(rtype, found, args.get("state"), page)
    return jsonify(envelope(ResourceSchema(many=True).dump(items), page, total))


def _chosen_type(types: list[Any], name: str | None) -> Any:
    """The resource type asked for, the component's only one, or a 400 naming the choices."""
    if name is not None:
        chosen = [rtype for rtype in types if rtype.name == name]
        if not chosen:
            raise BadArguments({"type": [_("This component has no such resource type.")]})
        return chosen[0]
    if len(types) > 1:
        names = ", ".join(rtype.name for rtype in types)
        raise BadArguments({"type": [_("Choose a type among: %(names)s.", names=names)]})
    return types[0] if types else None


def openapi() -> Any:
    return jsonify(openapi_document())


def _visible_component(component_id: int) -> Component:
    found = db.session.get(Component, component_id)
    if found is None or not can(current_user, "view", found):
        abort(404)
    return found


def bad_arguments(error: BadArguments) -> Any:
    body = {
        "error": _("Some query arguments are not valid."),
        "status": 400,
        "fields": _texts(error.messages),
    }
    return jsonify(body), 400


def _texts(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {key: _texts(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [str(message) for message in messages]
    return str(messages)


def http_error(error: HTTPException) -> Any:
    db.session.rollback()
    message = _("Not found.") if error.code == 404 else error.description
    return jsonify({"error": message, "status": error.code}), error.code
