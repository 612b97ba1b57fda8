"""Valuators' pages: the proposals assigned to them, each with its answer and private notes.

Mounted at ``/admin/components/<id>/valuation/`` for the people for whom
``can(user, "valuate", space)`` holds (the space's valuators, and its administrators);
each sees only the proposals assigned to them. Registered with ``register_blueprints``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user

from brique.plugin_api import Component, can, db
from brique_proposals.admin_proposal import answer_view, find_proposal, note_view, proposal_page
from brique_proposals.admin_views import VALUATION, list_page
from brique_proposals.valuation import is_assigned

valuation_bp = Blueprint(
    VALUATION, __name__, url_prefix="/admin/components/<int:component_id>/valuation"
)


@valuation_bp.before_request
def _log_in_first() -> Any:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


@valuation_bp.url_value_preprocessor
def _load_component(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values is None:
        return
    component = db.session.get(Component, values.pop("component_id"))
    if component is None or component.type != "proposals":
        abort(404)
    if current_user.is_authenticated:
        decision = can(current_user, "valuate", component.space)
        if not decision:
            abort(403, description=decision.reason)
    g.component, g.space = component, component.space


@valuation_bp.url_defaults
def _fill_component_id(endpoint: str, values: dict[str, Any]) -> None:
    component = g.get("component")
    if component is not None:
        values.setdefault("component_id", component.id)


def _assigned(proposal_id: int) -> Any:
    proposal = find_proposal(proposal_id)
    if not is_assigned(current_user, proposal):
        abort(404)
    return proposal


@valuation_bp.route("/")
def index() -> str:
    return list_page(VALUATION, valuator=current_user._get_current_object())


@valuation_bp.route("/proposals/<int:proposal_id>")
def show(proposal_id: int) -> Any:
    return proposal_page(_assigned(proposal_id), VALUATION)


@valuation_bp.route("/proposals/<int:proposal_id>/answer", methods=["POST"])
def answer(proposal_id: int) -> Any:
    return answer_view(_assigned(proposal_id), VALUATION)


@valuation_bp.route("/proposals/<int:proposal_id>/notes", methods=["POST"])
def add_note(proposal_id: int) -> Any:
    return note_view(_assigned(proposal_id), VALUATION)
