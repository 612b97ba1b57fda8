"""What administrators type: scopes, profile fields, branding."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from brique.admin.colours import MIN_CONTRAST, contrast_with_white
from brique.models.verification import PROFILE_FIELD_TYPES


class ScopeSchema(Schema):
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={"label": _l("Name"), "description": _l("A city, a district, a neighbourhood...")},
    )
    code = fields.String(
        load_default="",
        validate=validate.Length(max=40),
        metadata={
            "label": _l("Code"),
            "description": _l("An official code if there is one (postal or statistical code)."),
        },
    )
    parent_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "label": _l("Part of"),
            "widget": "select",
            "description": _l("Leave empty for a territory at the top level."),
        },
    )


PROFILE_FIELD_TYPE_LABELS = {
    "text": _l("Text"),
    "choice": _l("Choice in a list"),
    "number": _l("Whole number"),
}
PROFILE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ProfileFieldSchema(Schema):
    key = fields.String(
        required=True,
        validate=validate.Regexp(
            PROFILE_KEY,
            error=str(_l("Use lowercase letters, digits and underscores, starting with a letter.")),
        ),
        metadata={
            "label": _l("Key"),
            "description": _l(
                "The field's internal name, used in exports and action requirements "
                "(e.g. age_band). It cannot change later."
            ),
        },
    )
    label = fields.String(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={"label": _l("Question"), "description": _l("What participants read.")},
    )
    type = fields.String(
        load_default="choice",
        validate=validate.OneOf(PROFILE_FIELD_TYPES),
        metadata={
            "label": _l("Type of answer"),
            "widget": "select",
            "choices": list(PROFILE_FIELD_TYPE_LABELS.items()),
        },
    )
    choices = fields.List(
        fields.String(validate=validate.Length(min=1, max=120)),
        load_default=list,
        metadata={
            "label": _l("Choices"),
            "widget": "list",
            "description": _l("For a choice in a list: the answers, separated by commas."),
        },
    )
    at_signup = fields.Boolean(load_default=False, metadata={"label": _l("Ask at sign-up")})
    required = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Required"),
            "description": _l(
                "Participants must answer to sign up (if asked at sign-up) and to save "
                "their profile."
            ),
        },
    )
    position = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=1000),
        metadata={"label": _l("Order"), "description": _l("Smaller numbers come first.")},
    )

    @validates_schema
    def check_choices(self, data: dict[str, Any], **kwargs: Any) -> None:
        choices = data.get("choices", [])
        if data.get("type") != "choice":
            return
        if len(choices) < 2:
            raise ValidationError(str(_l("Give at least two choices.")), "choices")
        if len({choice.casefold() for choice in choices}) != len(choices):
            raise ValidationError(str(_l("Each choice must appear once.")), "choices")

    @post_load
    def drop_unused_choices(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if data.get("type", "choice") != "choice":
            data["choices"] = []
        return data


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class BrandingSchema(Schema):
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={
            "label": _l("Institution name"),
            "description": _l("Shown in the header, page titles and e-mails."),
            "attributes": {"autocomplete": "organization"},
        },
    )
    primary_color = fields.String(
        required=True,
        metadata={
            "label": _l("Main colour"),
            "widget": "color",
            "description": _l(
                "Used for the header, buttons and links, with white text: it must be dark "
                "enough to read (contrast of at least 4.5 to 1)."
            ),
        },
    )
    welcome_text = fields.String(
        load_default="",
        validate=validate.Length(max=5000),
        metadata={
            "label": _l("Welcome text"),
            "widget": "markdown",
            "description": _l(
                "Shown on the home page. Markdown: **bold**, *italics*, [link](https://…)."
            ),
        },
    )

    @validates("primary_color")
    def check_colour(self, value: str, **kwargs: Any) -> None:
        if not HEX_COLOUR.match(value):
            raise ValidationError(
                str(_l("Enter a colour as # followed by six hexadecimal digits."))
            )
        ratio = contrast_with_white(value)
        if ratio < MIN_CONTRAST:
            raise ValidationError(
                str(
                    _l(
                        "White text on this colour has a contrast of %(ratio)s to 1, below "
                        "the %(minimum)s to 1 needed to read it: choose a darker colour.",
                        ratio=format_decimal(round(ratio, 2)),
                        minimum=format_decimal(MIN_CONTRAST),
                    )
                )
            )
