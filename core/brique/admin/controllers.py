"""Who may enter the administration, and its dashboard."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from brique.admin import queries
from brique.permissions import can


def require_staff() -> object | None:
    """Before every admin page: anonymous people log in, participants get a 403."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    decision = can(current_user, "enter_admin")
    if not decision:
        abort(403, description=decision.reason)
    return None


def platform_admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only platform administrators (``can(user, "admin")``) reach ``view``."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        decision = can(current_user, "admin")
        if not decision:
            abort(403, description=decision.reason)
        return view(*args, **kwargs)

    return guarded


def dashboard() -> str:
    platform_admin = bool(can(current_user, "admin"))
    return render_template(
        "admin/dashboard.html",
        counts=queries.site_counts(),
        spaces=queries.managed_spaces(current_user),
        queues=queries.moderated_spaces(current_user),
        signups=queries.recent_signups() if platform_admin else [],
        platform_admin=platform_admin,
        more_spaces_limit=queries.DASHBOARD_SPACES,
    )
