"""What an administrator types to write a newsletter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from brique.forms import N_

REQUIRED = validate.Length(min=1, error=N_("This field is required."))


class NewsletterSchema(Schema):
    """Subject and Markdown body; the audience is chosen among ``audiences`` given."""

    subject = fields.String(
        required=True,
        validate=[REQUIRED, validate.Length(max=200)],
        metadata={"label": _l("Subject")},
    )
    body = fields.String(
        required=True,
        validate=[REQUIRED, validate.Length(max=50_000)],
        metadata={
            "label": _l("Message"),
            "widget": "markdown",
            "description": _l(
                "Markdown: **bold**, *italics*, [a link](https://example.org), lists with “- ”. "
                "Preview it before sending."
            ),
        },
    )

    def __init__(self, audiences: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        self._declared_fields = {
            "audience": fields.String(
                required=True,
                validate=validate.OneOf(
                    [value for value, _label in audiences],
                    error=N_("Choose who receives the newsletter."),
                ),
                metadata={
                    "label": _l("To"),
                    "widget": "select",
                    "choices": list(audiences),
                    "description": _l(
                        "Only people who accepted the newsletter receive it. A process's "
                        "newsletter goes to those who followed or contributed to it."
                    ),
                },
            ),
            **self._declared_fields,
        }
        super().__init__(**kwargs)
