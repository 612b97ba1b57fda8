"""Staff's pages for paper voting: enter a paper ballot, record a polling station's counts."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from brique.plugin_api import db
from brique_budgets import paper
from brique_budgets.admin_views import admin_bp
from brique_budgets.ballots import BallotRefused, rules_of
from brique_budgets.models import Budget


def _budget(budget_id: int) -> Budget:
    budget = db.session.get(Budget, budget_id)
    if budget is None or budget.component_id != g.component.id:
        abort(404)
    return budget


def _paper_page(budget: Budget, refusals: list[str] | None = None, **values: Any) -> str:
    return render_template(
        "budgets/admin/paper.html",
        budget=budget,
        projects=paper.votable_projects(budget),
        rules=rules_of(g.component, budget),
        stations=paper.stations(budget),
        refusals=refusals or [],
        form=request.form if request.method == "POST" else {},
        component=g.component,
        space=g.space,
        **values,
    )


@admin_bp.route("/budgets/<int:budget_id>/paper", methods=["GET", "POST"])
def paper_ballot(budget_id: int) -> Any:
    budget = _budget(budget_id)
    if request.method == "GET":
        return _paper_page(budget)
    staff = current_user._get_current_object()
    try:
        choices = paper.parse_choices(request.form, paper.votable_projects(budget))
        cast = paper.enter_paper_ballot(
            g.component,
            budget,
            request.form.get("identifier", "")[:200],
            request.form.get("station", ""),
            choices,
            staff,
        )
    except BallotRefused as refused:
        db.session.rollback()
        return _paper_page(budget, refused.reasons), 422
    db.session.commit()
    flash(
        _("The paper ballot is recorded. Its receipt code: %(code)s", code=cast.receipt),
        "success",
    )
    return redirect(url_for("budgets_admin.paper_ballot", budget_id=budget.id, last=cast.receipt))


@admin_bp.route("/budgets/<int:budget_id>/stations", methods=["GET", "POST"])
def station_counts(budget_id: int) -> Any:
    budget = _budget(budget_id)
    station = request.values.get("station", "").strip()[:120]
    projects = paper.votable_projects(budget)
    if request.method == "POST":
        try:
            counts = {
                p.id: paper.whole_number(request.form.get(f"votes-{p.id}", "")) for p in projects
            }
            total = paper.record_station_counts(
                budget, station, counts, current_user._get_current_object()
            )
        except BallotRefused as refused:
            db.session.rollback()
            return _stations_page(budget, projects, station, refused.reasons), 422
        db.session.commit()
        flash(_("%(station)s: %(total)d votes recorded.", station=station, total=total), "success")
        return redirect(url_for("budgets_admin.station_counts", budget_id=budget.id))
    return _stations_page(budget, projects, station)


def _stations_page(budget: Budget, projects: list, station: str, refusals=None) -> str:
    return render_template(
        "budgets/admin/stations.html",
        budget=budget,
        projects=projects,
        station=station,
        counts=paper.station_counts(budget, station) if station else {},
        stations=paper.stations(budget),
        refusals=refusals or [],
        form=request.form if request.method == "POST" else {},
        component=g.component,
        space=g.space,
    )
