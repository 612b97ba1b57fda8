"""Authorization handlers: ways a participant proves something an action may require.

Built in: ``email`` (confirmed e-mail address), ``residency`` (postal code or
district, declared or checked against a census file) and ``age`` (birth year).
Plugins add more with the ``register_authorization_handlers`` hook.
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from flask import current_app, g, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import exists, select

from brique.clock import now
from brique.db import db
from brique.models import Authorization, CensusEntry, SiteSettings, User
from brique.permissions import ALLOWED, Decision, refuse


class AuthorizationHandler:
    """Base class of authorization handlers. Subclass and set the class attributes.

    ``options_schema`` describes what an admin sets when requiring the handler
    on an action (e.g. allowed postal codes); ``verify_schema`` what the
    participant fills in to be verified (``None``: no form, e.g. e-mail).
    """

    #: Unique name, stored in permissions and authorization rows.
    name: ClassVar[str] = ""
    #: Shown to admins and participants.
    label: ClassVar[str] = ""
    #: One sentence telling participants what is checked and why.
    description: ClassVar[str] = ""
    #: Marshmallow schema of the options an admin sets when requiring the handler
    #: on an action (``None``: no options).
    options_schema: ClassVar[type[Schema] | None] = None
    #: Marshmallow schema of the form participants fill in to be verified
    #: (``None``: no form, like ``email``).
    verify_schema: ClassVar[type[Schema] | None] = None

    def check(self, user: User, options: dict[str, Any]) -> Decision:
        """Whether ``user`` satisfies this handler with the admin's ``options``."""
        authorization = authorization_of(user, self.name)
        if authorization is None:
            return self.verification_needed()
        return self.check_data(authorization.data, options)

    def check_data(self, data: dict[str, Any], options: dict[str, Any]) -> Decision:
        """Compare what verification recorded with the options; override in handlers."""
        return ALLOWED

    def verify(self, user: User, data: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """Check submitted ``data``; return what to record and a unique hash (or ``None``).

        Raise :class:`marshmallow.ValidationError` with messages per field when
        the data does not verify the user.
        """
        return data, None

    def verification_needed(self) -> Decision:
        """The refusal for a user who never verified, linking to the verification page."""
        return refuse(
            _l("Verify your %(what)s to take part.", what=self.label),
            "verification_required",
            url_for("account.verify", handler=self.name),
            _l("Verify now"),
        )


def authorization_of(user: User, handler: str) -> Authorization | None:
    """The user's authorization by ``handler``, read once per request."""
    cache = g.setdefault("_brique_authorizations", {})
    if user.id not in cache:
        rows = db.session.scalars(select(Authorization).where(Authorization.user_id == user.id))
        cache[user.id] = {row.handler: row for row in rows}
    return cache[user.id].get(handler)


def grant(user: User, handler: AuthorizationHandler, data: dict[str, Any]) -> Authorization:
    """Verify ``user`` with submitted data and record it; raises ValidationError."""
    recorded, unique_hash = handler.verify(user, data)
    if unique_hash is not None:
        taken = db.session.scalar(
            select(
                exists().where(
                    Authorization.handler == handler.name,
                    Authorization.unique_hash == unique_hash,
                    Authorization.user_id != user.id,
                )
            )
        )
        if taken:
            raise ValidationError(str(_l("These details already verified another account.")))
    authorization = db.session.scalar(
        select(Authorization).where(
            Authorization.user_id == user.id, Authorization.handler == handler.name
        )
    )
    if authorization is None:
        authorization = Authorization(user_id=user.id, handler=handler.name)
        db.session.add(authorization)
    authorization.data = recorded
    authorization.unique_hash = unique_hash
    g.pop("_brique_authorizations", None)
    return authorization


class EmailHandler(AuthorizationHandler):
    name = "email"
    label = _l("e-mail address")
    description = _l("You confirmed your e-mail address by the link we sent you.")

    def check(self, user: User, options: dict[str, Any]) -> Decision:
        if user.email_confirmed:
            return ALLOWED
        return refuse(
            _l("Confirm your e-mail address to take part."),
            "unconfirmed",
            url_for("auth.resend_confirmation"),
            _l("Send the link again"),
        )


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.replace(";", ",").split(",") if code.strip()]


