"""Settings of a proposals component and the forms of a proposal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

EDIT_WINDOW_UNITS = ("minutes", "hours", "days", "until_first_support", "never")
SORTS = ("random", "recent", "most_supported", "most_commented")


def _count(
    label: str, default: int = 0, maximum: int = 1_000_000, **meta: object
) -> fields.Integer:
    return fields.Integer(
        load_default=default,
        validate=validate.Range(min=0, max=maximum),
        metadata={"label": label, **meta},
    )


class ProposalsSettings(Schema):
    """Global settings of a proposals component."""

    support_limit = _count(_l("Supports per participant"), help=_l("0 means as many as they like."))
    minimum_supports = _count(
        _l("Supports a participant gives before theirs count"),
        help=_l("0 means every support counts at once."),
    )
    threshold = _count(
        _l("Supports for a proposal to qualify"),
        help=_l("A proposal reaching it is marked as qualified. 0: no threshold."),
    )
    supports_beyond_threshold = fields.Boolean(
        load_default=True, metadata={"label": _l("Supports go on after the threshold")}
    )
    proposal_limit = _count(
        _l("Proposals per participant"), help=_l("0 means as many as they like.")
    )
    body_max_length = fields.Integer(
        load_default=3000,
        validate=validate.Range(min=100, max=50_000),
        metadata={"label": _l("Longest proposal text (characters)")},
    )
    edit_window = fields.Integer(
        load_default=15,
        validate=validate.Range(min=0, max=100_000),
        metadata={"label": _l("Authors may edit for")},
    )
    edit_window_unit = fields.String(
        load_default="minutes",
        validate=validate.OneOf(
            EDIT_WINDOW_UNITS,
            labels=[
                _l("minutes after publishing"),
                _l("hours after publishing"),
                _l("days after publishing"),
                _l("until the first support"),
                _l("never after publishing"),
            ],
        ),
        metadata={"label": _l("Edit window")},
    )
    default_sort = fields.String(
        load_default="random",
        validate=validate.OneOf(
            SORTS,
            labels=[_l("Random"), _l("Most recent"), _l("Most supported"), _l("Most commented")],
        ),
        metadata={
            "label": _l("Default order"),
            "help": _l("Random is fairest: the first proposals are not favoured."),
        },
    )
    official_proposals = fields.Boolean(
        load_default=True, metadata={"label": _l("The institution may publish official proposals")}
    )
    anonymous_proposals = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Participants may publish anonymously"),
            "help": _l("The public does not see their nickname; the institution does."),
        },
    )
    geolocation = fields.Boolean(
        load_default=False, metadata={"label": _l("Proposals have an address")}
    )
    attachments = fields.Boolean(
        load_default=False, metadata={"label": _l("Participants may attach files")}
    )
    attachment_max_mb = fields.Integer(
        load_default=5,
        validate=validate.Range(min=1, max=50),
        metadata={"label": _l("Largest attachment (MB)")},
    )
    currency = fields.String(
        load_default="EUR",
        validate=validate.Length(min=1, max=8),
        metadata={"label": _l("Currency of costs")},
    )
    required_profile_fields = fields.List(
        fields.String(validate=validate.Length(max=60)),
        load_default=list,
        metadata={
            "label": _l("Profile fields participants fill in before taking part"),
            "help": _l("Names of the platform's profile fields, one per line."),
        },
    )

    @validates_schema
    def _edit_window_needs_an_amount(self, data: dict, **kwargs: object) -> None:
        timed = data.get("edit_window_unit") in ("minutes", "hours", "days")
        if timed and data.get("edit_window") == 0:
            raise ValidationError(
                str(_l("Give a duration, or choose “never after publishing”.")), "edit_window"
            )


class ProposalsStepSettings(Schema):
    """What a proposals component allows in one step."""

    announcement = fields.String(
        load_default="",
        validate=validate.Length(max=2000),
        metadata={"label": _l("Announcement shown at the top"), "widget": "textarea"},
    )
    creation_open = fields.Boolean(
        load_default=False, metadata={"label": _l("Participants may write proposals")}
    )
    supports_enabled = fields.Boolean(
        load_default=False, metadata={"label": _l("Participants may support proposals")}
    )
    supports_blocked = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Supports are frozen"),
            "help": _l("Supports stay visible but nobody can add or remove one."),
        },
    )
    supports_hidden = fields.Boolean(
        load_default=False, metadata={"label": _l("Support counts are hidden")}
    )
    comments_open = fields.Boolean(load_default=True, metadata={"label": _l("Comments open")})
    answers_published = fields.Boolean(
        load_default=True,
        metadata={
            "label": _l("Answers are published at once"),
            "help": _l("Otherwise they are held until an admin publishes them."),
        },
    )
    answers_with_costs = fields.Boolean(
        load_default=False, metadata={"label": _l("Accepted answers give a cost")}
    )


# --- The form of a proposal ---------------------------------------------------------------

#: ``(id, label)`` pairs of a ``<select>`` built from the database.
Choices = Sequence[tuple[int, str]]

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MIN = 15


def _id_choice(label: Any, choices: Choices) -> fields.Integer:
    """An optional ``<select>`` of ids; values outside ``choices`` are refused."""
    ids = [value for value, _label in choices]
    return fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(ids, error=str(_l("Choose one of the proposed values."))),
        metadata={"label": label, "widget": "select", "choices": list(choices)},
    )


def _coordinate(label: Any, limit: int) -> fields.Float:
    return fields.Float(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=-limit, max=limit),
        metadata={"label": label, "attributes": {"step": "any", "inputmode": "decimal"}},
    )


def _address_fields() -> dict[str, fields.Field]:
    return {
        "address": fields.String(
            load_default="",
            validate=validate.Length(max=300),
            metadata={
                "label": _l("Address"),
                "description": _l("Where it would be, if somewhere in particular."),
                "attributes": {"autocomplete": "street-address"},
            },
        ),
        "latitude": _coordinate(_l("Latitude (optional)"), 90),
        "longitude": _coordinate(_l("Longitude (optional)"), 180),
    }


class ProposalForm(Schema):
    """What the authors write. The site's form and the API check a proposal with it.

    Build it for one component: the longest text, the space's categories and the
    districts come from there, and the address only when the component asks for one.
    """

    title = fields.String(
        required=True,
        validate=[validate.Length(min=TITLE_MIN), validate.Length(max=TITLE_MAX)],
        metadata={
            "label": _l("Title"),
            "description": _l("One sentence saying what you propose."),
        },
    )
    body = fields.String(required=True)

    def __init__(
        self,
        *,
        body_max_length: int = 3000,
        categories: Choices = (),
        scopes: Choices = (),
        geolocation: bool = False,
        **kwargs: Any,
    ) -> None:
        declared = {**self._declared_fields, "body": _body(body_max_length)}
        if categories:
            declared["category_id"] = _id_choice(_l("Category"), categories)
        if scopes:
            declared["scope_id"] = _id_choice(_l("Territory"), scopes)
        if geolocation:
            declared.update(_address_fields())
        self._declared_fields = declared
        super().__init__(**kwargs)

    @validates_schema
    def _both_coordinates_or_neither(self, data: dict, **kwargs: object) -> None:
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            missing = "latitude" if data.get("latitude") is None else "longitude"
            raise ValidationError(
                str(_l("Give both the latitude and the longitude, or neither.")), missing
            )


def _body(max_length: int) -> fields.String:
    return fields.String(
        required=True,
        validate=[validate.Length(min=BODY_MIN), validate.Length(max=max_length)],
        metadata={
            "label": _l("Your proposal"),
            "widget": "textarea",
            "description": _l("What, where, for whom, why. At most %(num)d characters.")
            % {"num": max_length},
        },
    )
