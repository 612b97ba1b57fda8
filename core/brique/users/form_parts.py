"""A form made of several schemas (account fields plus the institution's questions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from brique.forms import FormField, form_fields, load_form
from brique.users.schemas import without_passwords


@dataclass
class FormPart:
    """One schema of a form, its inputs named with ``prefix``."""

    schema: Schema
    values: dict[str, Any]
    prefix: str = ""
    data: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def load(self, form: MultiDict) -> bool:
        """Validate the submitted ``form``; ``True`` when this part is valid."""
        self.data, self.errors, self.values = load_form(self.schema, form, self.prefix)
        return self.data is not None

    def fields(self) -> list[FormField]:
        return form_fields(self.schema, without_passwords(self.values), self.errors, self.prefix)

    def summary_errors(self) -> dict[str, list[str]]:
        """Errors keyed by input name, so that the error summary links to the inputs."""
        return {self.prefix + key: messages for key, messages in self.errors.items()}


def load_parts(form: MultiDict, *parts: FormPart) -> bool:
    """Validate every part (each gets its errors); ``True`` when all are valid."""
    valid = [part.load(form) for part in parts]  # load all, not only up to the first error
    return all(valid)


def summary_errors(*parts: FormPart) -> dict[str, list[str]]:
    return {key: value for part in parts for key, value in part.summary_errors().items()}
