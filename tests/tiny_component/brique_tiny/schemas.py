"""Settings of the tiny component."""

from marshmallow import Schema, fields, validate


class TinySettings(Schema):
    max_length = fields.Integer(
        load_default=140,
        validate=validate.Range(min=10, max=140),
        metadata={"label": "Longest note (characters)"},
    )


class TinyStepSettings(Schema):
    notes_open = fields.Boolean(load_default=False, metadata={"label": "Notes open"})


class NoteSchema(Schema):
    title = fields.String(
        required=True, validate=validate.Length(min=2, max=140), metadata={"label": "Your note"}
    )
