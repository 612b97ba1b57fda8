"""Statistics pages: public figures of a process and of the platform, charts for admins."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user
from werkzeug.wrappers import Response

from brique.models import Space
from brique.permissions import can
from brique.spaces.queries import space_for_page, visible_spaces
from brique.statistics.figures import (
    Statistic,
    by_component,
    platform_statistics,
    public_statistics,
    space_statistics,
)
from brique.statistics.queries import participants_by_field, timeline


def format_figure(value: int | float) -> str:
    """A figure as the reader's language writes numbers ("1 204" in French)."""
    return format_decimal(value)


def space_summary(space: Space) -> list[Statistic]:
    """The whole-process figures of the process page's statistics block."""
    return [statistic for statistic in public_statistics(space) if statistic.component is None]


def space_page(slug: str) -> str:
    space = _viewable_space(slug)
    whole, components = by_component(public_statistics(space))
    return render_template("statistics/space.html", space=space, whole=whole, components=components)


def platform_page() -> str:
    return render_template(
        "statistics/platform.html",
        figures=platform_statistics(),
        spaces=visible_spaces(current_user),
    )


def admin_space_page(slug: str) -> Response | str:
    refusal = _admin_refusal()
    if refusal is not None:
        return refusal
    space = space_for_page(slug)
    if space is None:
        abort(404)
    decision = can(current_user, "admin", space)
    if not decision:
        abort(403, description=decision.reason)
    whole, components = by_component(space_statistics(space))
    return _admin_page("statistics/admin_space.html", space, whole=whole, components=components)


def admin_platform_page() -> Response | str:
    refusal = _admin_refusal()
    if refusal is not None:
        return refusal
    decision = can(current_user, "admin")
    if not decision:
        abort(403, description=decision.reason)
    return _admin_page("statistics/admin_platform.html", None, figures=platform_statistics())


def _admin_page(template: str, space: Space | None, **context: object) -> str:
    period = request.args.get("period", "auto")
    return render_template(
        template,
        space=space,
        timeline=timeline(space, period),
        profile_charts=participants_by_field(space),
        **context,
    )


def _admin_refusal() -> Response | None:
    """Anonymous visitors log in first, as everywhere in the administration."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    return None


def _viewable_space(slug: str) -> Space:
    space = space_for_page(slug)
    if space is None or not can(current_user, "view", space):
        abort(404)
    return space
