"""One proposal as staff see it: its answer, valuators and private notes; and recording a
proposal (official, or made offline).

The page and its forms serve admins (``proposals_admin``) and the valuators assigned to
the proposal (``proposals_valuation``); assigning valuators and publishing a held answer
are for admins only.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import (
    User,
    can,
    db,
    form_fields,
    is_hidden,
    load_form,
)
from brique_proposals import answers, official, valuation
from brique_proposals.admin_views import ADMIN, admin_bp
from brique_proposals.answer_states import state_choice
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal

NOTE_LENGTH = 5000


def find_proposal(proposal_id: int) -> Proposal:
    """The proposal of the URL, in the current component; drafts are their authors' own."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.component_id != g.component.id or proposal.status == "draft":
        abort(404)
    return proposal


def proposal_page(
    proposal: Proposal,
    blueprint: str,
    answer_form: tuple[dict[str, Any], dict[str, list[str]]] | None = None,
    note_errors: dict[str, list[str]] | None = None,
) -> Any:
    """The staff page of ``proposal``; with a failed form's values and errors, a 422."""
    component = proposal.component
    values, errors = answer_form or (answers.answer_values(proposal), {})
    admin = blueprint == ADMIN
    body = render_template(
        "proposals/admin/show.html",
        blueprint=blueprint,
        admin=admin,
        component=component,
        space=component.space,
        proposal=proposal,
        state=state_choice(component, proposal.answer_state),
        origin=official.proposal_origin(proposal),
        answer_fields=form_fields(answers.AnswerSchema(component), _form_values(values), errors),
        answer_errors=errors,
        costs_required=answers.costs_required(component),
        at_once=answers.published_at_once(component),
        notes=valuation.notes_of(proposal),
        note_errors=note_errors or {},
        assigned=valuation.valuators_by_proposal([proposal.id])[proposal.id],
        valuators=valuation.valuators_of(component.space) if admin else [],
        hidden=is_hidden(RESOURCE_TYPE, proposal.id),
        may_moderate=bool(can(current_user, "moderate", component.space)),
        authors=_authors(proposal),
    )
    return (body, 422) if errors or note_errors else body


def _form_values(values: dict[str, Any]) -> dict[str, Any]:
    return {"state": values.get("answer_state", values.get("state")), **values}


def _authors(proposal: Proposal) -> list[User]:
    """Who wrote it, for staff: anonymous proposals too."""
    coauthors = [c.user for c in proposal.coauthorships if c.accepted_at is not None]
    return ([proposal.author] if proposal.author is not None else []) + coauthors


@admin_bp.route("/proposals/<int:proposal_id>")
def show(proposal_id: int) -> Any:
    return proposal_page(find_proposal(proposal_id), ADMIN)


@admin_bp.route("/proposals/<int:proposal_id>/answer", methods=["POST"])
def answer(proposal_id: int) -> Any:
    return answer_view(find_proposal(proposal_id), ADMIN)


def answer_view(proposal: Proposal, blueprint: str) -> Any:
    """Save the answer form; published at once or held, as the active step says."""
    data, errors, raw = load_form(answers.AnswerSchema(proposal.component), request.form)
    if data is None:
        return proposal_page(proposal, blueprint, (raw, errors))
    try:
        published = answers.answer(proposal, current_user, data)
        db.session.commit()
    except answers.AnswerRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(f"{blueprint}.show", proposal_id=proposal.id), code=303)
    except IntegrityError:  # its custom state was deleted meanwhile
        db.session.rollback()
        errors = {"state": [_("This state no longer exists: choose another.")]}
        return proposal_page(proposal, blueprint, (raw, errors))
    if published:
        answers.announce([proposal], current_user)
        flash(_("The answer is published; the authors and followers are notified."), "success")
    elif proposal.answer_held:
        flash(_("The answer is saved. Participants see it once it is published."), "success")
    else:
        flash(_("The answer is saved."), "success")
    return redirect(url_for(f"{blueprint}.show", proposal_id=proposal.id), code=303)


