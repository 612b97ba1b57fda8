"""What a participant's verifications say, in plain words, for them and for admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from brique.authorizations import AuthorizationHandler
from brique.models import Authorization, User

METHODS = {
    "census": _l("checked against the census"),
    "declared": _l("declared by the participant"),
}


@dataclass
class Verification:
    """One authorization handler as the account and admin pages show it."""

    name: str
    label: str
    description: str = ""
    verified: bool = False
    verified_at: datetime | None = None
    #: What was recorded, as ``(label, value)`` pairs in plain words.
    details: list[tuple[str, str]] = field(default_factory=list)
    #: Whether the participant fills in a form to be (re-)verified.
    has_form: bool = False


def describe_authorization(
    handler: AuthorizationHandler | None, row: Authorization | None, name: str = ""
) -> Verification:
    """Describe ``row`` (``None``: not verified) recorded by ``handler`` (``None``: uninstalled)."""
    verification = Verification(
        name=handler.name if handler else name,
        label=str(handler.label) if handler else name,
        description=str(handler.description) if handler else "",
        has_form=bool(handler and handler.verify_schema is not None),
    )
    if row is not None:
        verification.verified = True
        verification.verified_at = row.granted_at
        verification.details = recorded_details(handler, row.data)
    return verification


def recorded_details(
    handler: AuthorizationHandler | None, data: dict[str, Any]
) -> list[tuple[str, str]]:
    labels = _field_labels(handler)
    details = []
    for key, value in data.items():
        if value in (None, "", []):
            continue
        if key == "method":
            details.append((str(_l("How")), str(METHODS.get(value, value))))
        else:
            label = labels.get(key) or key.replace("_", " ").capitalize()
            details.append(
                (label, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
            )
    return details


def _field_labels(handler: AuthorizationHandler | None) -> dict[str, str]:
    if handler is None or handler.verify_schema is None:
        return {}
    schema = handler.verify_schema()
    return {
        name: str(schema_field.metadata.get("label", name))
        for name, schema_field in schema.fields.items()
    }


def email_verification(handler: AuthorizationHandler, user: User) -> Verification:
    """The e-mail handler records no row: the confirmation date is the verification."""
    return Verification(
        name=handler.name,
        label=str(handler.label),
        description=str(handler.description),
        verified=user.email_confirmed,
        verified_at=user.email_confirmed_at,
        details=[(str(_l("E-mail address")), user.email or "")] if user.email_confirmed else [],
    )
