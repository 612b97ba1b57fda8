"""Admin pages of a budgets component: its budgets (here), their projects
(:mod:`brique_budgets.admin_projects`) and the imports of projects
(:mod:`brique_budgets.admin_imports`).

``admin_bp`` lets in only the people for whom ``can(user, "admin", component)`` holds.
Each change is one transaction with its action log entries: committed whole, or not at
all. A form with errors comes back with them next to the fields, in a 422.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from brique.plugin_api import (
    Scope,
    User,
    component_admin_blueprint,
    db,
    form_fields,
    load_form,
    settings_of,
)
from brique_budgets import admin_changes as changes
from brique_budgets import admin_queries as queries
from brique_budgets.admin_forms import budget_form
from brique_budgets.models import Budget

admin_bp = component_admin_blueprint("budgets", __name__)

GET_POST = ["GET", "POST"]
Page = str | tuple[str, int] | Response


def staff() -> User:
    return current_user._get_current_object()


def money(value: int) -> str:
    """An amount in the component's currency: "12 000 €"."""
    currency = settings_of(g.component)["currency"]
    return format_currency(value, currency, format="#,##0 ¤", currency_digits=False)


def render(template: str, **context: Any) -> str:
    return render_template(
        f"budgets/admin/{template}", component=g.component, space=g.space, money=money, **context
    )


def with_errors(page: str, errors: dict[str, list[str]]) -> Page:
    return (page, 422) if errors else page


def find_budget(budget_id: int) -> Budget:
    """The budget of the URL, in the current component."""
    budget = db.session.get(Budget, budget_id)
    if budget is None or budget.component_id != g.component.id:
        abort(404)
    return budget


def scope_names() -> dict[int, str]:
    return {scope.id: scope.name for scope in db.session.scalars(select(Scope))}


@admin_bp.route("/")
def index() -> Page:
    budgets = queries.budgets_of(g.component)
    return render(
        "index.html",
        budgets=budgets,
        figures=queries.figures_of([budget.id for budget in budgets]),
        scope_names=scope_names(),
    )


# --- A budget --------------------------------------------------------------------------------


@admin_bp.route("/budgets/new", methods=GET_POST)
def new_budget() -> Page:
    form = budget_form(g.space)
    if request.method == "GET":
        budgets = queries.budgets_of(g.component)
        position = max((budget.position for budget in budgets), default=-1) + 1
        return _budget_page(None, form, {"position": position}, {})
    data, errors, raw = load_form(form, request.form)
    if data is None:
        return _budget_page(None, form, raw, errors)
    budget = changes.add_budget(g.component, staff(), data)
    db.session.commit()
    flash(_("The budget “%(title)s” is created. Add its projects.", title=budget.title), "success")
    return redirect(url_for(".projects", budget_id=budget.id), code=303)


@admin_bp.route("/budgets/<int:budget_id>/edit", methods=GET_POST)
def edit_budget(budget_id: int) -> Page:
    budget, form = find_budget(budget_id), budget_form(g.space)
    if request.method == "GET":
        return _budget_page(budget, form, changes.values_of(budget, changes.BUDGET_FIELDS), {})
    data, errors, raw = load_form(form, request.form)
    if data is None:
        return _budget_page(budget, form, raw, errors)
    changes.edit_budget(budget, staff(), data)
    db.session.commit()
    flash(_("The budget “%(title)s” is saved.", title=budget.title), "success")
    return redirect(url_for(".index"), code=303)


def _budget_page(
    budget: Budget | None, form: Any, values: dict[str, Any], errors: dict[str, list[str]]
) -> Page:
    page = render(
        "budget_form.html",
        budget=budget,
        fields=form_fields(form, values, errors),
        errors=errors,
        ballots=queries.cast_ballots_in(budget.id) if budget else 0,
    )
    return with_errors(page, errors)


@admin_bp.route("/budgets/<int:budget_id>/delete", methods=GET_POST)
def delete_budget(budget_id: int) -> Page:
    """A page telling what the deletion takes away, then the deletion itself."""
    budget = find_budget(budget_id)
    if request.method == "GET":
        return render(
            "budget_delete.html",
            budget=budget,
            figures=queries.figures_of([budget.id])[budget.id],
            counted=queries.station_counts_in(budget.id),
        )
    title = budget.title
    try:
        changes.delete_budget(budget, staff())
    except changes.ChangeRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(".index"), code=303)
    db.session.commit()
    flash(_("The budget “%(title)s” is deleted.", title=title), "success")
    return redirect(url_for(".index"), code=303)


# Their routes join admin_bp.
from brique_budgets import admin_imports, admin_projects  # noqa: E402, F401
