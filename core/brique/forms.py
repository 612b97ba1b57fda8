"""HTML forms from marshmallow schemas: one schema validates forms and the API alike.

:func:`form_fields` turns a schema into fields a template renders with the
``forms.field`` macro; :func:`load_form` parses a submitted form with the
same schema and returns translated errors keyed by field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict


@dataclass
class FormField:
    """One input of a generated form."""

    name: str
    label: str
    input: str
    value: Any = None
    description: str = ""
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)


def input_type(schema_field: fields.Field) -> str:
    widget = schema_field.metadata.get("widget")
    if widget:
        return widget
    if isinstance(schema_field, fields.Boolean):
        return "checkbox"
    if isinstance(schema_field, fields.Integer | fields.Float | fields.Decimal):
        return "number"
    if isinstance(schema_field, fields.Email):
        return "email"
    if isinstance(schema_field, fields.DateTime):
        return "datetime-local"
    if isinstance(schema_field, fields.Date):
        return "date"
    if isinstance(schema_field, fields.List):
        return "list"
    if _one_of(schema_field) is not None:
        return "select"
    return "text"


def _one_of(schema_field: fields.Field) -> validate.OneOf | None:
    validators = schema_field.validators
    return next((v for v in validators if isinstance(v, validate.OneOf)), None)


def _choices(schema_field: fields.Field) -> list[tuple[str, str]]:
    explicit = schema_field.metadata.get("choices")
    if explicit is not None:
        return [(str(value), str(label)) for value, label in explicit]
    one_of = _one_of(schema_field)
    if one_of is None:
        return []
    labels = one_of.labels or [str(choice) for choice in one_of.choices]
    return [(str(value), str(label)) for value, label in zip(one_of.choices, labels, strict=True)]


def form_fields(
    schema: Schema | type[Schema],
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, Any] | None = None,
    prefix: str = "",
) -> list[FormField]:
    """The fields of ``schema`` with current ``values`` and ``errors``, for the template."""
    schema = schema() if isinstance(schema, type) else schema
    values, errors = values or {}, errors or {}
    result = []
    for name, schema_field in schema.load_fields.items():
        if schema_field.metadata.get("hidden"):
            continue
        kind = input_type(schema_field)
        value = values.get(name, _default(schema_field))
        result.append(
            FormField(
                name=prefix + name,
                label=str(schema_field.metadata.get("label", name)),
                input=kind,
                value=display_value(kind, value),
                description=str(schema_field.metadata.get("description", "")),
                required=schema_field.required,
                choices=_choices(schema_field),
                errors=_as_list(errors.get(name)),
                attributes=_attributes(schema_field),
            )
        )
    return result


def _default(schema_field: fields.Field) -> Any:
    default = schema_field.load_default
    if callable(default):
        return default()
    return None if default is fields.missing_ else default


def _attributes(schema_field: fields.Field) -> dict[str, Any]:
    attributes = dict(schema_field.metadata.get("attributes", {}))
    for validator in schema_field.validators:
        if isinstance(validator, validate.Range):
            if validator.min is not None:
                attributes.setdefault("min", validator.min)
            if validator.max is not None:
                attributes.setdefault("max", validator.max)
        if isinstance(validator, validate.Length) and validator.max is not None:
            attributes.setdefault("maxlength", validator.max)
    return attributes


def _as_list(messages: Any) -> list[str]:
    if messages is None:
        return []
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _as_list(value)]
    if isinstance(messages, list | tuple):
        return [text for value in messages for text in _as_list(value)]
    return [translate_message(str(messages))]


def display_value(kind: str, value: Any) -> Any:
    if kind == "datetime-local" and isinstance(value, str):
        value = _aware_or_text(value)  # sent back after an error: UTC from parse_form
    if kind == "datetime-local" and isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%dT%H:%M")
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    if kind == "list" and isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


def _aware_or_text(text: str) -> datetime | str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text  # what the participant typed, shown back as it was
    return moment if moment.tzinfo is not None else text


def institution_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(moment: datetime) -> datetime:
    """``moment`` in the institution's timezone, naive (for ``datetime-local`` inputs)."""
    return moment.astimezone(institution_zone()).replace(tzinfo=None)


