"""Which kinds of jobs exist: handlers by kind, and the periodic ones, kept on the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from flask import Flask, current_app

from brique.plugins import PluginError

#: A job handler receives the job's payload (a JSON mapping). It raises to fail the attempt.
JobHandler = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class PeriodicJob:
    """A job the workers run on a schedule: every so long, or each day at a set time.

    Give ``every`` or ``daily_at``, not both. When the job falls due, a worker
    enqueues it, once however many workers run; then it runs like any job
    (retried if it raises). The first run comes one period after the first
    worker starts, or at the first ``daily_at`` to come.
    """

    #: The job's kind, ``"<plugin>.<name>"``; it also names the job's schedule in the
    #: database, so keep it when the schedule changes.
    kind: str
    #: What runs, like any job handler: it receives the payload (an empty mapping),
    #: commits its work, raises to be tried again later.
    handler: JobHandler
    #: Run every so long, e.g. ``timedelta(minutes=15)``.
    every: timedelta | None = None
    #: Or each day at this time of the institution's timezone (``TIMEZONE``), e.g.
    #: ``time(3, 0)``.
    daily_at: time | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(
                f"periodic job {self.kind!r}: give either every (a timedelta) or daily_at "
                "(a time of day), not both and not neither"
            )
        if self.every is not None and self.every <= timedelta(0):
            raise ValueError(f"periodic job {self.kind!r}: every must be longer than zero")
        if self.daily_at is not None and self.daily_at.tzinfo is not None:
            raise ValueError(
                f"periodic job {self.kind!r}: daily_at is a time of the institution's timezone; "
                "give it without tzinfo"
            )

    def next_run(self, moment: datetime, zone: tzinfo) -> datetime:
        """When the job is next due after ``moment`` (aware); ``zone`` is the institution's."""
        if self.every is not None:
            return moment + self.every
        local = moment.astimezone(zone)
        candidate = datetime.combine(local.date(), self.daily_at, tzinfo=zone)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), self.daily_at, zone)
        return candidate.astimezone(moment.tzinfo)


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

    def add_periodic(self, periodic: PeriodicJob, owner: str = "core") -> None:
        self.add(periodic.kind, periodic.handler, owner)
        self.periodic.append(periodic)


def init_jobs(app: Flask) -> JobRegistry:
    """Fill the app's job registry with the handlers and periodic jobs given by hook
    (the core's own included: it implements the same hooks)."""
    state = app.extensions["brique"]
    registry = state.jobs
    for impl in state.hook.register_job_handlers.get_hookimpls():
        for kind, handler in (impl.function() or {}).items():
            registry.add(_checked(impl.plugin_name, kind), handler, _owner(impl.plugin_name))
    for impl in state.hook.register_periodic_jobs.get_hookimpls():
        for periodic in _call_with_app(impl, app) or []:
            if not isinstance(periodic, PeriodicJob):
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: register_periodic_jobs must return "
                    f"PeriodicJob objects, got {periodic!r}"
                )
            _checked(impl.plugin_name, periodic.kind)
            registry.add_periodic(periodic, _owner(impl.plugin_name))
    return registry


def _call_with_app(impl: Any, app: Flask) -> Any:
    """Call a hook implementation with ``app`` if it takes it (pluggy lets it leave it out)."""
    return impl.function(app=app) if "app" in impl.argnames else impl.function()


def _checked(plugin_name: str, kind: str) -> str:
    if plugin_name != "core" and not kind.startswith(f"{plugin_name}."):
        raise PluginError(
            f"plugin {plugin_name!r}: its job kind {kind!r} must be named '{plugin_name}.<kind>'"
        )
    return kind


def _owner(plugin_name: str) -> str:
    return "core" if plugin_name == "core" else f"plugin {plugin_name!r}"


def job_registry() -> JobRegistry:
    """The current app's job registry."""
    return current_app.extensions["brique"].jobs
