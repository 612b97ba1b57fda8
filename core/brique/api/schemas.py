"""What the API returns: one marshmallow schema per object, also used for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from brique.comments import schemas as comment_forms
from brique.moderation import schemas as moderation_forms
from brique.users.schemas import current_password_field


class StepSchema(Schema):
    id = fields.Integer(metadata={"description": "Identifier of the step."})
    title = fields.String()
    description = fields.String(metadata={"description": "Markdown."})
    start_at = fields.AwareDateTime(metadata={"description": "Start, UTC, inclusive."})
    end_at = fields.AwareDateTime(metadata={"description": "End, UTC, exclusive."})
    active = fields.Boolean(metadata={"description": "Whether this is the active step now."})


class ComponentSchema(Schema):
    id = fields.Integer()
    type = fields.String(metadata={"description": "Component type, e.g. `proposals`."})
    name = fields.String()
    position = fields.Integer()
    url = fields.String(metadata={"description": "The component's public page."})
    resource_types = fields.List(
        fields.String(), metadata={"description": "Resource types readable at `resources`."}
    )


class SpaceSchema(Schema):
    slug = fields.String(metadata={"description": "Identifier of the process in URLs."})
    title = fields.String()
    subtitle = fields.String()
    short_description = fields.String()
    description = fields.String(metadata={"description": "Markdown."})
    objectives = fields.String()
    participants = fields.String(metadata={"description": "Who may take part."})
    decision_making = fields.String(metadata={"description": "How decisions are made."})
    organiser = fields.String()
    scope = fields.String(allow_none=True, metadata={"description": "Territory name."})
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    reference = fields.String()
    promoted = fields.Boolean()
    phase = fields.String(metadata={"description": "`in_progress`, `upcoming` or `past`."})
    url = fields.String(metadata={"description": "The process page."})


class SpaceDetailSchema(SpaceSchema):
    steps = fields.List(fields.Nested(StepSchema))
    components = fields.List(fields.Nested(ComponentSchema))


class ResourceSchema(Schema):
    type = fields.String(metadata={"description": "Resource type, e.g. `proposals.proposal`."})
    id = fields.Integer()
    title = fields.String()
    state = fields.String(allow_none=True)
    url = fields.String()
    created_at = fields.Raw(allow_none=True, metadata={"description": "ISO 8601, UTC."})
    fingerprint = fields.String(metadata={"description": "SHA-256 of the canonical content."})
    data = fields.Dict(metadata={"description": "The type's other public fields."})


class PageMetaSchema(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class PageLinksSchema(Schema):
    self = fields.String()
    next = fields.String(allow_none=True)
    prev = fields.String(allow_none=True)


class ErrorSchema(Schema):
    error = fields.String(metadata={"description": "What went wrong, in the client's language."})
    status = fields.Integer()
    code = fields.String(
        metadata={
            "description": "Why, for programs: `token_required`, `invalid_token`, `blocked`, "
            "`login_required`, `unconfirmed`, `closed`, `forbidden`, `limit`, `invalid`..."
        }
    )
    field_errors = fields.Dict(
        data_key="fields",
        metadata={"description": "What is wrong with each argument or field (400 and 422)."},
    )


# --- Comments -------------------------------------------------------------------------------


class CommentSchema(Schema):
    id = fields.Integer()
    resource_type = fields.String(metadata={"description": "Type of the commented resource."})
    resource_id = fields.Integer()
    parent_id = fields.Integer(
        allow_none=True, metadata={"description": "The comment replied to; `null` at the top."}
    )
    thread_id = fields.Integer(metadata={"description": "The top-level comment of the thread."})
    depth = fields.Integer(metadata={"description": "0 at the top, 1 for a reply, and so on."})
    state = fields.String(
        metadata={
            "description": "`published`, `hidden` (by moderation) or `deleted` (by its author). "
            "Hidden and deleted comments keep their place in the thread without their text, "
            "author, position or votes."
        }
    )
    author = fields.String(
        allow_none=True,
        metadata={"description": "The author's public nickname; `null` if not shown."},
    )
    body = fields.String(allow_none=True, metadata={"description": "Markdown."})
    body_html = fields.String(
        allow_none=True, metadata={"description": "The text as safe HTML, as the site shows it."}
    )
    alignment = fields.String(
        allow_none=True, metadata={"description": "`in_favour`, `neutral` or `against`."}
    )
    official = fields.Boolean(metadata={"description": "An official answer of the institution."})
    upvotes = fields.Integer(allow_none=True)
    downvotes = fields.Integer(allow_none=True)
    replies = fields.Integer(metadata={"description": "Direct replies (read with `parent_id`)."})
    created_at = fields.AwareDateTime()
    edited_at = fields.AwareDateTime(allow_none=True)
    url = fields.String(metadata={"description": "The comment on the site."})


class CommentTargetSchema(Schema):
    """What a new comment is about: a resource, or the comment it replies to."""

    resource_type = fields.String(
        metadata={"description": "Type of the resource, e.g. `proposals.proposal`."}
    )
    resource_id = fields.Integer()
    parent_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The comment replied to; its resource is then the one."},
    )

    @validates_schema
    def _names_a_target(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("parent_id") is None and (
            "resource_type" not in data or "resource_id" not in data
        ):
            raise ValidationError(
                _l(
                    "Name the resource (resource_type and resource_id) or the comment replied to "
                    "(parent_id)."
                ),
                "resource_type",
            )


class NewCommentSchema(CommentTargetSchema, comment_forms.CommentSchema):
    """A comment or a reply: its target, then the same fields as the site's comment form."""


