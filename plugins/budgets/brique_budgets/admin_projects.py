"""Admin pages of a budget's projects: the list and its filters, a project's form, its
deletion, and putting projects to the vote in bulk. Routes of ``admin_bp``."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from brique.plugin_api import db, form_fields, load_form
from brique_budgets import admin_changes as changes
from brique_budgets import admin_queries as queries
from brique_budgets.admin_forms import FEASIBILITY_LABELS, category_choices, project_form
from brique_budgets.admin_views import (
    GET_POST,
    Page,
    admin_bp,
    find_budget,
    render,
    scope_names,
    staff,
    with_errors,
)
from brique_budgets.models import Budget, Project
from brique_budgets.project_images import apply_picture, forget, read_picture

PROJECT_DEFAULTS = {"feasibility": "not_valued", "selected": False}


def find_project(budget: Budget, project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or project.budget_id != budget.id:
        abort(404)
    return project


@admin_bp.route("/budgets/<int:budget_id>/projects/")
def projects(budget_id: int) -> Page:
    budget = find_budget(budget_id)
    categories = category_choices(g.space)
    filters = queries.ProjectFilters.from_args(request.args, {key for key, _name in categories})
    page = db.paginate(
        queries.projects_query(budget, filters),
        page=request.args.get("page", 1, type=int),
        per_page=queries.PER_PAGE,
        error_out=False,
    )
    return render(
        "projects.html",
        budget=budget,
        page=page,
        filters=filters,
        figures=queries.figures_of([budget.id])[budget.id],
        categories=categories,
        category_names={category.id: category.name for category in g.space.categories},
        scope_names=scope_names(),
        feasibility_labels=FEASIBILITY_LABELS,
    )


# --- A project -------------------------------------------------------------------------------


@admin_bp.route("/budgets/<int:budget_id>/projects/new", methods=GET_POST)
def new_project(budget_id: int) -> Page:
    budget, form = find_budget(budget_id), project_form(g.space)
    if request.method == "GET":
        return _project_page(budget, None, form, PROJECT_DEFAULTS, {})
    data, errors, raw = load_form(form, request.form)
    stored, picture_errors = read_picture(request.form.get("image_alt", ""))
    if data is None or picture_errors:
        forget(stored)
        return _project_page(budget, None, form, raw, {**errors, **picture_errors})
    project = changes.add_project(budget, staff(), data)
    apply_picture(project, stored, request.form.get("image_alt", ""))
    db.session.commit()
    flash(_("The project “%(title)s” is added.", title=project.title), "success")
    return redirect(url_for(".projects", budget_id=budget.id), code=303)


@admin_bp.route("/budgets/<int:budget_id>/projects/<int:project_id>/edit", methods=GET_POST)
def edit_project(budget_id: int, project_id: int) -> Page:
    budget, form = find_budget(budget_id), project_form(g.space)
    project = find_project(budget, project_id)
    if request.method == "GET":
        values = changes.values_of(project, changes.PROJECT_FIELDS)
        return _project_page(budget, project, form, values, {})
    data, errors, raw = load_form(form, request.form)
    stored, picture_errors = read_picture(request.form.get("image_alt", ""))
    if data is None or picture_errors:
        forget(stored)
        return _project_page(budget, project, form, raw, {**errors, **picture_errors})
    changes.edit_project(project, staff(), data)
    unused = apply_picture(project, stored, request.form.get("image_alt", ""))
    db.session.commit()
    forget(unused)
    flash(_("The project “%(title)s” is saved.", title=project.title), "success")
    return redirect(url_for(".projects", budget_id=budget.id), code=303)


def _project_page(
    budget: Budget,
    project: Project | None,
    form: Any,
    values: dict[str, Any],
    errors: dict[str, list[str]],
) -> Page:
    page = render(
        "project_form.html",
        budget=budget,
        project=project,
        fields=form_fields(form, values, errors),
        errors=errors,
        ballots=queries.cast_ballots_holding(project.id) if project else 0,
    )
    return with_errors(page, errors)


@admin_bp.route("/budgets/<int:budget_id>/projects/<int:project_id>/delete", methods=GET_POST)
def delete_project(budget_id: int, project_id: int) -> Page:
    budget = find_budget(budget_id)
    project = find_project(budget, project_id)
    back = url_for(".projects", budget_id=budget.id)
    if request.method == "GET":
        return render(
            "project_delete.html",
            budget=budget,
            project=project,
            ballots=queries.cast_ballots_holding(project.id),
            counted=queries.station_counts_of(project.id),
        )
    title = project.title
    try:
        changes.delete_project(project, staff())
    except changes.ChangeRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(back, code=303)
    db.session.commit()
    flash(_("The project “%(title)s” is deleted.", title=title), "success")
    return redirect(back, code=303)


# --- Putting projects to the vote ------------------------------------------------------------


@admin_bp.route("/budgets/<int:budget_id>/projects/vote", methods=["POST"])
def put_to_vote(budget_id: int) -> Page:
    """Put the checked projects to the vote, take them out of it, or put every feasible one."""
    budget = find_budget(budget_id)
    action = request.form.get("action", "")
    back = url_for(".projects", budget_id=budget.id, **_filter_args())
    if action == "feasible":
        chosen = _projects_of(budget, feasibility="feasible")
    else:
        ids = request.form.getlist("project", type=int)
        if not ids or action not in ("select", "withdraw"):
            flash(_("Check the projects first."), "error")
            return redirect(back, code=303)
        chosen = _projects_of(budget, ids=ids)
    changed = changes.put_to_vote(chosen, staff(), selected=action != "withdraw")
    db.session.commit()
    _say_what_changed(action, changed, chosen)
    return redirect(back, code=303)


def _filter_args() -> dict[str, Any]:
    categories = {category.id for category in g.space.categories}
    return queries.ProjectFilters.from_args(request.form, categories).args()


def _projects_of(
    budget: Budget, ids: list[int] | None = None, feasibility: str | None = None
) -> list[Project]:
    statement = select(Project).where(Project.budget_id == budget.id)
    if ids is not None:
        statement = statement.where(Project.id.in_(ids))
    if feasibility is not None:
        statement = statement.where(Project.feasibility == feasibility)
    return list(db.session.scalars(statement.order_by(Project.id)))


def _say_what_changed(action: str, changed: list[Project], chosen: list[Project]) -> None:
    if action == "withdraw":
        message = ngettext(
            "%(num)d project is no longer put to the vote.",
            "%(num)d projects are no longer put to the vote.",
            len(changed),
        )
    else:
        message = ngettext(
            "%(num)d project is put to the vote.",
            "%(num)d projects are put to the vote.",
            len(changed),
        )
    flash(message, "success" if changed else "info")
    refused = [p for p in chosen if action != "withdraw" and p.feasibility == "not_feasible"]
    if refused:
        flash(
            ngettext(
                "%(num)d checked project is not feasible: it cannot be put to the vote.",
                "%(num)d checked projects are not feasible: they cannot be put to the vote.",
                len(refused),
            ),
            "error",
        )
