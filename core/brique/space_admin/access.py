"""Who reaches the space administration, and the space and component a URL names.

Every URL under ``/admin/processes/<slug>/`` loads the space into ``g.space``
after ``can(user, "admin", space)``; ``.../components/<component_id>/`` also
loads ``g.component``, which must belong to that space.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from brique.db import db
from brique.models import Component, Space
from brique.permissions import can
from brique.space_admin.queries import space_by_slug


def remember_ids(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Take the space slug and component id out of the view arguments, to load them later."""
    if values:
        g.space_admin_ids = (values.pop("slug", None), values.pop("component_id", None))


def require_access() -> object | None:
    """Log-in first; then the admin entrance; then the space and component of the URL."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    decision = can(current_user, "enter_admin")
    if not decision:
        abort(403, description=decision.reason)
    slug, component_id = g.pop("space_admin_ids", (None, None))
    if slug is not None:
        g.space = administered_space(slug)
    if component_id is not None:
        g.component = component_of_space(g.space, component_id)
    return None


def administered_space(slug: str) -> Space:
    space = space_by_slug(slug)
    if space is None:
        abort(404)
    decision = can(current_user, "admin", space)
    if not decision:
        abort(403, description=decision.reason)
    return space


def component_of_space(space: Space, component_id: int) -> Component:
    component = db.session.get(Component, component_id)
    if component is None or component.space_id != space.id:
        abort(404)
    return component


def fill_ids(endpoint: str, values: dict[str, Any]) -> None:
    """``url_for`` inside a space's pages fills in its slug and the current component's id."""
    expects = current_app.url_map.is_endpoint_expecting
    space, component = g.get("space"), g.get("component")
    if space is not None and "slug" not in values and expects(endpoint, "slug"):
        values["slug"] = space.slug
    if component is not None and "component_id" not in values and expects(endpoint, "component_id"):
        values["component_id"] = component.id


def platform_only(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Views that need the platform permission ``action`` (e.g. ``create_space``)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            decision = can(current_user, action)
            if not decision:
                abort(403, description=decision.reason)
            return view(*args, **kwargs)

        return guarded

    return decorate
