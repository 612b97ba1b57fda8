"""Profile fields the institution defines, as a form schema participants fill in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from brique.db import db
from brique.models import ProfileField

#: Prefix of profile inputs in forms that also hold account fields.
PREFIX = "profile-"


def profile_fields(*, at_signup: bool = False) -> list[ProfileField]:
    """The profile fields in their order (only those asked at sign-up if ``at_signup``)."""
    query = select(ProfileField).order_by(ProfileField.position, ProfileField.id)
    if at_signup:
        query = query.where(ProfileField.at_signup)
    return list(db.session.scalars(query))


def profile_schema(fields_: Iterable[ProfileField], required: set[str] = frozenset()) -> Schema:
    """A schema with one field per profile field; keys in ``required`` are required too."""
    declared = {
        field.key: schema_field(field, field.required or field.key in required) for field in fields_
    }
    return Schema.from_dict(declared, name="ProfileSchema")()


def schema_field(field: ProfileField, required: bool) -> fields.Field:
    options: dict[str, Any] = (
        {"required": True} if required else {"load_default": None, "allow_none": True}
    )
    metadata: dict[str, Any] = {"label": field.label}
    if field.type == "number":
        return fields.Integer(
            validate=validate.Range(min=-1_000_000_000, max=1_000_000_000),
            metadata={**metadata, "description": _l("A whole number.")},
            **options,
        )
    if field.type == "choice":
        return fields.String(
            validate=validate.OneOf(field.choices),
            metadata={**metadata, "widget": "select", "choices": [(c, c) for c in field.choices]},
            **options,
        )
    length = [validate.Length(max=200)]
    if required:
        length.insert(0, validate.Length(min=1, error=str(_l("This field is required."))))
    return fields.String(validate=length, metadata=metadata, **options)


def merge_answers(profile: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """``profile`` updated with ``answers``; blank answers remove the stored value."""
    merged = dict(profile)
    for key, value in answers.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            merged.pop(key, None)
        else:
            merged[key] = value.strip() if isinstance(value, str) else value
    return merged
