"""What people type to sign up, log in and manage their account."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

NICKNAME = validate.Regexp(
    r"^[\w.-]{3,40}$", error=str(_l("Use 3 to 40 letters, digits, dots, dashes or underscores."))
)
PASSWORD_MIN = 10
#: Deleted accounts are renamed ``deleted-<id>``: nobody may take such a nickname.
RESERVED_NICKNAME_PREFIX = "deleted-"


def not_reserved(nickname: str) -> None:
    if nickname.lower().startswith(RESERVED_NICKNAME_PREFIX):
        raise ValidationError(str(_l("This nickname is reserved. Choose another one.")))


def nickname_field() -> fields.String:
    return fields.String(
        required=True,
        validate=[NICKNAME, not_reserved],
        metadata={
            "label": _l("Nickname"),
            "attributes": {"autocomplete": "username"},
            "description": _l("Shown publicly next to your contributions."),
        },
    )


def name_field() -> fields.String:
    return fields.String(
        load_default="",
        validate=validate.Length(max=120),
        metadata={
            "label": _l("Full name"),
            "attributes": {"autocomplete": "name"},
            "description": _l("Private: only the institution sees it."),
        },
    )


def current_password_field() -> fields.String:
    return fields.String(
        required=True,
        load_only=True,
        metadata={
            "label": _l("Current password"),
            "widget": "password",
            "attributes": {"autocomplete": "current-password"},
            "description": _l("To make sure it is you."),
        },
    )


def password_field(label: Any) -> fields.String:
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=PASSWORD_MIN, max=200),
        metadata={
            "label": label,
            "widget": "password",
            "attributes": {"autocomplete": "new-password"},
            "description": _l("At least %(count)s characters.", count=PASSWORD_MIN),
        },
    )


class SignupSchema(Schema):
    email = fields.Email(
        required=True,
        metadata={
            "label": _l("E-mail address"),
            "attributes": {"autocomplete": "email"},
            "description": _l("We send you a link to confirm it. It is never shown publicly."),
        },
    )
    nickname = nickname_field()
    name = name_field()
    password = password_field(_l("Password"))
    accept_terms = fields.Boolean(
        required=True, metadata={"label": _l("I accept the terms of use and the privacy policy")}
    )

    @validates_schema
    def check(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("accept_terms"):
            raise ValidationError(str(_l("You must accept the terms to sign up.")), "accept_terms")
        password = data.get("password", "").lower()
        if password and password in {
            data.get("email", "").lower(),
            data.get("nickname", "").lower(),
        }:
            raise ValidationError(
                str(_l("Choose a password different from your e-mail and nickname.")), "password"
            )


class LoginSchema(Schema):
    email = fields.String(
        required=True,
        metadata={
            "label": _l("E-mail address"),
            "widget": "email",
            "attributes": {"autocomplete": "email"},
        },
    )
    password = fields.String(
        required=True,
        load_only=True,
        metadata={
            "label": _l("Password"),
            "widget": "password",
            "attributes": {"autocomplete": "current-password"},
        },
    )
    remember = fields.Boolean(load_default=False, metadata={"label": _l("Stay logged in")})


class EmailSchema(Schema):
    email = fields.Email(
        required=True,
        metadata={"label": _l("E-mail address"), "attributes": {"autocomplete": "email"}},
    )


class NewPasswordSchema(Schema):
    password = password_field(_l("New password"))


def with_choices(schema: Schema, name: str, choices: list[tuple[str, Any]]) -> Schema:
    """Give the field ``name`` of ``schema`` (an instance) choices known only at request time.

    The choices are shown in the select list and checked when loading.
    """
    schema_field = schema.fields[name]
    # The metadata dict is shared with the class's field: replace it, never mutate it.
    schema_field.metadata = {**schema_field.metadata, "choices": choices}
    values = [value for value, _label in choices]
    if isinstance(schema_field, fields.Integer):
        values = [int(value) for value in values]
    one_of = validate.OneOf(values, error=str(_l("Choose one of the options in the list.")))
    schema_field.validators = [*schema_field.validators, one_of]
    return schema


class AccountSchema(Schema):
    nickname = nickname_field()
    name = name_field()
    locale = fields.String(
        required=True,
        metadata={
            "label": _l("Language"),
            "widget": "select",
            "description": _l("Of the site and of the e-mails we send you."),
        },
    )


class ChangeEmailSchema(Schema):
    email = fields.Email(
        required=True,
        validate=validate.Length(max=254),
        metadata={
            "label": _l("New e-mail address"),
            "attributes": {"autocomplete": "email"},
            "description": _l("We send a link to it: your address changes when you open it."),
        },
    )
    password = current_password_field()


class ChangePasswordSchema(Schema):
    current_password = current_password_field()
    password = password_field(_l("New password"))

    @validates_schema
    def check(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("password") and data.get("password") == data.get("current_password"):
            raise ValidationError(
                str(_l("Choose a new password different from the current one.")), "password"
            )


EMAIL_FREQUENCIES = ("immediate", "daily", "none")


class NotificationSchema(Schema):
    email = fields.String(
        load_default="immediate",
        validate=validate.OneOf(EMAIL_FREQUENCIES),
        metadata={
            "label": _l("E-mail me about activity I follow"),
            "widget": "select",
            "choices": [
                ("immediate", _l("As it happens")),
                ("daily", _l("Once a day, in a digest")),
                ("none", _l("Never")),
            ],
            "description": _l("You still see every notification on the site."),
        },
    )
    newsletter = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Send me the institution's newsletter"),
            "description": _l("News about participation. You can stop it at any time."),
        },
    )


class DeleteAccountSchema(Schema):
    password = current_password_field()
    understood = fields.Boolean(
        load_default=False,
        metadata={"label": _l("I understand that my account cannot be restored")},
    )

    @validates_schema
    def check(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("understood"):
            raise ValidationError(
                str(_l("Tick the box to confirm that you want to delete your account.")),
                "understood",
            )


PASSWORD_INPUTS = ("password", "current_password")


def without_passwords(values: dict[str, Any]) -> dict[str, Any]:
    """Submitted values to show again in a form: passwords are never sent back to the browser."""
    return {key: value for key, value in values.items() if key not in PASSWORD_INPUTS}
