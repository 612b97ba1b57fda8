"""The component's own rules for ``can()``: who may vote in which budget."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from brique.plugin_api import (
    Component,
    Decision,
    Scope,
    User,
    authorization_of,
    db,
    refuse,
    settings_of,
)
from brique_budgets.models import Budget


def check_action(
    user: User | None, action: str, component: Component, target: Any
) -> Decision | None:
    """Refuse a vote in a budget the workflow does not give the participant."""
    if user is None or action != "vote" or not isinstance(target, Budget):
        return None
    if settings_of(component)["workflow"] == "district":
        return _district_refusal(user, target)
    return None


def voter_district(user: User) -> str | None:
    """The district of the participant's residency verification, if they have one."""
    verified = authorization_of(user, "residency")
    if verified is None:
        return None
    return (verified.data or {}).get("district") or None


def _district_refusal(user: User, budget: Budget) -> Decision | None:
    if budget.scope_id is None:
        return None
    district = voter_district(user)
    if district is None:
        return refuse(
            _("Verify your residency first: each district votes on its own budget."), "verify"
        )
    scope_name = budget_scope_name(budget)
    if scope_name and district.casefold() != scope_name.casefold():
        return refuse(
            _("This budget is for residents of %(district)s.", district=scope_name), "forbidden"
        )
    return None


def budget_scope_name(budget: Budget) -> str:
    scope = db.session.get(Scope, budget.scope_id) if budget.scope_id else None
    return scope.name if scope else ""
