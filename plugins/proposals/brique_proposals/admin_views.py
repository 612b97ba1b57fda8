"""Admin views of a proposals component: the list of proposals, publishing answers in bulk,
and the component's answer states.

``admin_bp`` is reachable by the process's administrators (``can(user, "admin",
component)``); other modules add their routes to it (``admin_proposal``, the transfer
pages). Valuators work in :mod:`brique_proposals.valuator_views`, on the same pages.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from brique.plugin_api import (
    Scope,
    User,
    component_admin_blueprint,
    db,
    form_fields,
    hidden_ids,
    load_form,
)
from brique_proposals import answer_states as states
from brique_proposals.admin_queries import (
    HELD,
    PER_PAGE,
    SORT_LABELS,
    STATUS_LABELS,
    Filters,
    list_query,
    state_counts,
)
from brique_proposals.answers import announce, publish_answers
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import AnswerState
from brique_proposals.official import ORIGIN_LABELS
from brique_proposals.valuation import valuators_by_proposal, valuators_of

admin_bp = component_admin_blueprint("proposals", __name__)

ADMIN, VALUATION = "proposals_admin", "proposals_valuation"


@admin_bp.route("/")
def index() -> str:
    return list_page(ADMIN)


def list_page(blueprint: str, valuator: User | None = None) -> str:
    """The list of proposals: every one for admins, those assigned to ``valuator``."""
    component = g.component
    choices = states.answer_states(component)
    filters = Filters.from_args(request.args, {choice.key for choice in choices})
    page = db.paginate(
        list_query(component, filters, valuator),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    ids = [proposal.id for proposal in page.items]
    categories = list(g.space.categories)
    scopes = db.session.scalars(select(Scope).order_by(Scope.name)).all()
    return render_template(
        "proposals/admin/index.html",
        blueprint=blueprint,
        component=component,
        space=g.space,
        page=page,
        filters=filters,
        counts=state_counts(component, valuator),
        states=choices,
        state_of={choice.key: choice for choice in choices},
        held=HELD,
        categories=categories,
        category_names={category.id: category.name for category in categories},
        scopes=scopes,
        scope_names={scope.id: scope.name for scope in scopes},
        valuators=valuators_of(g.space) if valuator is None else [],
        assigned=valuators_by_proposal(ids),
        hidden=hidden_ids(RESOURCE_TYPE, ids),
        origin_labels=ORIGIN_LABELS,
        sort_labels=SORT_LABELS,
        status_labels=STATUS_LABELS,
    )


@admin_bp.route("/answers/publish", methods=["POST"])
def publish_selected() -> Any:
    """Publish the held answers of the proposals selected in the list."""
    filters = Filters.from_args(request.form, {c.key for c in states.answer_states(g.component)})
    back = url_for(".index", **filters.args())
    ids = request.form.getlist("proposal", type=int)
    if not ids:
        flash(_("Select the proposals whose answers to publish."), "error")
        return redirect(back, code=303)
    published = publish_answers(g.component, ids, current_user)
    db.session.commit()
    announce(published, current_user)
    if published:
        message = ngettext(
            "%(num)d answer published.", "%(num)d answers published.", len(published)
        )
        flash(message, "success")
    skipped = len(set(ids)) - len(published)
    if skipped:
        flash(
            ngettext(
                "%(num)d selected proposal had no held answer to publish.",
                "%(num)d selected proposals had no held answer to publish.",
                skipped,
            ),
            "info",
        )
    return redirect(back, code=303)


# --- Answer states ---------------------------------------------------------------------------


@admin_bp.route("/answer-states/", methods=["GET", "POST"])
def answer_states() -> Any:
    """The component's states, and a form to add one."""
    if request.method == "GET":
        return _states_page({}, {})
    data, errors, raw = load_form(states.AnswerStateSchema, request.form)
    if data is None:
        return _states_page(raw, errors), 422
    state = states.add_state(g.component, current_user, data["label"], data["colour"])
    db.session.commit()
    flash(_("The state “%(label)s” is added.", label=state.label), "success")
    return redirect(url_for(".answer_states"), code=303)


def _states_page(values: dict[str, Any], errors: dict[str, list[str]]) -> str:
    return render_template(
        "proposals/admin/answer_states.html",
        component=g.component,
        space=g.space,
        states=states.answer_states(g.component),
        usage=states.usage_counts(g.component),
        fields=form_fields(states.AnswerStateSchema, values, errors),
        errors=errors,
    )


def _state(state_id: int) -> AnswerState:
    state = db.session.get(AnswerState, state_id)
    if state is None or state.component_id != g.component.id:
        abort(404)
    return state


@admin_bp.route("/answer-states/<int:state_id>/edit", methods=["GET", "POST"])
def edit_answer_state(state_id: int) -> Any:
    state = _state(state_id)
    values: dict[str, Any] = {"label": state.label, "colour": state.colour}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors, values = load_form(states.AnswerStateSchema, request.form)
        if data is not None:
            states.update_state(state, current_user, data["label"], data["colour"])
            db.session.commit()
            flash(_("The state “%(label)s” is saved.", label=state.label), "success")
            return redirect(url_for(".answer_states"), code=303)
    body = render_template(
        "proposals/admin/answer_state_edit.html",
        component=g.component,
        space=g.space,
        state=state,
        fields=form_fields(states.AnswerStateSchema, values, errors),
        errors=errors,
    )
    return (body, 422) if errors else body


@admin_bp.route("/answer-states/<int:state_id>/move", methods=["POST"])
def move_answer_state(state_id: int) -> Any:
    offset = -1 if request.form.get("direction") == "up" else 1
    if states.move_state(_state(state_id), current_user, offset):
        db.session.commit()
    return redirect(url_for(".answer_states"), code=303)


@admin_bp.route("/answer-states/<int:state_id>/delete", methods=["POST"])
def delete_answer_state(state_id: int) -> Any:
    state = _state(state_id)
    label = state.label
    try:
        states.delete_state(state, current_user)
    except states.StateInUse:
        db.session.rollback()
        flash(
            _("Proposals have the state “%(label)s”: answer them otherwise first.", label=label),
            "error",
        )
        return redirect(url_for(".answer_states"), code=303)
    db.session.commit()
    flash(_("The state “%(label)s” is deleted.", label=label), "success")
    return redirect(url_for(".answer_states"), code=303)


from brique_proposals import admin_proposal  # noqa: E402, F401  (its routes join admin_bp)
