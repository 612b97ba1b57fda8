"""What administrators type in the space administration's forms.

Choices that come from the database (scopes, parent categories, installed
component types) are given to the schema when it is built, so that the same
schema renders the ``<select>`` and refuses values outside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from brique.models.spaces import ROLES

Choices = Sequence[tuple[Any, str]]

REQUIRED = validate.Length(min=1, error=str(_l("This field is required.")))
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG = validate.Regexp(
    SLUG_PATTERN,
    error=str(_l("Use lowercase letters, digits and single dashes, like budget-2026.")),
)


def text(label: Any, max_length: int | None = None, **metadata: Any) -> fields.String:
    """An optional text input (or ``widget``) limited to ``max_length`` characters."""
    validators = [validate.Length(max=max_length)] if max_length else []
    return fields.String(
        load_default="", validate=validators, metadata={"label": label, **metadata}
    )


def required_text(label: Any, max_length: int, **metadata: Any) -> fields.String:
    return fields.String(
        required=True,
        validate=[REQUIRED, validate.Length(max=max_length)],
        metadata={"label": label, **metadata},
    )


def optional_slug(value: str) -> None:
    if value:
        SLUG(value)
        validate.Length(max=80)(value)


def slug_field(required: bool) -> fields.String:
    """The web address of a space; optional when it can be made from the title."""
    if required:
        options: dict[str, Any] = {
            "required": True,
            "validate": [REQUIRED, SLUG, validate.Length(max=80)],
        }
        description = _l(
            "The process's address: /processes/<address>/. Lowercase letters, digits and dashes."
        )
    else:
        options = {"load_default": "", "validate": optional_slug}
        description = _l(
            "The process's address: /processes/<address>/. Lowercase letters, digits and "
            "dashes; leave empty to make it from the title."
        )
    return fields.String(
        **options,
        metadata={
            "label": _l("Web address"),
            "description": description,
            "attributes": {"maxlength": 80, "spellcheck": "false", "autocapitalize": "none"},
        },
    )


def id_choice(label: Any, choices: Choices, **metadata: Any) -> fields.Integer:
    """An optional ``<select>`` of database ids; values outside ``choices`` are refused."""
    ids = [value for value, _label in choices]
    return fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(ids, error=str(_l("Choose one of the proposed values."))),
        metadata={"label": label, "widget": "select", "choices": list(choices), **metadata},
    )


class SpaceInformation(Schema):
    """What describes a space, in forms and process files alike."""

    title = required_text(_l("Title"), 200)
    subtitle = text(_l("Subtitle"), 200)
    short_description = text(
        _l("Short description"),
        widget="textarea",
        description=_l("One or two sentences, shown on the list of processes."),
    )
    description = text(
        _l("Description"),
        widget="markdown",
        description=_l("The presentation of the process. Markdown: **bold**, lists, links."),
    )
    objectives = text(_l("Objectives"), widget="textarea")
    participants = text(
        _l("Who may take part"),
        widget="textarea",
        description=_l("For example: residents aged 16 or over."),
    )
    decision_making = text(_l("How decisions are made"), widget="textarea")
    organiser = text(_l("Organiser"), 200)
    reference = text(
        _l("Reference"), 80, description=_l("An internal code, such as BP-2026 (optional).")
    )
    start_date = fields.Date(load_default=None, allow_none=True, metadata={"label": _l("Start")})
    end_date = fields.Date(load_default=None, allow_none=True, metadata={"label": _l("End")})
    is_private = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Private process"),
            "description": _l("Only the members listed in Roles can see it once published."),
        },
    )
    promoted = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Promote on the home page"),
            "description": _l("Shown first, highlighted, while it is in progress."),
        },
    )

    @validates_schema
    def check_dates(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError(
                str(_l("The end cannot be before the start.")), field_name="end_date"
            )


class SpaceSchema(SpaceInformation):
    """Every field of a space except its hero image (a file, handled by the view)."""

    slug = slug_field(required=False)
    report_threshold = fields.Integer(
        load_default=3,
        validate=validate.Range(min=1, max=100),
        metadata={
            "label": _l("Reports before hiding"),
            "description": _l(
                "Content reported by this many participants is hidden until a moderator reviews it."
            ),
        },
    )

    def __init__(self, scopes: Choices = (), **kwargs: Any) -> None:
        self._declared_fields = {
            **self._declared_fields,
            "scope_id": id_choice(
                _l("Territory"), scopes, description=_l("The area this process concerns.")
            ),
        }
        super().__init__(**kwargs)


class StepSchema(Schema):
    """One step of the timeline; times are typed in the institution's timezone."""

    title = required_text(_l("Title"), 200)
    description = text(_l("Description"), widget="markdown")
    start_at = fields.AwareDateTime(required=True, metadata={"label": _l("Starts")})
    end_at = fields.AwareDateTime(required=True, metadata={"label": _l("Ends")})

    @validates_schema
    def check_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("start_at"), data.get("end_at")
        if start and end and end <= start:
            raise ValidationError(str(_l("The end must be after the start.")), field_name="end_at")


