"""Views of the read API: JSON in, JSON out, the same visibility rules as the site."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import fields, validate
from werkzeug.exceptions import HTTPException

from brique.api import comments as comment_queries
from brique.api import queries
from brique.api.openapi import openapi_document
from brique.api.pagination import BadArguments, PageArgs, envelope, load_args, page_of
from brique.api.schemas import (
    CommentSchema,
    ComponentSchema,
    ResourceSchema,
    SpaceDetailSchema,
    SpaceSchema,
    SpaceStatisticsSchema,
)
from brique.comments.queries import DEFAULT_ORDER
from brique.db import db
from brique.forms import translate_errors
from brique.models import Component
from brique.permissions import can
from brique.spaces.queries import space_for_page
from brique.statistics.figures import Statistic, by_component, public_statistics


class SpaceListArgs(PageArgs):
    phase = fields.String(
        validate=validate.OneOf(queries.PHASES),
        metadata={"description": "Only processes in this phase."},
    )
    promoted = fields.Boolean(metadata={"description": "Only promoted (or not promoted) ones."})


class ResourceListArgs(PageArgs):
    type = fields.String(metadata={"description": "Only this resource type."})
    state = fields.String(metadata={"description": "Only resources in this state."})


class CommentListArgs(PageArgs):
    resource_type = fields.String(metadata={"description": "Type of the commented resource."})
    resource_id = fields.Integer(metadata={"description": "The commented resource."})
    parent_id = fields.Integer(metadata={"description": "List the replies of this comment."})
    sort = fields.String(
        load_default=DEFAULT_ORDER,
        validate=validate.OneOf(comment_queries.SORTS),
        metadata={"description": "`best` (default), `newest`, `oldest` or `discussed`."},
    )


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


def comments() -> Any:
    args = load_args(CommentListArgs())
    target, parent = comment_queries.listed_level(args)
    page = page_of(args)
    items, total = comment_queries.comments_page(target, parent, args["sort"], page)
    return jsonify(envelope(CommentSchema(many=True).dump(items), page, total))


def comment(comment_id: int) -> Any:
    found, _target = comment_queries.visible_comment(comment_id)
    replies = comment_queries.replies_count([found.id]).get(found.id, 0)
    return jsonify(CommentSchema().dump(comment_queries.comment_data(found, replies)))


def space_statistics(slug: str) -> Any:
    """The public figures of a process: the same as its statistics page.

    Components publish their results here too, through the ``space_statistics`` hook
    (figures attached to the component); their resources, with their state, are at
    ``/components/<id>/resources``.
    """
    found = space_for_page(slug)
    if found is None or not can(current_user, "view", found):
        abort(404)
    whole, by_part = by_component(public_statistics(found))
    data = {
        "slug": found.slug,
        "figures": [_figure(statistic) for statistic in whole],
        "components": [
            {
                "id": part.id,
                "type": part.type,
                "name": part.name,
                "figures": [_figure(statistic) for statistic in figures],
            }
            for part, figures in by_part
        ],
    }
    return jsonify(SpaceStatisticsSchema().dump(data))


def _figure(statistic: Statistic) -> dict[str, Any]:
    return {"key": statistic.key, "label": str(statistic.label), "value": statistic.value}


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
        "code": "bad_arguments",
        "status": 400,
        "fields": translate_errors(error.messages),
    }
    return jsonify(body), 400


def http_error(error: HTTPException) -> Any:
    db.session.rollback()
    if error.code == 404:
        message = _("Not found.")
    elif error.code == 429:
        message = _("Too many requests: wait a little, then try again.")
    else:
        message = error.description
    code = (error.name or "error").lower().replace(" ", "_")
    body = {"error": message, "code": code, "status": error.code}
    response = jsonify(body)
    # Keep the headers the error brings (Allow on 405, Retry-After on 429...).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, error.code