@admin_bp.route("/proposals/<int:proposal_id>/answer/publish", methods=["POST"])
def publish_answer(proposal_id: int) -> Any:
    proposal = find_proposal(proposal_id)
    published = answers.publish_answer(proposal, current_user)
    db.session.commit()
    if published:
        answers.announce([proposal], current_user)
        flash(_("The answer is published; the authors and followers are notified."), "success")
    else:
        flash(_("There was no held answer to publish."), "info")
    return redirect(url_for(".show", proposal_id=proposal.id), code=303)


@admin_bp.route("/proposals/<int:proposal_id>/notes", methods=["POST"])
def add_note(proposal_id: int) -> Any:
    return note_view(find_proposal(proposal_id), ADMIN)


def note_view(proposal: Proposal, blueprint: str) -> Any:
    body = request.form.get("body", "").strip()
    if not body or len(body) > NOTE_LENGTH:
        message = _("Write the note (at most %(num)d characters).", num=NOTE_LENGTH)
        return proposal_page(proposal, blueprint, note_errors={"body": [message]})
    valuation.add_note(proposal, current_user, body)
    db.session.commit()
    flash(_("Your note is added."), "success")
    return redirect(
        url_for(f"{blueprint}.show", proposal_id=proposal.id, _anchor="notes"), code=303
    )


@admin_bp.route("/proposals/<int:proposal_id>/valuators", methods=["POST"])
def assign_valuator(proposal_id: int) -> Any:
    proposal = find_proposal(proposal_id)
    person = db.session.get(User, request.form.get("valuator", type=int) or 0)
    back = url_for(".show", proposal_id=proposal.id, _anchor="valuation")
    if person is None:
        flash(_("Choose a valuator."), "error")
        return redirect(back, code=303)
    try:
        assigned = valuation.assign(proposal, person, current_user)
    except valuation.ValuationRefused as refused:
        flash(str(refused), "error")
        return redirect(back, code=303)
    db.session.commit()
    if assigned:
        valuation.announce_assignment(proposal, person, current_user)
        flash(_("%(name)s evaluates this proposal now.", name=person.nickname), "success")
    else:
        flash(_("%(name)s was already evaluating it.", name=person.nickname), "info")
    return redirect(back, code=303)


@admin_bp.route("/proposals/<int:proposal_id>/valuators/<int:user_id>/remove", methods=["POST"])
def unassign_valuator(proposal_id: int, user_id: int) -> Any:
    proposal = find_proposal(proposal_id)
    person = db.get_or_404(User, user_id)
    if valuation.unassign(proposal, person, current_user):
        db.session.commit()
        flash(_("%(name)s no longer evaluates this proposal.", name=person.nickname), "success")
    return redirect(url_for(".show", proposal_id=proposal.id, _anchor="valuation"), code=303)


# --- Recording a proposal --------------------------------------------------------------------


@admin_bp.route("/proposals/new", methods=["GET", "POST"])
def record() -> Any:
    """Record an official proposal, or one made offline (a meeting, a paper form...)."""
    schema = official.RecordSchema(g.component)
    if request.method == "GET":
        return _record_page(schema, {"origin": official.origins_allowed(g.component)[0]}, {})
    data, errors, raw = load_form(schema, request.form)
    if data is None:
        return _record_page(schema, raw, errors), 422
    proposal = official.record_proposal(g.component, current_user, data)
    db.session.commit()
    official.announce(proposal, current_user)
    flash(_("The proposal “%(title)s” is published.", title=proposal.title), "success")
    return redirect(url_for(".show", proposal_id=proposal.id), code=303)


def _record_page(schema: official.RecordSchema, values: dict[str, Any], errors: dict) -> str:
    return render_template(
        "proposals/admin/new.html",
        component=g.component,
        space=g.space,
        fields=form_fields(schema, values, errors),
        errors=errors,
    )
