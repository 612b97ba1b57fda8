"""Example of ``register_authorization_handlers``: a municipal library card proves membership.

Participants type their card number once; admins may then require a library
card, optionally from some branches only, on any action of any component.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from brique.plugin_api import (
    ALLOWED,
    AuthorizationHandler,
    Decision,
    Plugin,
    User,
    hookimpl,
    refuse,
)


class CardOptions(Schema):
    """What an admin sets when requiring a library card on an action."""

    branches = fields.List(
        fields.String(),
        load_default=list,
        metadata={
            "label": _l("Library branches"),
            "description": _l("Comma-separated; empty accepts the card of any branch."),
            "widget": "list",
        },
    )


class CardForm(Schema):
    """What a participant fills in to be verified."""

    card_number = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{8}$", error=_l("Type the 8 digits under the bar code.")),
        metadata={"label": _l("Library card number")},
    )
    branch = fields.String(required=True, metadata={"label": _l("Your library branch")})


class LibraryCardHandler(AuthorizationHandler):
    name = "library_card"
    label = _l("library card")
    description = _l("You hold a card of the municipal library.")
    options_schema = CardOptions
    verify_schema = CardForm

    def verify(self, user: User, data: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        # Record the branch only; the hash lets one card verify one account.
        digest = hashlib.sha256(f"library-card:{data['card_number']}".encode()).hexdigest()
        return {"branch": data["branch"]}, digest

    def check_data(self, data: dict[str, Any], options: dict[str, Any]) -> Decision:
        branches = options.get("branches") or []
        if branches and data.get("branch") not in branches:
            return refuse(
                _l("This is open to members of %(branches)s.", branches=", ".join(branches)),
                "forbidden",
            )
        return ALLOWED


class LibraryPlugin(Plugin):
    name = "library"
    api_version = "1.0"

    @hookimpl
    def register_authorization_handlers(self) -> list[AuthorizationHandler]:
        return [LibraryCardHandler()]
