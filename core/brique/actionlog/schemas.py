"""The filters of the action log pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from brique.space_admin.schemas import id_choice, text


class LogFilterSchema(Schema):
    """Filters of the log; the platform's page adds a choice of process."""

    user = text(
        _l("Person"),
        254,
        description=_l("Nickname or e-mail address of who acted."),
        attributes={"spellcheck": "false", "autocapitalize": "none"},
    )
    verb = fields.String(
        load_default="", metadata={"label": _l("Action"), "widget": "select", "choices": []}
    )
    since = fields.Date(load_default=None, allow_none=True, metadata={"label": _l("From")})
    until = fields.Date(load_default=None, allow_none=True, metadata={"label": _l("Until")})

    def __init__(
        self,
        verbs: Sequence[tuple[str, str]] = (),
        spaces: Sequence[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        if spaces is not None:
            self._declared_fields = {
                "space_id": id_choice(_l("Process"), spaces),
                **self._declared_fields,
            }
        super().__init__(**kwargs)
        self.load_fields["verb"].metadata["choices"] = list(verbs)
