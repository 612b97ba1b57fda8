"""The search form: one schema reads the query string of ``/search``."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from brique.forms import translate_errors

SORTS = ("relevance", "newest")


class SearchSchema(Schema):
    """``q``, ``space`` (a slug), ``type``, ``from`` and ``to`` (dates), ``sort``."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    space = fields.String(load_default=None, allow_none=True)
    type = fields.String(load_default=None, allow_none=True)
    start = fields.Date(data_key="from", load_default=None, allow_none=True)
    end = fields.Date(data_key="to", load_default=None, allow_none=True)
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS))

    def fields_by_data_key(self) -> list[str]:
        return [field.data_key or name for name, field in self.fields.items()]

    @validates_schema
    def dates_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(str(_l("The end date is before the start date.")), "to")


def read_criteria(args: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The query string as ``(values, errors)``; fields in error are left out of ``values``.

    ``errors`` are keyed by the query string's names (``from``, ``to``...).
    """
    schema = SearchSchema()
    raw = {
        key: args[key].strip() for key in schema.fields_by_data_key() if args.get(key, "").strip()
    }
    try:
        return schema.load(raw), {}
    except ValidationError as error:
        wrong = set(error.messages)
        valid = {
            name: value
            for name, value in (error.valid_data or {}).items()
            if (schema.fields[name].data_key or name) not in wrong
        }
        return valid, translate_errors(error.messages)
