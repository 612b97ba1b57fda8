"""What the API returns: one marshmallow schema per object, also used for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields


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
