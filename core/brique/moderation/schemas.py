"""What participants type to report, and administrators to block a person."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from brique.models.moderation import REPORT_REASONS
from brique.space_admin.schemas import required_text, text

REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "offensive": _l("Offensive, hateful or harassing"),
    "off_topic": _l("Off-topic"),
    "charter": _l("Does not respect the participation charter"),
    "other": _l("Another reason"),
}


class ReportSchema(Schema):
    """A report: a reason, and a few words when the reason is "other"."""

    reason = fields.String(
        required=True,
        validate=validate.OneOf(REPORT_REASONS, error=str(_l("Choose a reason."))),
        metadata={"label": _l("Why do you report it?"), "choices": list(REASON_LABELS.items())},
    )
    details = text(
        _l("Tell the moderators more"),
        1000,
        widget="textarea",
        description=_l("Required for “another reason”. Moderators read it; it is not public."),
    )

    @validates_schema
    def details_for_other(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("reason") == "other" and not data.get("details", "").strip():
            raise ValidationError(
                str(_l("Say in a few words why you report it.")), field_name="details"
            )


class BlockSchema(Schema):
    """Why an administrator blocks a person: they read it when they try to log in."""

    reason = required_text(
        _l("Reason"),
        500,
        widget="textarea",
        description=_l(
            "Shown to the person when they try to log in. Cite the rule of the charter they broke."
        ),
    )
