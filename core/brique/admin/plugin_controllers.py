"""Installed plugins, what they contribute, and how to switch them on or off."""

from __future__ import annotations

from flask import current_app, render_template

from brique.admin.controllers import platform_admin_required
from brique.plugins import API_VERSION


@platform_admin_required
def plugins() -> str:
    state = current_app.extensions["brique"]
    return render_template(
        "admin/plugins.html",
        plugins=sorted(state.plugins.values(), key=lambda info: info.name),
        component_types=sorted(state.component_types.values(), key=lambda ctype: ctype.name),
        handlers=sorted(state.authorization_handlers.values(), key=lambda handler: handler.name),
        configured=current_app.config.get("PLUGINS"),
        api_version=API_VERSION,
    )
