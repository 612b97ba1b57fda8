"""Page arguments and the envelope every list of the API shares."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

MAX_PER_PAGE = 100


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, error=_l("The page must be 1 or more.")),
        metadata={"description": "Page number, from 1."},
    )
    per_page = fields.Integer(
        load_default=20,
        validate=validate.Range(
            min=1,
            max=MAX_PER_PAGE,
            error=_l("per_page must be between 1 and %(max)s.", max=MAX_PER_PAGE),
        ),
        metadata={"description": f"Items per page, at most {MAX_PER_PAGE}."},
    )


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page


class BadArguments(Exception):
    """Query arguments that do not validate; the API answers 400 with the messages."""

    def __init__(self, messages: dict[str, Any]) -> None:
        super().__init__(messages)
        self.messages = messages


def load_args(schema: Schema) -> dict[str, Any]:
    """Validate the query string with ``schema`` (unknown arguments are ignored)."""
    try:
        return schema.load(request.args.to_dict(), unknown="exclude")
    except ValidationError as error:
        raise BadArguments(error.messages) from error


def page_of(args: dict[str, Any]) -> Page:
    return Page(args["page"], args["per_page"])


def envelope(items: Sequence[Any], page: Page, total: int) -> dict[str, Any]:
    """``{"data": [...], "meta": {...}, "links": {...}}`` for one page of a list."""
    pages = max(1, math.ceil(total / page.per_page))
    return {
        "data": list(items),
        "meta": {"page": page.number, "per_page": page.per_page, "total": total, "pages": pages},
        "links": {
            "self": _link(page.number, page),
            "next": _link(page.number + 1, page) if page.number < pages else None,
            "prev": _link(page.number - 1, page) if page.number > 1 else None,
        },
    }


def _link(number: int, page: Page) -> str:
    args = {**request.args.to_dict(), **(request.view_args or {})}
    args.update(page=number, per_page=page.per_page)
    return url_for(request.endpoint, _external=True, **args)
