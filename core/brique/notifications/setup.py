"""Setting up follows, notifications, newsletters and the job queue on a new app."""

from __future__ import annotations

from datetime import time, timedelta

from flask import Flask

from brique import signals
from brique.jobs.inline import start_inline_worker
from brique.jobs.registry import JobHandler, PeriodicJob, init_jobs
from brique.notifications.kinds import NotificationKind
from brique.plugins import PluginError


def init_notifications(app: Flask) -> None:
    """Register the blueprints, the jobs and the kinds given by hook (the core's
    included), the receivers; start the inline worker under ``brique run``."""
    from brique.follows.blueprint import bp as follows
    from brique.follows.receivers import connect_follow_receivers
    from brique.newsletters.blueprint import bp as newsletters
    from brique.notifications.blueprint import bp as notifications
    from brique.notifications.dispatch import connect_kinds
    from brique.notifications.steps import remember_pinned_step

    for blueprint in (follows, notifications, newsletters):
        app.register_blueprint(blueprint)
    init_jobs(app)
    registry = app.extensions["brique"].notifications
    for kind in kinds_of(app):
        registry.kinds[kind.name] = kind
    connect_kinds(registry)
    connect_follow_receivers()
    signals.step_activated.connect(remember_pinned_step)
    start_inline_worker(app)


def core_job_handlers() -> dict[str, JobHandler]:
    """The core's jobs, given by its ``register_job_handlers`` hook."""
    from brique.newsletters.delivery import deliver_newsletter
    from brique.notifications.dispatch import fan_out
    from brique.notifications.emails import send_digest, send_notification_email

    return {
        "notifications.fan-out": fan_out,
        "notifications.email": send_notification_email,
        "notifications.digest": send_digest,
        "newsletters.deliver": deliver_newsletter,
    }


def core_periodic_jobs(app: Flask) -> list[PeriodicJob]:
    """The core's periodic jobs, given by its ``register_periodic_jobs`` hook."""
    from brique.jobs.queue import delete_finished
    from brique.notifications.emails import enqueue_digests
    from brique.notifications.steps import CHECK_EVERY, announce_steps

    digest_time = time(app.config["NOTIFICATIONS_DIGEST_HOUR"])
    # Steps first: a step starting at the digest's hour makes it into that digest.
    return [
        PeriodicJob("timeline.announce-steps", announce_steps, every=CHECK_EVERY),
        PeriodicJob("notifications.digests", enqueue_digests, daily_at=digest_time),
        PeriodicJob("jobs.cleanup", delete_finished, every=timedelta(days=1)),
    ]


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
