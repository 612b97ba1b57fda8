"""Public pages of a budgets component: the budgets, a budget's projects with the voter's
cart, a project's page, casting and the receipt. Every form works without JavaScript."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from brique.plugin_api import (
    Category,
    Scope,
    active_step,
    can,
    component_blueprint,
    db,
    linked,
    settings_of,
    step_settings_of,
)
from brique_budgets import ballots, explanations
from brique_budgets.analytics import SMALLEST_SHOWN, shown
from brique_budgets.ballot_rules import problems, remaining
from brique_budgets.models import Ballot, BallotItem, Budget, Project
from brique_budgets.project_filters import ORDERS, ProjectFilters
from brique_budgets.project_filters import choices as filter_choices
from brique_budgets.results import published_ballots, results_chart

bp = component_blueprint("budgets", __name__)


def budgets_of_component() -> list[Budget]:
    return list(
        db.session.scalars(
            select(Budget)
            .where(Budget.component_id == g.component.id)
            .order_by(Budget.position, Budget.id)
        )
    )


def _budget(budget_id: int) -> Budget:
    budget = db.session.get(Budget, budget_id)
    if budget is None or budget.component_id != g.component.id:
        abort(404)
    return budget


def _step() -> dict[str, Any]:
    return step_settings_of(g.component, active_step(g.space))


@bp.route("/")
def index() -> Any:
    budgets = budgets_of_component()
    if len(budgets) == 1:
        return redirect(url_for("budgets.budget", budget_id=budgets[0].id))
    cast = set()
    if current_user.is_authenticated and budgets:
        cast = set(
            db.session.scalars(
                select(Ballot.budget_id).where(
                    Ballot.user_id == current_user.id,
                    Ballot.component_id == g.component.id,
                    Ballot.cast_at.is_not(None),
                )
            )
        )
    return render_template(
        "budgets/index.html",
        budgets=budgets,
        cast=cast,
        step=_step(),
        settings=settings_of(g.component),
        component=g.component,
        space=g.space,
    )


@bp.route("/<int:budget_id>/")
def budget(budget_id: int) -> str:
    return _budget_page(_budget(budget_id))


def _budget_page(budget: Budget, refusals: list[str] | None = None, status: int = 200) -> Any:
    step = _step()
    filters = ProjectFilters.from_args(request.args)
    shown = step["projects_shown"]
    projects = list(db.session.scalars(filters.statement(budget))) if shown else []
    user = current_user._get_current_object() if current_user.is_authenticated else None
    ballot = ballots.ballot_of(user, budget) if user else None
    lines = ballots.lines_of(ballot)
    rules = ballots.rules_of(g.component, budget)
    page = render_template(
        "budgets/budget.html",
        budget=budget,
        projects=projects,
        filters=filters,
        choices=filter_choices(budget) if shown else {},
        orders=ORDERS,
        ballot=ballot,
        lines=lines,
        in_cart={line.project_id: line for line in lines},
        rules=rules,
        remaining=remaining(rules, lines),
        spent=sum(line.cost for line in lines),
        problems=problems(rules, lines) if lines else [],
        refusals=refusals or [],
        vote_counts=vote_counts(budget) if step["vote_counts_shown"] else {},
        vote_decision=can(current_user, "vote", budget),
        step=step,
        settings=settings_of(g.component),
        component=g.component,
        space=g.space,
    )
    return page, status


def vote_counts(budget: Budget) -> dict[int, int]:
    """Cast ballots holding each project (online and paper), in one query."""
    rows = db.session.execute(
        select(BallotItem.project_id, func.count())
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.budget_id == budget.id, Ballot.cast_at.is_not(None))
        .group_by(BallotItem.project_id)
    )
    return dict(rows.all())


@bp.route("/<int:budget_id>/projects/<int:project_id>")
def project(budget_id: int, project_id: int) -> str:
    budget = _budget(budget_id)
    found = db.session.get(Project, project_id)
    if found is None or found.budget_id != budget.id or not found.selected:
        abort(404)
    return render_template(
        "budgets/project.html",
        budget=budget,
        project=found,
        links=linked(("budgets.project", found.id), public_only=True),
        category=db.session.get(Category, found.category_id) if found.category_id else None,
        scope=db.session.get(Scope, found.scope_id) if found.scope_id else None,
        rules=ballots.rules_of(g.component, budget),
        component=g.component,
        space=g.space,
    )


# --- The cart and the ballot -------------------------------------------------------------------


def _voter_for(budget: Budget) -> Any:
    decision = can(current_user, "vote", budget)
    if not decision:
        if not current_user.is_authenticated:
            return redirect(
                url_for("auth.login", next=url_for("budgets.budget", budget_id=budget.id))
            )
        abort(403, description=decision.reason)
    return current_user._get_current_object()


def _change(budget_id: int, change: Any) -> Any:
    budget = _budget(budget_id)
    voter = _voter_for(budget)
    if not hasattr(voter, "id"):
        return voter
    try:
        change(voter, budget)
    except ballots.BallotRefused as refused:
        db.session.rollback()
        return _budget_page(budget, refused.reasons, 422)
    db.session.commit()
    return redirect(url_for("budgets.budget", budget_id=budget.id) + "#ballot")


def _points() -> int:
    return request.form.get("points", 1, type=int) or 0


@bp.route("/<int:budget_id>/ballot/add", methods=["POST"])
def add(budget_id: int) -> Any:
    project_id = request.form.get("project_id", 0, type=int)
    return _change(
        budget_id, lambda voter, budget: ballots.add(voter, budget, project_id, _points())
    )


@bp.route("/<int:budget_id>/ballot/remove", methods=["POST"])
def remove(budget_id: int) -> Any:
    project_id = request.form.get("project_id", 0, type=int)
    return _change(budget_id, lambda voter, budget: ballots.remove(voter, budget, project_id))


@bp.route("/<int:budget_id>/ballot/move", methods=["POST"])
def move(budget_id: int) -> Any:
    project_id = request.form.get("project_id", 0, type=int)
    offset = -1 if request.form.get("direction") == "up" else 1
    return _change(budget_id, lambda voter, budget: ballots.move(voter, budget, project_id, offset))


@bp.route("/<int:budget_id>/ballot/cast", methods=["POST"])
def cast(budget_id: int) -> Any:
    budget = _budget(budget_id)
    voter = _voter_for(budget)
    if not hasattr(voter, "id"):
        return voter
    try:
        done = ballots.checkout(voter, budget)
    except ballots.AlreadyCast as refused:
        # A second click or another tab: show the ballot as it was cast.
        target = url_for("budgets.budget", budget_id=budget.id) + "#ballot"
        db.session.rollback()
        flash(refused.reasons[0], "info")
        return redirect(target, 303)
    except ballots.BallotRefused as refused:
        db.session.rollback()
        return _budget_page(budget, refused.reasons, 422)
    target = url_for("budgets.receipt", budget_id=budget.id, ballot_id=done.ballot.id)
    db.session.commit()
    flash(_("Your vote is recorded. Keep your receipt to check it was counted."), "success")
    return redirect(target)


@bp.route("/<int:budget_id>/ballot/cancel", methods=["POST"])
def cancel(budget_id: int) -> Any:
    budget = _budget(budget_id)
    voter = _voter_for(budget)
    if not hasattr(voter, "id"):
        return voter
    if settings_of(g.component)["ballots_final"]:
        abort(403, description=_("A cast ballot is final in this vote."))
    try:
        ballots.cancel(voter, budget)
    except ballots.BallotRefused as refused:
        db.session.rollback()
        return _budget_page(budget, refused.reasons, 422)
    db.session.commit()
    flash(
        _("Your ballot is cancelled: change it and cast it again before the vote closes."),
        "success",
    )
    return redirect(url_for("budgets.budget", budget_id=budget.id) + "#ballot")


@bp.route("/<int:budget_id>/receipt/<int:ballot_id>")
def receipt(budget_id: int, ballot_id: int) -> str:
    budget = _budget(budget_id)
    ballot = db.session.get(Ballot, ballot_id)
    if (
        ballot is None
        or ballot.budget_id != budget.id
        or not current_user.is_authenticated
        or ballot.user_id != current_user.id
        or ballot.cast_at is None
    ):
        abort(404)
    return render_template(
        "budgets/receipt.html",
        budget=budget,
        ballot=ballot,
        lines=ballots.lines_of(ballot),
        rules=ballots.rules_of(g.component, budget),
        component=g.component,
        space=g.space,
    )


@bp.route("/check-receipt", methods=["GET", "POST"])
def check_receipt() -> str:
    """Anyone checks that the ballot of a receipt code is among the cast ballots."""
    code = request.values.get("code", "").strip()[:40]
    found = None
    if code:
        found = db.session.scalar(
            select(Ballot).where(
                Ballot.receipt_hash == ballots.receipt_hash(code),
                Ballot.component_id == g.component.id,
                Ballot.cast_at.is_not(None),
            )
        )
    return render_template(
        "budgets/check_receipt.html",
        code=code,
        found=found,
        digest=ballots.receipt_hash(code) if code else "",
        component=g.component,
        space=g.space,
    )


# --- Results and open ballots -----------------------------------------------------------------


def _published(budget_id: int) -> Budget:
    """The budget, if its results are published (or the reader administers the component)."""
    budget = _budget(budget_id)
    if budget.result is None:
        abort(404)
    if budget.results_published_at is None and not can(current_user, "admin", g.component):
        abort(404)
    return budget


@bp.route("/<int:budget_id>/results")
def results(budget_id: int) -> str:
    budget = _published(budget_id)
    return render_template(
        "budgets/results.html",
        budget=budget,
        result=budget.result,
        chart_svg=results_chart(budget, budget.result),
        rules=ballots.rules_of(g.component, budget),
        settings=settings_of(g.component),
        explanations=explanations,
        component=g.component,
        space=g.space,
    )


@bp.route("/<int:budget_id>/ballots.csv")
def ballots_data(budget_id: int) -> Response:
    """The anonymised ballots, one line per ballot: ``receipt_sha256;origin;votes`` where
    votes are ``project_id`` or ``project_id:points``, in the ballot's order."""
    budget = _published(budget_id)
    lines = ["receipt_sha256;origin;votes"]
    for entry in published_ballots(budget):
        votes = ",".join(
            str(pid) if points == 1 else f"{pid}:{points}" for pid, points in entry["votes"]
        )
        lines.append(f"{entry['receipt_hash']};{entry['origin']};{votes}")
    response = Response("\n".join(lines) + "\n", mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=ballots-{budget.id}.csv"
    return response


@bp.route("/<int:budget_id>/analytics")
def analytics(budget_id: int) -> str:
    """Votes per project by profile field: for staff, and for everyone when the setting
    says so once the results are published (small counts hidden from the public)."""
    budget = _published(budget_id)
    staff = bool(can(current_user, "admin", g.component))
    if not staff and not settings_of(g.component)["analytics_public"]:
        abort(404)
    return render_template(
        "budgets/analytics.html",
        budget=budget,
        result=budget.result,
        public=not staff,
        shown=shown,
        smallest=SMALLEST_SHOWN,
        component=g.component,
        space=g.space,
    )
