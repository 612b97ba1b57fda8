"""What a participant submits when commenting, replying or editing a comment."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_load, validate

from brique.models.comments import AGAINST, IN_FAVOUR, NEUTRAL

#: Alignment names in forms, and their stored values.
ALIGNMENTS = {"in_favour": IN_FAVOUR, "neutral": NEUTRAL, "against": AGAINST}
ALIGNMENT_LABELS = {
    "in_favour": _l("In favour"),
    "neutral": _l("Neutral"),
    "against": _l("Against"),
}
#: Every input name of a comment form starts with this, so that it cannot clash with
#: the fields of the component's page around it.
PREFIX = "comment-"


class CommentSchema(Schema):
    """A comment's text, the author's position (top-level comments) and, for staff, the
    official-answer flag. The longest text is the ``COMMENTS_MAX_LENGTH`` setting."""

    body = fields.String(
        required=True,
        metadata={
            "label": _l("Your comment"),
            "description": _l(
                "Simple formatting: *italics*, **bold**, lists and links. Be respectful."
            ),
            "widget": "markdown",
        },
    )
    alignment = fields.String(
        load_default="neutral",
        validate=validate.OneOf(list(ALIGNMENTS), labels=list(ALIGNMENT_LABELS.values())),
        metadata={"label": _l("Your position")},
    )
    official = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Official answer"),
            "description": _l("Shown as the institution's answer, not a personal opinion."),
        },
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        body = self.load_fields["body"]
        limit = current_app.config["COMMENTS_MAX_LENGTH"]
        # A new list: the declared field's validators are shared by every instance.
        body.validators = [*body.validators, validate.Length(min=2, max=limit)]

    @post_load
    def _stored_alignment(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {**data, "alignment": ALIGNMENTS[data["alignment"]]}


def alignment_name(value: int) -> str:
    """The form name of a stored alignment value."""
    return next(name for name, stored in ALIGNMENTS.items() if stored == value)