class CommentEditSchema(comment_forms.CommentSchema):
    """The fields of one's comment to change, as in the site's form; those left out keep
    their value."""

    body = fields.String(metadata={"description": "Markdown."})
    alignment = fields.String(
        validate=validate.OneOf(list(comment_forms.ALIGNMENTS)),
        metadata={"description": "`in_favour`, `neutral` or `against`; top-level comments only."},
    )
    official = fields.Boolean(
        metadata={"description": "An official answer of the institution; staff only."}
    )


class ReportSchema(moderation_forms.ReportSchema):
    """Why one reports a comment, as in the site's form."""

    details = fields.String(
        load_default="",
        validate=validate.Length(max=1000),
        metadata={
            "description": "A few words for the moderators, required with the reason `other`; "
            "never public."
        },
    )


class ReportResultSchema(Schema):
    target_type = fields.String(metadata={"description": "What was reported: `comment`."})
    target_id = fields.Integer()
    reason = fields.String()


class VoteSchema(Schema):
    vote = fields.String(
        required=True,
        validate=validate.OneOf(["up", "down", "none"]),
        metadata={"description": "`up`, `down`, or `none` to take one's vote back."},
    )


class VoteResultSchema(VoteSchema):
    id = fields.Integer(metadata={"description": "The comment."})
    upvotes = fields.Integer()
    downvotes = fields.Integer()


# --- Follows --------------------------------------------------------------------------------


class FollowSchema(Schema):
    target_type = fields.String(
        required=True,
        metadata={"description": "`space`, `user` or a resource type (`proposals.proposal`)."},
    )
    target_id = fields.Integer(required=True)


class FollowResultSchema(FollowSchema):
    following = fields.Boolean(metadata={"description": "Whether one follows it now."})
    changed = fields.Boolean(metadata={"description": "`false` if it already was so."})


# --- Statistics -----------------------------------------------------------------------------


class StatisticSchema(Schema):
    key = fields.String(metadata={"description": "Names the figure, in every language."})
    label = fields.String(metadata={"description": "What is counted, in the client's language."})
    value = fields.Raw(metadata={"type": "number", "description": "A count, a sum..."})


class ComponentStatisticsSchema(Schema):
    id = fields.Integer()
    type = fields.String()
    name = fields.String()
    figures = fields.List(fields.Nested(StatisticSchema))


class SpaceStatisticsSchema(Schema):
    slug = fields.String()
    figures = fields.List(
        fields.Nested(StatisticSchema), metadata={"description": "Of the whole process."}
    )
    components = fields.List(
        fields.Nested(ComponentStatisticsSchema),
        metadata={"description": "Each published component's figures, results included."},
    )


# --- Personal tokens: the form of the account page -------------------------------------------


class NewTokenSchema(Schema):
    """A token's name, and the participant's password: a stolen session alone cannot make a
    token that would outlive it."""

    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=80),
        metadata={
            "label": _l("Name of the token"),
            "description": _l("Where you will use it, e.g. “Kiosk of the town hall”."),
        },
    )
    password = current_password_field()
