"""Staff's results pages: compute the result by the announced rule, force a project in or
take one out (with a reason that is logged and shown), publish."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from brique.plugin_api import db, log_action, now, settings_of, signals
from brique_budgets import explanations
from brique_budgets.admin_views import admin_bp
from brique_budgets.ballots import rules_of
from brique_budgets.models import Budget, Project
from brique_budgets.result_jobs import computing, request_result
from brique_budgets.results import results_chart

DECISIONS = ("none", "force", "exclude")


def _budget(budget_id: int) -> Budget:
    budget = db.session.get(Budget, budget_id)
    if budget is None or budget.component_id != g.component.id:
        abort(404)
    return budget


def _staff() -> Any:
    return current_user._get_current_object()


def _back(budget: Budget) -> Any:
    return redirect(url_for("budgets_admin.results", budget_id=budget.id))


@admin_bp.route("/budgets/<int:budget_id>/results")
def results(budget_id: int) -> str:
    budget = _budget(budget_id)
    return render_template(
        "budgets/admin/results.html",
        budget=budget,
        result=budget.result,
        chart_svg=results_chart(budget, budget.result) if budget.result else "",
        rules=rules_of(g.component, budget),
        settings=settings_of(g.component),
        explanations=explanations,
        projects={p.id: p for p in budget.projects},
        computing=computing(budget),
        refresh_seconds=_refresh_seconds(budget),
        errors={},
        component=g.component,
        space=g.space,
    )


def _refresh_seconds(budget: Budget) -> int:
    """How soon the page looks again while the result is computed: most counts take a
    moment, so soon at first, then every few seconds."""
    if budget.result_requested_at is None:
        return 0
    return 1 if (now() - budget.result_requested_at).total_seconds() < 10 else 3


@admin_bp.route("/budgets/<int:budget_id>/results/compute", methods=["POST"])
def compute(budget_id: int) -> Any:
    budget = _budget(budget_id)
    request_result(budget, _staff())
    db.session.commit()
    flash(_("The result is being computed. This page shows it when it is ready."), "info")
    return _back(budget)


@admin_bp.route("/budgets/<int:budget_id>/results/publish", methods=["POST"])
def publish(budget_id: int) -> Any:
    budget = _budget(budget_id)
    if budget.result is None:
        flash(_("Compute the result first."), "error")
        return _back(budget)
    if computing(budget):
        flash(_("Wait for the result being computed, check it, then publish it."), "error")
        return _back(budget)
    budget.results_published_at = now()
    log_action(_staff(), "budgets.publish_results", budget, after={"published": True})
    db.session.commit()
    signals.results_published.send(
        g.component,
        url=url_for("budgets.results", budget_id=budget.id, _external=True),
        title=budget.title,
        user=_staff(),
    )
    flash(_("The results are published."), "success")
    return _back(budget)


@admin_bp.route("/budgets/<int:budget_id>/projects/<int:project_id>/decision", methods=["POST"])
def decide(budget_id: int, project_id: int) -> Any:
    """Force a project into the result, take it out, or leave it to the rule; the result
    is computed again."""
    budget = _budget(budget_id)
    project = db.session.get(Project, project_id)
    if project is None or project.budget_id != budget.id:
        abort(404)
    decision = request.form.get("decision", "none")
    reason = request.form.get("reason", "").strip()[:2000]
    if decision not in DECISIONS:
        abort(400)
    if decision != "none" and not reason:
        flash(_("Say why: the reason is shown with the results."), "error")
        return _back(budget)
    before = _decision_of(project)
    project.forced_winner, project.excluded = decision == "force", decision == "exclude"
    project.decision_reason = reason if decision != "none" else ""
    after = _decision_of(project)
    log_action(_staff(), "budgets.decide_project", project, before=before, after=after)
    request_result(budget, _staff())
    db.session.commit()
    flash(_("The decision is recorded; the result is being computed again."), "success")
    return _back(budget)


def _decision_of(project: Project) -> dict[str, Any]:
    return {
        "forced_winner": project.forced_winner,
        "excluded": project.excluded,
        "reason": project.decision_reason,
    }
