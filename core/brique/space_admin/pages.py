"""What the space administration's views share: rendering forms again after errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, render_template
from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from brique.forms import input_type

Errors = dict[str, list[str]]


def page(template: str, errors: Mapping[str, Any] | None = None, **context: Any) -> Any:
    """Render a page of the current space; 422 when it shows errors."""
    context.setdefault("space", g.get("space"))
    context.setdefault("component", g.get("component"))
    body = render_template(template, errors=errors or {}, **context)
    return (body, 422) if errors else body


def prefixed(errors: Mapping[str, list[str]], prefix: str) -> Errors:
    """Errors keyed by the prefixed input names, for the error summary's links."""
    return {prefix + name: list(messages) for name, messages in errors.items()}


def redisplay(schema: Schema, raw: dict[str, Any], form: MultiDict, prefix: str = "") -> dict:
    """Submitted values to show again: date-times as typed, not converted to UTC."""
    values = dict(raw)
    for name, schema_field in schema.load_fields.items():
        if input_type(schema_field) == "datetime-local" and prefix + name in form:
            values[name] = form[prefix + name]
    return values