class CategorySchema(Schema):
    name = required_text(_l("Name"), 120)
    description = text(_l("Description"), widget="textarea")

    def __init__(self, parents: Choices = (), **kwargs: Any) -> None:
        self._declared_fields = {
            **self._declared_fields,
            "parent_id": id_choice(
                _l("Parent category"),
                parents,
                description=_l("Leave empty for a main category."),
            ),
        }
        super().__init__(**kwargs)


class ComponentSchema(Schema):
    name = required_text(
        _l("Name"), 200, description=_l("What participants see, such as “Your ideas”.")
    )


class NewComponentSchema(ComponentSchema):
    type = fields.String(required=True, metadata={"hidden": True})


class RoleSchema(Schema):
    person = required_text(
        _l("Person"),
        254,
        description=_l("The e-mail address or nickname of a registered person."),
    )
    role = fields.String(
        required=True,
        validate=validate.OneOf(ROLES),
        metadata={"label": _l("Role"), "widget": "select", "choices": []},
    )

    def __init__(self, role_labels: Choices = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.load_fields["role"].metadata["choices"] = list(role_labels)


class CopySchema(Schema):
    title = required_text(_l("Title of the new process"), 200)
    slug = slug_field(required=True)


class ImportSchema(Schema):
    title = text(
        _l("Title of the new process"),
        200,
        description=_l("Leave empty to keep the title in the file."),
    )
    slug = slug_field(required=True)


# The process file: a space's configuration exported as JSON (see transfer.py).

FILE_FORMAT = "brique-space"
FILE_VERSION = 1


class ScopeDocument(Schema):
    name = fields.String(load_default="")
    code = fields.String(load_default="")


class SpaceDocument(SpaceInformation):
    """The space's information in a process file; its territory named, not by id."""

    scope = fields.Nested(ScopeDocument, load_default=None, allow_none=True)


class StepDocument(StepSchema):
    pass


class SubcategoryDocument(Schema):
    name = required_text(_l("Name"), 120)
    description = text(_l("Description"))


class CategoryDocument(SubcategoryDocument):
    subcategories = fields.List(fields.Nested(SubcategoryDocument), load_default=list)


class RequirementsDocument(Schema):
    handlers = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)
    profile_fields = fields.List(fields.String(), load_default=list)


class ComponentDocument(Schema):
    type = fields.String(required=True, validate=REQUIRED)
    name = required_text(_l("Name"), 200)
    settings = fields.Dict(keys=fields.String(), load_default=dict)
    default_step_settings = fields.Dict(keys=fields.String(), load_default=dict)
    #: Keyed by the step's position in the file's ``steps`` ("0", "1"...).
    step_settings = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)
    permissions = fields.Dict(
        keys=fields.String(), values=fields.Nested(RequirementsDocument), load_default=dict
    )


class ProcessFileSchema(Schema):
    """A whole process file. Unknown keys are refused, so typos do not pass silently."""

    format = fields.String(
        required=True,
        validate=validate.Equal(FILE_FORMAT, error=str(_l("This is not a Brique process file."))),
    )
    version = fields.Integer(
        required=True,
        validate=validate.Equal(
            FILE_VERSION,
            error=str(_l("This file comes from a version of Brique this site cannot read.")),
        ),
    )
    exported_at = fields.String(load_default="")
    space = fields.Nested(SpaceDocument, required=True)
    steps = fields.List(fields.Nested(StepDocument), load_default=list)
    categories = fields.List(fields.Nested(CategoryDocument), load_default=list)
    components = fields.List(fields.Nested(ComponentDocument), load_default=list)
