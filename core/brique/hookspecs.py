"""The hooks through which the core asks plugins for contributions.

pluggy calls every implementation and collects the results into a list,
unless a hook says ``firstresult``. Plugins implement hooks as methods of
their :class:`brique.plugin_api.Plugin` subclass, marked with
:data:`brique.plugin_api.hookimpl`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click
    from flask import Blueprint, Flask

    from brique.authorizations import AuthorizationHandler
    from brique.components import ComponentType
    from brique.demo import DemoContext
    from brique.jobs.registry import JobHandler, PeriodicJob
    from brique.models import Component, Space
    from brique.notifications.kinds import NotificationKind
    from brique.opendata.tables import OpenDataTable
    from brique.resources import ResourceType
    from brique.statistics.figures import Statistic

PROJECT = "brique"

hookspec = pluggy.HookspecMarker(PROJECT)


# --- Start-up -------------------------------------------------------------------------------


@hookspec
def register_component_types() -> list[ComponentType]:
    """Declare the component types this plugin provides.

    Called once per app, while :func:`brique.create_app` loads plugins. Each
    returned type's ``name`` must equal the plugin's name.

    :returns: a list of :class:`~brique.plugin_api.ComponentType`.

    .. versionadded:: 1.0
    """


@hookspec
def register_resource_types() -> list[ResourceType]:
    """Declare the kinds of resources this plugin holds (proposals, projects...).

    Called once per app at start-up. Other components reach these resources
    through :func:`brique.plugin_api.resource_type` without importing the plugin.

    :returns: a list of :class:`~brique.plugin_api.ResourceType`.

    .. versionadded:: 1.0
    """


@hookspec
def register_authorization_handlers() -> list[AuthorizationHandler]:
    """Declare ways a participant can prove something (residency, age, membership...).

    Called once per app at start-up. Admins require handlers per action in a
    component's permissions.

    :returns: a list of :class:`~brique.plugin_api.AuthorizationHandler`.

    .. versionadded:: 1.0
    """


@hookspec
def register_blueprints() -> list[Blueprint]:
    """Give Flask blueprints that are not a component's own public or admin blueprint.

    Called once per app at start-up, after the component types' blueprints
    are registered.

    :returns: a list of :class:`flask.Blueprint`.

    .. versionadded:: 1.0
    """


@hookspec
def register_cli_commands(cli: click.Group) -> None:
    """Add subcommands to the ``brique`` command, e.g. ``brique budgets import-pabulib``.

    Called when the ``brique`` command starts, before any app exists: commands
    reach the app when they run (``flask.cli.with_appcontext``), never while
    being added. Add one group named after the plugin (``@cli.group("<name>")``
    or ``cli.add_command(group)``).

    :param cli: the ``brique`` command group.

    .. versionadded:: 1.0
    """


@hookspec
def init_app(app: Flask) -> None:
    """Set up anything the plugin needs on a new app: signal receivers, config defaults.

    Called once per app at the end of :func:`brique.create_app`, after every
    blueprint is registered. Keep per-app state in ``app.extensions["<name>"]``,
    never in module globals. Connect signal receivers here: blinker keeps weak
    references, so connect module-level functions.

    :param app: the application being created.

    .. versionadded:: 1.0
    """


# --- Pages ----------------------------------------------------------------------------------


@hookspec
def template_slot(name: str, context: dict[str, Any]) -> str | None:
    """Fill a named slot of a core template with HTML.

    Called each time a page renders ``{{ slot("name") }}``; every non-``None``
    result is shown, in plugin order. Return :class:`markupsafe.Markup`
    (escape user text yourself, e.g. with ``render_template``).

    Slots of the core: ``head`` (inside ``<head>``), ``header_end`` (end of the
    site header), ``footer`` (site footer), ``home_after`` (end of the home page),
    ``space_after_metadata`` (a process page, after its metadata; context: ``space``),
    ``admin_dashboard`` (the administration dashboard of every staff member, after the
    moderation section; context: ``user``: e.g. the work waiting for a valuator).

    :param name: the slot's name.
    :param context: the template's context (``space``, ``component``... where present).
    :returns: HTML or ``None``.

    .. versionadded:: 1.0
    .. versionchanged:: 1.1
       The ``admin_dashboard`` slot.
    """


# --- Participation services (comments, moderation, notifications, search, open data,
# statistics): each service adds its hooks in its own section below. -------------------------

# --- Comments ---------------------------------------------------------------------------------

# --- Moderation and action log ----------------------------------------------------------------

# --- Follows and notifications ----------------------------------------------------------------


@hookspec
def register_job_handlers() -> dict[str, JobHandler]:
    """Give the handlers of this plugin's background jobs, by kind.

    Called once per app at start-up. A handler receives the payload given to
    :func:`~brique.plugin_api.enqueue` (a JSON mapping) and runs in a worker
    (``brique jobs work``), in an app context with a request to ``BASE_URL``
    (so ``url_for`` and templates work), with its own database session: it
    commits its work. Raising fails the attempt: the job is tried again later,
    with exponential backoff, up to ``JOBS_MAX_ATTEMPTS`` times, so make
    handlers safe to run twice.

    :returns: a mapping ``{kind: handler}``; each kind is named ``"<plugin>.<kind>"``.

    .. versionadded:: 1.1
    """


@hookspec
def register_periodic_jobs(app: Flask) -> list[PeriodicJob]:
    """Give this plugin's jobs that run on a schedule: every so long, or each day at a time.

    Called once per app at start-up. The workers (``brique jobs work``, or the
    development server's thread) enqueue each job when it falls due, once
    whatever the number of workers, then run it as any other job: in a worker,
    with its own database session, retried with backoff if it raises. A periodic
    job's kind is also a job kind: do not give it again in
    :func:`register_job_handlers`. The core schedules its own periodic work
    (daily digests, steps starting, cleaning the queue) with this hook too.

    :param app: the application being created: read your settings from
        ``app.config`` (a schedule an institution may change, say).
    :returns: a list of :class:`~brique.plugin_api.PeriodicJob`, each named
        ``"<plugin>.<name>"``.

    .. versionadded:: 1.1
    """


@hookspec
def register_notification_kinds() -> list[NotificationKind]:
    """Declare what this plugin's signals tell participants (an answer to a proposal...).

    Called once per app at start-up. Each
    :class:`~brique.plugin_api.NotificationKind` binds a signal to a function
    saying who is notified and of what; the core then shows the notifications
    in the site and e-mails them as each person chose (at once, in a daily
    digest, or never). One signal may have several kinds: a person gets one
    notification per signal sent, from the first kind naming them.

    :returns: a list of :class:`~brique.plugin_api.NotificationKind`, each named
        ``"<plugin>.<event>"``.

    .. versionadded:: 1.1
    """


# --- Search, open data and statistics ---------------------------------------------------------


@hookspec
def space_statistics(space: Space) -> list[Statistic] | None:
    """Give public figures of a process: supports given, votes cast, people drawn...

    Called each time a process's statistics are shown: the statistics block of its
    page, its statistics page, its open data (``statistics.json``) and its
    administration. Every non-``None`` result is shown, the core's own figures
    (participants, contributions, comments) first. A figure naming a ``component``
    is shown under that component, and left out of public pages while the
    component is unpublished. Count in SQL with a fixed number of queries: the
    process page must not slow down as participation grows. Return figures for the
    components of your own type only (``component.type == "<plugin>"``), each with a
    ``key`` starting with your plugin's name (``"proposals.supports"``).

    :param space: the process (:class:`~brique.plugin_api.Space`).
    :returns: a list of :class:`~brique.plugin_api.Statistic`, or ``None``.

    .. versionadded:: 1.1
    """


@hookspec
def platform_statistics() -> list[Statistic] | None:
    """Give public figures of the whole site: supports given in every process...

    Called when the platform's statistics page (``/statistics``) and its
    administration page are shown. Count only what the public may see: published,
    non-private processes and published components. Every non-``None`` result is
    shown after the core's figures (processes, participants, contributions,
    comments). Give each figure a ``key`` starting with your plugin's name.

    :returns: a list of :class:`~brique.plugin_api.Statistic` (without
        ``component``), or ``None``.

    .. versionadded:: 1.1
    """


@hookspec
def component_open_data(component: Component) -> list[OpenDataTable] | None:
    """Add tables to a component's open data, beyond its exportable resources.

    Called for each published component of a public process when its open data is
    downloaded (``/processes/<slug>/open-data.zip``, ``brique export``). Each
    table is written as ``<name>.csv`` and ``<name>.json`` in the component's
    folder of the archive, after one table per exportable resource type (named
    after the type). Return tables for components of your own type only. Never
    include who participated: columns such as ``author_id``, ``user_id``,
    ``email`` or ``nickname`` are dropped, but do not rely on that.

    :param component: a published component (:class:`~brique.plugin_api.Component`)
        of a public process.
    :returns: a list of :class:`~brique.plugin_api.OpenDataTable` (or
        ``(name, rows)`` pairs), or ``None``.

    .. versionadded:: 1.1
    """


# --- Demo -----------------------------------------------------------------------------------


@hookspec
def demo_content(demo: DemoContext) -> None:
    """Add this plugin's components and content to the demo process.

    Called by ``brique demo`` after the core has created the demo space, its
    steps and its users. Add components with ``demo.add_component(...)`` and
    create believable French content.

    :param demo: the space, its steps by key (``ideas``, ``analysis``, ``vote``,
        ``results``), the demo users and a seeded random generator.

    .. versionadded:: 1.0
    """
