"""The core's own contributions, registered on the same plugin manager as any plugin."""

from __future__ import annotations

from typing import Any

from brique.authorizations import BUILT_IN_HANDLERS, AuthorizationHandler
from brique.plugins import hookimpl


class CorePlugin:
    """Built-in authorization handlers, background and periodic jobs, statistics."""

    @hookimpl
    def register_authorization_handlers(self) -> list[AuthorizationHandler]:
        return [handler() for handler in BUILT_IN_HANDLERS]

    @hookimpl
    def register_job_handlers(self) -> dict[str, Any]:
        from brique.notifications.setup import core_job_handlers

        return core_job_handlers()

    @hookimpl
    def register_periodic_jobs(self, app: Any) -> list[Any]:
        from brique.notifications.setup import core_periodic_jobs

        return core_periodic_jobs(app)

    # The core's figures come first: plugins' figures follow them.
    @hookimpl(tryfirst=True)
    def space_statistics(self, space: Any) -> list[Any]:
        from brique.statistics.core_figures import space_figures

        return space_figures(space)

    @hookimpl(tryfirst=True)
    def platform_statistics(self) -> list[Any]:
        from brique.statistics.core_figures import platform_figures

        return platform_figures()
