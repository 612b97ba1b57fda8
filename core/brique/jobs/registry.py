"""Which kinds of jobs exist: handlers by kind, and the periodic ones, kept on the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app

from brique.plugins import PluginError

#: A job handler receives the job's payload (a JSON mapping). It raises to fail the attempt.
JobHandler = Callable[[dict[str, Any]], None]
EXTENSION = "brique_jobs"


@dataclass(frozen=True)
class PeriodicJob:
    """A kind of job that the workers enqueue on a schedule.

    ``next_run`` receives the current time and returns when the job is next due.
    """

    kind: str
    next_run: Callable[[datetime], datetime]


@dataclass
class JobRegistry:
    """The handlers of one app, by kind, and its periodic jobs."""

    handlers: dict[str, JobHandler] = field(default_factory=dict)
    periodic: list[PeriodicJob] = field(default_factory=list)

    def add(self, kind: str, handler: JobHandler, owner: str = "core") -> None:
        """Register ``handler`` for ``kind``; a kind registered twice fails loudly."""
        if kind in self.handlers:
            raise PluginError(
                f"{owner}: the job kind {kind!r} is registered twice, or another plugin "
                "registered it already; give each a unique name"
            )
        self.handlers[kind] = handler

    def add_periodic(self, periodic: PeriodicJob, handler: JobHandler) -> None:
        self.add(periodic.kind, handler)
        self.periodic.append(periodic)


def init_jobs(app: Flask) -> JobRegistry:
    """Create the app's job registry with the handlers plugins give by hook."""
    registry = JobRegistry()
    hook = app.extensions["brique"].hook.register_job_handlers
    for impl in hook.get_hookimpls():
        for kind, handler in (impl.function() or {}).items():
            if impl.plugin_name != "core" and not kind.startswith(f"{impl.plugin_name}."):
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: its job kind {kind!r} must be named "
                    f"'{impl.plugin_name}.<kind>'"
                )
            registry.add(kind, handler, owner=f"plugin {impl.plugin_name!r}")
    app.extensions[EXTENSION] = registry
    return registry


def job_registry() -> JobRegistry:
    """The current app's job registry."""
    return current_app.extensions[EXTENSION]
