"""Setting up follows, notifications, newsletters and the job queue on a new app."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from brique import signals
from brique.jobs.inline import start_inline_worker
from brique.jobs.queue import delete_finished
from brique.jobs.registry import JobRegistry, PeriodicJob, init_jobs
from brique.notifications.kinds import EXTENSION, NotificationKind, NotificationRegistry
from brique.plugins import PluginError


def init_notifications(app: Flask) -> None:
    """Register the blueprints, the core's jobs and kinds, the plugins' kinds, the
    receivers; start the inline worker under ``brique run``."""
    from brique.follows.blueprint import bp as follows
    from brique.follows.receivers import connect_follow_receivers
    from brique.newsletters.blueprint import bp as newsletters
    from brique.notifications.blueprint import bp as notifications
    from brique.notifications.dispatch import connect_kinds
    from brique.notifications.steps import remember_pinned_step

    for blueprint in (follows, notifications, newsletters):
        app.register_blueprint(blueprint)
    register_core_jobs(init_jobs(app))
    registry = NotificationRegistry()
    for kind in kinds_of(app):
        registry.kinds[kind.name] = kind
    app.extensions[EXTENSION] = registry
    connect_kinds(registry)
    connect_follow_receivers()
    signals.step_activated.connect(remember_pinned_step)
    start_inline_worker(app)


def _daily(moment: datetime) -> datetime:
    return moment + timedelta(days=1)


def register_core_jobs(registry: JobRegistry) -> None:
    from brique.newsletters.delivery import deliver_newsletter
    from brique.notifications.emails import (
        enqueue_digests,
        next_digest_time,
        send_digest,
        send_notification_email,
    )
    from brique.notifications.steps import announce_steps, next_check

    registry.add("notifications.email", send_notification_email)
    registry.add("notifications.digest", send_digest)
    registry.add("newsletters.deliver", deliver_newsletter)
    registry.add_periodic(PeriodicJob("notifications.digests", next_digest_time), enqueue_digests)
    registry.add_periodic(PeriodicJob("timeline.announce-steps", next_check), announce_steps)
    registry.add_periodic(PeriodicJob("jobs.cleanup", _daily), delete_finished)


def kinds_of(app: Flask) -> list[NotificationKind]:
    """The core's kinds, then each plugin's, checking their names."""
    from brique.notifications.core_kinds import core_kinds

    found = core_kinds()
    names = {kind.name for kind in found}
    hook = app.extensions["brique"].hook.register_notification_kinds
    for impl in hook.get_hookimpls():
        for kind in impl.function() or []:
            _check_kind(impl.plugin_name, kind, names)
            names.add(kind.name)
            found.append(kind)
    return found


def _check_kind(plugin_name: str, kind: NotificationKind, names: set[str]) -> None:
    if not kind.name.startswith(f"{plugin_name}."):
        raise PluginError(
            f"plugin {plugin_name!r}: its notification kind {kind.name!r} must be named "
            f"'{plugin_name}.<event>'"
        )
    if kind.name in names:
        raise PluginError(
            f"plugin {plugin_name!r} declares the notification kind {kind.name!r} twice; "
            "give each a unique name"
        )