class ResidencyOptions(Schema):
    postal_codes = fields.List(
        fields.String(),
        load_default=list,
        metadata={
            "label": _l("Allowed postal codes"),
            "description": _l("Comma-separated; empty allows any residency."),
            "widget": "list",
        },
    )
    districts = fields.List(
        fields.String(),
        load_default=list,
        metadata={
            "label": _l("Allowed districts"),
            "description": _l("Comma-separated; empty allows any district."),
            "widget": "list",
        },
    )


class ResidencyForm(Schema):
    postal_code = fields.String(
        required=True,
        validate=validate.Length(min=2, max=20),
        metadata={"label": _l("Postal code")},
    )
    district = fields.String(load_default="", metadata={"label": _l("District")})
    identifier = fields.String(
        load_default="",
        metadata={
            "label": _l("Identifier on the census"),
            "description": _l("Only asked when the institution checks against its census."),
        },
    )


def census_hash(identifier: str, salt: str) -> str:
    """Salted SHA-256 of a normalised census identifier (case and spaces ignored)."""
    normalised = "".join(identifier.split()).upper()
    return hashlib.sha256(f"{salt}:{normalised}".encode()).hexdigest()


class ResidencyHandler(AuthorizationHandler):
    name = "residency"
    label = _l("residency")
    description = _l(
        "You live in the territory: your postal code, checked against the census "
        "when the institution uploaded one."
    )
    options_schema = ResidencyOptions
    verify_schema = ResidencyForm

    def check_data(self, data: dict[str, Any], options: dict[str, Any]) -> Decision:
        codes = [code.strip().upper() for code in options.get("postal_codes") or []]
        districts = options.get("districts") or []
        if codes and data.get("postal_code", "").upper() not in codes:
            return refuse(
                _l("This is open to residents of %(codes)s only.", codes=", ".join(codes)),
                "forbidden",
            )
        if districts and (data.get("district") or "").casefold() not in {
            district.casefold() for district in districts
        }:
            return refuse(
                _l(
                    "This is open to residents of %(districts)s only.",
                    districts=", ".join(districts),
                ),
                "forbidden",
            )
        return ALLOWED

    def verify(self, user: User, data: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        if not db.session.scalar(select(exists().where(CensusEntry.id.is_not(None)))):
            return {
                "postal_code": data["postal_code"].strip().upper(),
                "district": data.get("district", ""),
                "method": "declared",
            }, None
        salt = SiteSettings.get().census_salt or ""
        digest = census_hash(data.get("identifier", ""), salt)
        entry = db.session.scalar(select(CensusEntry).where(CensusEntry.identifier_hash == digest))
        if entry is None or entry.postal_code.upper() != data["postal_code"].strip().upper():
            raise ValidationError(
                {
                    "identifier": [
                        str(
                            _l(
                                "We could not find you on the census with this identifier "
                                "and postal code."
                            )
                        )
                    ]
                }
            )
        return {
            "postal_code": entry.postal_code.upper(),
            "district": entry.district,
            "method": "census",
        }, digest


class AgeOptions(Schema):
    min_age = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=120),
        metadata={"label": _l("Minimum age")},
    )
    max_age = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=120),
        metadata={"label": _l("Maximum age")},
    )


class AgeForm(Schema):
    birth_year = fields.Integer(
        required=True,
        validate=validate.Range(min=1900, max=2100),
        metadata={"label": _l("Year of birth")},
    )


class AgeHandler(AuthorizationHandler):
    name = "age"
    label = _l("age")
    description = _l("Your year of birth, to check the age limits of some votes.")
    options_schema = AgeOptions
    verify_schema = AgeForm

    def check_data(self, data: dict[str, Any], options: dict[str, Any]) -> Decision:
        age = now().year - int(data["birth_year"])
        if options.get("min_age") is not None and age < options["min_age"]:
            return refuse(
                _l("This is open from the age of %(age)s.", age=options["min_age"]), "forbidden"
            )
        if options.get("max_age") is not None and age > options["max_age"]:
            return refuse(
                _l("This is open up to the age of %(age)s.", age=options["max_age"]), "forbidden"
            )
        return ALLOWED

    def verify(self, user: User, data: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        if data["birth_year"] > now().year:
            raise ValidationError({"birth_year": [str(_l("This year is in the future."))]})
        return {"birth_year": data["birth_year"]}, None


BUILT_IN_HANDLERS = (EmailHandler, ResidencyHandler, AgeHandler)


def handlers() -> dict[str, AuthorizationHandler]:
    return current_app.extensions["brique"].authorization_handlers
