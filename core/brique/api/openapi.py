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
        info={"description": DESCRIPTION},
        servers=[{"url": url_for("api.spaces", _external=True).rsplit("/spaces", 1)[0]}],
    )
    spec.components.security_scheme(
        "bearer",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created by a participant in their account "
            "(`/account/tokens`); the requests act on their behalf.",
        },
    )
    for name in SCHEMAS:
        spec.components.schema(name, schema=getattr(schemas, f"{name}Schema"))
    for path, operations in PATHS.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


DESCRIPTION = (
    "The public data of the participatory processes of this site, and the core actions "
    "(comment, edit, delete and report comments, vote on comments, follow) for applications "
    "and kiosks. Lists are paginated "
    "with `page` and `per_page`; what a visitor cannot see on the site is not in the API. "
    "Writes need a participant's personal token (`Authorization: Bearer <token>`) and obey "
    "the same rules as the site."
)
SCHEMAS = (
    "Step",
    "Component",
    "Space",
    "SpaceDetail",
    "SpaceStatistics",
    "Resource",
    "Comment",
    "NewComment",
    "CommentEdit",
    "Report",
    "ReportResult",
    "Vote",
    "VoteResult",
    "Follow",
    "FollowResult",
    "Error",
)


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


def _write(
    summary: str,
    body: str | None,
    result: str,
    parameters: list[dict[str, Any]] | None = None,
    status: str = "200",
) -> dict[str, Any]:
    """An operation authenticated by a token: the refusals every write may answer."""
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{"bearer": []}],
        "parameters": parameters or [],
        "responses": {
            status: {"description": summary, "content": _json(result)},
            "400": _error("The body is not a JSON object."),
            "401": _error("No token, or a token that is not valid (revoked, deleted account)."),
            "403": _error("Refused: `error` says why, `code` what kind of refusal it is."),
            "404": _error("Not found, or not visible to the token's owner."),
            "422": _error("Invalid fields, each explained in `fields`."),
            "429": _error("Too many writes: wait a little, then try again."),
        },
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json(body)}
    return operation


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


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
PATHS: dict[str, dict[str, Any]] = {
    "/spaces": {
        "get": _list_of(
            "Space",
            "Participatory processes, promoted first.",
            [
                _query("phase", "`in_progress`, `upcoming` or `past`."),
                _query("promoted", "`true` or `false`.", "boolean"),
            ],
        )
    },
    "/spaces/{slug}": {
        "get": _one("SpaceDetail", "A process with its steps and components.", [_path("slug")])
    },
    "/spaces/{slug}/steps": {"get": _one("Step", "The timeline of a process.", [_path("slug")])},
    "/spaces/{slug}/statistics": {
        "get": _one(
            "SpaceStatistics",
            "The public figures of a process and of each component (results included).",
            [_path("slug")],
        )
    },
    "/components/{component_id}": {
        "get": _one("Component", "A component of a process.", [_path("component_id", "integer")])
    },
    "/components/{component_id}/resources": {
        "get": _list_of(
            "Resource",
            "The public resources of a component (proposals, projects...), oldest first.",
            [
                _path("component_id", "integer"),
                _query("type", "Resource type; required when the component has several."),
                _query("state", "Only resources in this state."),
            ],
        )
    },
    "/comments": {
        "get": _list_of(
            "Comment",
            "The comments on a resource (top level), or the replies to one comment.",
            [
                _query("resource_type", "Type of the resource, e.g. `proposals.proposal`."),
                _query("resource_id", "The resource (with `resource_type`).", "integer"),
                _query(
                    "parent_id", "Instead of a resource: the replies to this comment.", "integer"
                ),
                _query("sort", "`best` (default), `newest`, `oldest` or `discussed`."),
            ],
        ),
        "post": _write(
            "Comment on a resource, or reply to a comment (`parent_id`).",
            "NewComment",
            "Comment",
            status="201",
        ),
    },
    "/comments/{comment_id}": {
        "get": _one("Comment", "One comment.", [_path("comment_id", "integer")]),
        "patch": _write(
            "Change one's comment: the fields sent change, the others stay. The former text "
            "is kept in the comment's history and the comment shows as edited.",
            "CommentEdit",
            "Comment",
            [_path("comment_id", "integer")],
        ),
        "delete": _write(
            "Delete one's comment: its text goes, its place in the thread stays.",
            None,
            "Comment",
            [_path("comment_id", "integer")],
        ),
    },
    "/comments/{comment_id}/report": {
        "post": _write(
            "Report a comment to the moderators, once; `details` is required with the reason "
            "`other`.",
            "Report",
            "ReportResult",
            [_path("comment_id", "integer")],
            status="201",
        )
    },
    "/comments/{comment_id}/vote": {
        "post": _write(
            "Vote on a comment (`up` or `down`), or take one's vote back (`none`).",
            "Vote",
            "VoteResult",
            [_path("comment_id", "integer")],
        )
    },
    "/follows": {
        "post": _write(
            "Follow a process, a resource or a person: be notified of what happens.",
            "Follow",
            "FollowResult",
        ),
        "delete": _write(
            "Stop following (the target in the query string, or in a JSON body).",
            None,
            "FollowResult",
            [
                _query("target_type", "`space`, `user` or a resource type."),
                _query("target_id", "The target.", "integer"),
            ],
        ),
    },
}
