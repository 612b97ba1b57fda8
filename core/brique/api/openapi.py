"""The OpenAPI 3 document of the API, generated from the marshmallow schemas by apispec."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import url_for

from brique import __version__
from brique.api import schemas
from brique.models import SiteSettings


def openapi_document() -> dict[str, Any]:
    spec = APISpec(
        title=f"{SiteSettings.get().name} API",
        version=__version__,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Public, read-only data of the participatory processes of this site. "
            "Lists are paginated with `page` and `per_page`; what a visitor cannot see on the "
            "site is not in the API.",
        },
        servers=[{"url": url_for("api.spaces", _external=True).rsplit("/spaces", 1)[0]}],
    )
    for name in ("Step", "Component", "Space", "SpaceDetail", "Resource", "Error"):
        spec.components.schema(name, schema=getattr(schemas, f"{name}Schema"))
    for path, operation in PATHS.items():
        spec.path(path=path, operations={"get": operation})
    return spec.to_dict()


def _list_of(schema: str, description: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    item = {"$ref": f"#/components/schemas/{schema}"}
    return {
        "summary": description,
        "parameters": [*PAGE_PARAMETERS, *parameters],
        "responses": {
            "200": {
                "description": description,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "data": {"type": "array", "items": item},
                                "meta": schemas.PageMetaSchema,
                                "links": schemas.PageLinksSchema,
                            },
                        }
                    }
                },
            },
            "400": ERROR_RESPONSE,
        },
    }


def _one(schema: str, description: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "summary": description,
        "parameters": parameters,
        "responses": {
            "200": {"description": description, "content": _json(schema)},
            "404": ERROR_RESPONSE,
        },
    }


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def _query(name: str, description: str, kind: str = "string") -> dict[str, Any]:
    return {"in": "query", "name": name, "description": description, "schema": {"type": kind}}


def _path(name: str, kind: str = "string") -> dict[str, Any]:
    return {"in": "path", "name": name, "required": True, "schema": {"type": kind}}


ERROR_RESPONSE = {"description": "An error, explained in `error`.", "content": _json("Error")}
PAGE_PARAMETERS = [
    _query("page", "Page number, from 1.", "integer"),
    _query("per_page", "Items per page, 1 to 100 (default 20).", "integer"),
]
PATHS = {
    "/spaces": _list_of(
        "Space",
        "Participatory processes, promoted first.",
        [
            _query("phase", "`in_progress`, `upcoming` or `past`."),
            _query("promoted", "`true` or `false`.", "boolean"),
        ],
    ),
    "/spaces/{slug}": _one(
        "SpaceDetail", "A process with its steps and components.", [_path("slug")]
    ),
    "/spaces/{slug}/steps": _one("Step", "The timeline of a process.", [_path("slug")]),
    "/components/{component_id}": _one(
        "Component", "A component of a process.", [_path("component_id", "integer")]
    ),
    "/components/{component_id}/resources": _list_of(
        "Resource",
        "The public resources of a component (proposals, projects...), oldest first.",
        [
            _path("component_id", "integer"),
            _query("type", "Resource type; required when the component has several."),
            _query("state", "Only resources in this state."),
        ],
    ),
}
