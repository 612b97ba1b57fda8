"""The core's own contributions, registered on the same plugin manager as any plugin."""

from __future__ import annotations

from brique.authorizations import BUILT_IN_HANDLERS, AuthorizationHandler
from brique.plugins import hookimpl


class CorePlugin:
    """Built-in authorization handlers."""

    @hookimpl
    def register_authorization_handlers(self) -> list[AuthorizationHandler]:
        return [handler() for handler in BUILT_IN_HANDLERS]
