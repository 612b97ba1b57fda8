"""Refusals of the API as JSON: ``{"error": ..., "code": ..., "status": ...}``."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _

from brique.db import db
from brique.permissions import Decision


class ApiError(Exception):
    """Answer ``status`` with ``message`` (in the client's language) and a machine ``code``;
    ``fields`` names what is wrong with each field of an invalid body."""

    def __init__(
        self,
        message: str,
        code: str,
        status: int,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status
        self.fields, self.headers = fields, headers or {}


def require(decision: Decision) -> None:
    """Raise the refusal of a negative ``can()`` decision: its reason and code, and a 404
    for what the person may not even see (as the site does)."""
    if decision:
        return
    if decision.code == "not_found":
        raise not_found()
    raise ApiError(decision.reason, decision.code, 403)


def not_found() -> ApiError:
    return ApiError(_("Not found."), "not_found", 404)


def invalid(fields: dict[str, Any]) -> ApiError:
    return ApiError(_("Some fields are not valid."), "invalid", 422, fields=fields)


def api_error(error: ApiError) -> Any:
    db.session.rollback()
    body: dict[str, Any] = {"error": error.message, "code": error.code, "status": error.status}
    if error.fields is not None:
        body["fields"] = error.fields
    return jsonify(body), error.status, error.headers