def parse_form(schema: Schema, form: MultiDict, prefix: str = "") -> dict[str, Any]:
    """Turn submitted strings into what ``schema.load`` expects (checkboxes, lists, times)."""
    raw: dict[str, Any] = {}
    for name, schema_field in schema.load_fields.items():
        if schema_field.metadata.get("hidden"):
            continue
        kind, key = input_type(schema_field), prefix + name
        if kind == "checkbox":
            raw[name] = key in form
            continue
        if key not in form:
            continue
        if kind == "multiselect":
            raw[name] = form.getlist(key)
            continue
        text = form.get(key, "").strip()
        if kind == "list":
            raw[name] = [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]
        elif text == "" and schema_field.required:
            raw[name] = None  # reported as "This field is required.", not as too short
        elif text == "" and kind in {"number", "date", "datetime-local", "select"}:
            if schema_field.allow_none:
                raw[name] = None
        elif kind == "datetime-local":
            raw[name] = _local_to_utc(text)
        else:
            raw[name] = text
    return raw


def _local_to_utc(text: str) -> str:
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        return text  # the schema reports it as not a valid datetime
    if local.tzinfo is None:
        local = local.replace(tzinfo=institution_zone())
    return local.astimezone(UTC).isoformat()


def load_form(
    schema: Schema | type[Schema], form: MultiDict, prefix: str = ""
) -> tuple[dict[str, Any] | None, dict[str, list[str]], dict[str, Any]]:
    """Validate a submitted form: ``(data, {}, raw)`` or ``(None, errors, raw)``."""
    schema = schema() if isinstance(schema, type) else schema
    raw = parse_form(schema, form, prefix)
    try:
        return schema.load(raw), {}, raw
    except ValidationError as error:
        return None, translate_errors(error.messages), raw


def translate_errors(messages: Any) -> dict[str, list[str]]:
    """Marshmallow's error messages, translated, as ``{field: [message, ...]}``."""
    if not isinstance(messages, dict):
        return {"_schema": _as_list(messages)}
    return {str(key): _as_list(value) for key, value in messages.items()}


# Marshmallow's own messages, so that they reach the user in their language.
EXACT_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field is required."),
    "Invalid value.": _l("This value is not valid."),
    "Unknown field.": _l("This field is not expected."),
    "Not a valid string.": _l("Enter some text."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid boolean.": _l("Choose yes or no."),
    "Not a valid datetime.": _l("Enter a valid date and time."),
    "Not a valid date.": _l("Enter a valid date."),
    "Not a valid email address.": _l("Enter a valid e-mail address."),
    "Not a valid URL.": _l("Enter a valid web address."),
    "Not a valid list.": _l("Enter a list of values."),
    "Not a valid mapping type.": _l("This value is not valid."),
    "Invalid input type.": _l("This value is not valid."),
}


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet."""
    return message


PATTERN_MESSAGES = (
    ("Must be one of: {choices}.", N_("Choose one of: %(choices)s.")),
    ("Shorter than minimum length {min}.", N_("Enter at least %(min)s characters.")),
    ("Longer than maximum length {max}.", N_("Enter at most %(max)s characters.")),
    ("Length must be between {min} and {max}.", N_("Enter %(min)s to %(max)s characters.")),
    ("Length must be {equal}.", N_("Enter exactly %(equal)s characters.")),
    (
        "Must be greater than or equal to {min} and less than or equal to {max}.",
        N_("Enter a value from %(min)s to %(max)s."),
    ),
    ("Must be greater than or equal to {min}.", N_("Enter a value of at least %(min)s.")),
    ("Must be less than or equal to {max}.", N_("Enter a value of at most %(max)s.")),
    ("Must be greater than {min}.", N_("Enter a value above %(min)s.")),
    ("Must be less than {max}.", N_("Enter a value below %(max)s.")),
    ("String does not match expected pattern.", N_("This value does not have the expected form.")),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


COMPILED_PATTERNS = tuple((_pattern(template), message) for template, message in PATTERN_MESSAGES)


def translate_message(message: str) -> str:
    if message in EXACT_MESSAGES:
        return str(EXACT_MESSAGES[message])
    for pattern, translated in COMPILED_PATTERNS:
        match = pattern.match(message)
        if match:
            return gettext(translated, **match.groupdict())
    return gettext(message)
