"""The administration's side menu, shared by the platform and per-space admin pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from brique.permissions import can


@dataclass(frozen=True)
class MenuEntry:
    """One link of the side menu, shown when ``can(user, action)`` and the endpoint exists."""

    key: str
    endpoint: str
    label: Any
    action: str
    #: Endpoints of the pages under this entry; ``"name."`` stands for a whole blueprint.
    pages: tuple[str, ...] = ()

    def holds(self, endpoint: str) -> bool:
        return any(
            endpoint.startswith(page) if page.endswith(".") else endpoint == page
            for page in self.pages
        )


def _crud(name: str, plural: str) -> tuple[str, ...]:
    return (f"admin.{plural}", f"admin.new_{name}", f"admin.edit_{name}", f"admin.delete_{name}")


MENU = (
    MenuEntry("dashboard", "admin.dashboard", _l("Dashboard"), "enter_admin", ("admin.dashboard",)),
    MenuEntry(
        "processes",
        "space_admin.index",
        _l("Processes"),
        "enter_admin",
        # A process's own tabs, whichever service serves them.
        ("space_admin.", "moderation_admin.queue", "actionlog.space_log", "statistics.admin_space"),
    ),
    MenuEntry(
        "newsletters", "newsletters.index", _l("Newsletters"), "enter_admin", ("newsletters.",)
    ),
    MenuEntry(
        "users",
        "admin.users",
        _l("Users"),
        "admin",
        ("admin.users", "admin.user", "admin.grant_admin", "admin.revoke_admin"),
    ),
    MenuEntry("scopes", "admin.scopes", _l("Scopes"), "admin", _crud("scope", "scopes")),
    MenuEntry(
        "profile_fields",
        "admin.profile_fields",
        _l("Profile fields"),
        "admin",
        _crud("profile_field", "profile_fields"),
    ),
    MenuEntry(
        "census", "admin.census", _l("Census"), "admin", ("admin.census", "admin.delete_census")
    ),
    MenuEntry("branding", "admin.branding", _l("Branding"), "admin", ("admin.branding",)),
    MenuEntry(
        "moderation",
        "moderation_admin.platform",
        _l("Moderation"),
        "admin",
        ("moderation_admin.platform", "moderation_admin.block_user"),
    ),
    MenuEntry(
        "log", "actionlog.platform_log", _l("Action log"), "admin", ("actionlog.platform_log",)
    ),
    MenuEntry(
        "statistics",
        "statistics.admin_platform",
        _l("Statistics"),
        "admin",
        ("statistics.admin_platform",),
    ),
    MenuEntry("plugins", "admin.plugins", _l("Plugins"), "admin", ("admin.plugins",)),
)


@dataclass(frozen=True)
class MenuLink:
    """A menu entry ready for the template."""

    key: str
    url: str
    label: str
    current: bool


def endpoint_exists(endpoint: str) -> bool:
    """Whether a view is registered under ``endpoint`` (e.g. an optional blueprint's)."""
    return endpoint in current_app.view_functions


def admin_menu(active: str | None = None) -> list[MenuLink]:
    """The links the current user may follow; ``active`` (an entry key) marks the current one.

    Without ``active``, the current entry is found from the request's endpoint.
    """
    links = []
    for entry in MENU:
        if not endpoint_exists(entry.endpoint) or not can(current_user, entry.action):
            continue
        links.append(
            MenuLink(
                entry.key, url_for(entry.endpoint), str(entry.label), _is_current(entry, active)
            )
        )
    return links


def _is_current(entry: MenuEntry, active: str | None) -> bool:
    if active is not None:
        return entry.key == active
    if entry.key == "processes" and _component_admin_page():
        return True
    return entry.holds(request.endpoint or "")


def _component_admin_page() -> bool:
    """Component admin blueprints are named ``<type>_admin``: they belong to a process."""
    blueprint = request.blueprint or ""
    types = current_app.extensions["brique"].component_types
    return blueprint.endswith("_admin") and blueprint.removesuffix("_admin") in types
