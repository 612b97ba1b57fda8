"""Proposals the institution records: its own (official) and those of people who took part
offline (a public meeting, a paper form, an e-mail), published at once with their origin,
which the public pages show.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from brique.plugin_api import Component, Scope, User, db, log_action, now, settings_of, signals
from brique_proposals import signals as proposal_signals
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal

#: How each origin reads, in lists and on a proposal's page.
ORIGIN_LABELS = {
    "participant": _l("A participant"),
    "official": _l("Official proposal"),
    "meeting": _l("Made at a meeting"),
    "paper": _l("Sent on paper"),
    "email": _l("Sent by e-mail"),
    "other": _l("Made in person"),
}
OFFLINE_ORIGINS = ("meeting", "paper", "email", "other")


def proposal_origin(proposal: Proposal) -> str:
    """Where ``proposal`` comes from, in words, with its note ("Made at a meeting: Réunion
    publique du 12 mars"); empty for proposals participants wrote on the site."""
    if proposal.origin == "participant":
        return ""
    label = str(ORIGIN_LABELS.get(proposal.origin, proposal.origin))
    return f"{label}: {proposal.origin_note}" if proposal.origin_note else label


def origins_allowed(component: Component) -> list[str]:
    """The origins staff may record here: official ones only when the settings allow."""
    official = ["official"] if settings_of(component)["official_proposals"] else []
    return official + list(OFFLINE_ORIGINS)


class RecordSchema(Schema):
    """The form of a proposal recorded by staff; ``RecordSchema(component)``."""

    origin = fields.String(required=True, metadata={"label": _l("Where it comes from")})
    origin_note = fields.String(
        load_default="",
        validate=validate.Length(max=300),
        metadata={
            "label": _l("Who and where"),
            "description": _l("Shown with the proposal, e.g. “Réunion publique du 12 mars”."),
        },
    )
    title = fields.String(
        required=True,
        validate=validate.Length(min=3, max=200),
        metadata={"label": _l("Title")},
    )
    body = fields.String(
        required=True,
        validate=validate.Length(min=1, max=50_000),
        metadata={"label": _l("Text"), "widget": "markdown"},
    )
    category_id = fields.Integer(
        load_default=None, allow_none=True, metadata={"label": _l("Category")}
    )
    scope_id = fields.Integer(load_default=None, allow_none=True, metadata={"label": _l("Scope")})
    address = fields.String(
        load_default="", validate=validate.Length(max=300), metadata={"label": _l("Address")}
    )

    def __init__(self, component: Component, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        origins = origins_allowed(component)
        self.fields["origin"].validators = [
            validate.OneOf(origins, labels=[str(ORIGIN_LABELS[key]) for key in origins])
        ]
        self._choose("category_id", [(c.id, c.name) for c in component.space.categories])
        scopes = db.session.scalars(select(Scope).order_by(Scope.name)).all()
        self._choose("scope_id", [(s.id, s.name) for s in scopes])
        if not settings_of(component)["geolocation"]:
            self.fields["address"].metadata = {**self.fields["address"].metadata, "hidden": True}

    def _choose(self, name: str, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        field.metadata = {**field.metadata, "widget": "select", "choices": choices}
        if not choices:
            field.metadata["hidden"] = True
        field.validators = [validate.OneOf([value for value, _label in choices])]

    @validates_schema
    def _offline_needs_a_note(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("origin") in OFFLINE_ORIGINS and not data.get("origin_note", "").strip():
            message = _("Say who made it and where, e.g. “Réunion publique du 12 mars”.")
            raise ValidationError(message, "origin_note")


def record_proposal(component: Component, user: User | None, data: dict[str, Any]) -> Proposal:
    """Publish a proposal staff recorded; logged, not committed. Then :func:`announce`."""
    proposal = Proposal(
        component_id=component.id,
        author_id=None,
        status="published",
        published_at=now(),
        origin=data["origin"],
        origin_note=data.get("origin_note", "").strip(),
        title=data["title"].strip(),
        body=data["body"].strip(),
        category_id=data.get("category_id"),
        scope_id=data.get("scope_id"),
        address=data.get("address", "").strip(),
    )
    db.session.add(proposal)
    db.session.flush()
    log_action(
        user,
        "resource.create",
        proposal,
        after={"origin": proposal.origin, "origin_note": proposal.origin_note},
    )
    return proposal


def announce(proposal: Proposal, user: User | None) -> None:
    """Tell the plugin's and the core's listeners; call it after the commit."""
    proposal_signals.proposal_created.send(proposal, user=user)
    proposal_signals.proposal_published.send(proposal, user=user)
    # No user for the core: staff recording a proposal neither follow it nor count as
    # participants of the process.
    signals.resource_created.send(RESOURCE_TYPE, resource=proposal, user=None)
