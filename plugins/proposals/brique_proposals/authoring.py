"""Citizens' side of writing: drafts, similar proposals, preview, publish, edit, withdraw.

The routes join the component's public blueprint. Every refusal comes from ``can()``
(or, for editing, from :func:`~brique_proposals.rules.may_edit`, which ``can()`` cannot
express: the edit window), and a refused or failed request changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from brique.plugin_api import (
    ALLOWED,
    Category,
    Decision,
    Scope,
    Space,
    can,
    db,
    form_fields,
    load_form,
    refuse,
    settings_of,
)
from brique_proposals import coauthors, lifecycle
from brique_proposals.attachments import Upload, accepts_files, full_message, read_upload, store
from brique_proposals.models import MAX_ATTACHMENTS, Coauthorship, Proposal
from brique_proposals.rules import edit_deadline, is_author, may_edit
from brique_proposals.schemas import ProposalForm
from brique_proposals.similar import similar_proposals
from brique_proposals.supports import SupportRefused, support, supported_ids
from brique_proposals.views import bp, readable_proposal

# --- Building the form ---------------------------------------------------------------------


def proposal_form(component: Any) -> ProposalForm:
    """The form of a proposal in ``component``, with its space's categories and districts."""
    settings = settings_of(component)
    return ProposalForm(
        body_max_length=settings["body_max_length"],
        categories=category_choices(component.space),
        scopes=scope_choices(component.space),
        geolocation=settings["geolocation"],
    )


def _tree(roots: list[Any], children: dict[int | None, list[Any]]) -> list[tuple[int, str]]:
    """``(id, name)`` of ``roots`` and what is below them, indented by depth."""
    found: list[tuple[int, str]] = []

    def walk(nodes: list[Any], depth: int) -> None:
        for node in sorted(nodes, key=lambda n: (n.name.lower(), n.id)):
            found.append((node.id, "\u2014 " * depth + node.name))
            walk(children.get(node.id, []), depth + 1)

    walk(roots, 0)
    return found


def category_choices(space: Space) -> list[tuple[int, str]]:
    children: dict[int | None, list[Any]] = defaultdict(list)
    for category in space.categories:
        children[category.parent_id].append(category)
    return _tree(children.get(None, []), children)


def scope_choices(space: Space) -> list[tuple[int, str]]:
    """The space's territory and the districts in it; every scope if it has none."""
    children: dict[int | None, list[Any]] = defaultdict(list)
    for scope in db.session.scalars(select(Scope)):
        children[scope.parent_id].append(scope)
    roots = [space.scope] if space.scope is not None else children.get(None, [])
    return _tree(roots, children)


def _values(proposal: Proposal, schema: ProposalForm) -> dict[str, Any]:
    return {name: getattr(proposal, name) for name in schema.load_fields}


# --- Who sees and does what ----------------------------------------------------------------


def _authored(proposal_id: int) -> Proposal:
    proposal = readable_proposal(proposal_id)
    if not is_author(current_user, proposal):
        abort(404)
    return proposal


def _user() -> Any:
    return current_user._get_current_object()


@dataclass(frozen=True)
class AuthorActions:
    """What the current user may do to a proposal as one of its authors or invitees."""

    is_author: bool
    edit: Decision
    #: Until when it may be edited; ``None`` when there is no deadline.
    edit_until: datetime | None
    #: Whether it may be edited until its first support (and not after).
    edit_until_support: bool
    withdraw: Decision
    coauthor: Decision
    delete: bool
    invitation: Coauthorship | None


NOT_AN_AUTHOR = refuse("", "forbidden")


def author_actions(proposal: Proposal) -> AuthorActions:
    """For templates: the author's buttons, and why each is refused."""
    author = is_author(current_user, proposal)
    invitation = coauthors.invitation_of(current_user, proposal)
    if not author:
        return AuthorActions(
            is_author=False,
            edit=NOT_AN_AUTHOR,
            edit_until=None,
            edit_until_support=False,
            withdraw=NOT_AN_AUTHOR,
            coauthor=NOT_AN_AUTHOR,
            delete=False,
            invitation=invitation,
        )
    edit = may_edit(current_user, proposal) or ALLOWED
    published = proposal.status == "published"
    unit = settings_of(proposal.component)["edit_window_unit"]
    return AuthorActions(
        is_author=True,
        edit=edit,
        edit_until=edit_deadline(proposal, proposal.component) if edit and published else None,
        edit_until_support=bool(edit and published and unit == "until_first_support"),
        withdraw=can(current_user, "withdraw", proposal) if published else refuse("", "closed"),
        coauthor=can(current_user, "coauthor", proposal),
        delete=proposal.status == "draft" and proposal.author_id == current_user.id,
        invitation=invitation,
    )


def sees_authors(user: Any, proposal: Proposal) -> bool:
    """Whether ``user`` sees who wrote an anonymous proposal: its authors and the staff."""
    space = proposal.component.space
    return is_author(user, proposal) or bool(
        can(user, "moderate", space) or can(user, "valuate", space)
    )


def byline(proposal: Proposal) -> str:
    """Who wrote ``proposal``, as the current user may know it: "Anonymous" for the public."""
    if proposal.origin == "official":
        return _("Official proposal")
    if proposal.anonymous and not sees_authors(current_user, proposal):
        return _("Anonymous")
    people = [proposal.author, *(c.user for c in proposal.coauthorships if c.accepted_at)]
    names = ", ".join(
        _("Former participant") if p is None or p.deleted_at else p.nickname for p in people
    )
    if proposal.anonymous:
        return _("%(names)s (published anonymously)", names=names)
    return names


@bp.context_processor
def _authoring_helpers() -> dict[str, Any]:
    return {"author_actions": author_actions, "proposal_byline": byline}


# --- Writing ---------------------------------------------------------------------------------


def _form_page(
    proposal: Proposal | None,
    schema: ProposalForm | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    decision: Decision = ALLOWED,
) -> str:
    settings = settings_of(g.component)
    return render_template(
        "proposals/form.html",
        proposal=proposal,
        decision=decision,
        fields=form_fields(schema, values, errors) if schema is not None else [],
        errors=errors or {},
        files=accepts_files(g.component),
        max_mb=settings["attachment_max_mb"],
        max_files=MAX_ATTACHMENTS,
        actions=author_actions(proposal) if proposal is not None else None,
    )


def _read(schema: ProposalForm, proposal: Proposal | None) -> tuple[Any, Any, dict, dict]:
    """The form's data and file, or the errors to show next to the fields."""
    data, errors, raw = load_form(schema, request.form)
    upload = read_upload(g.component, proposal)
    if isinstance(upload, str):
        errors = {**errors, "attachment": [upload]}
        data = None
    return data, upload, errors, raw


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    decision = can(current_user, "create", g.component)
    if not decision:
        status = 403 if request.method == "POST" else 200
        return _form_page(None, decision=decision), status
    schema = proposal_form(g.component)
    if request.method == "GET":
        return _form_page(None, schema)
    data, upload, errors, raw = _read(schema, None)
    if data is None:
        return _form_page(None, schema, raw, errors), 422
    proposal = lifecycle.create_draft(g.component, _user(), **data)
    if isinstance(upload, Upload):
        store(proposal, upload)
    db.session.commit()
    return redirect(url_for("proposals.similar", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
def edit(proposal_id: int) -> Any:
    proposal = readable_proposal(proposal_id)
    refusal = may_edit(current_user, proposal)
    if refusal is not None:
        return _form_page(proposal, decision=refusal), 403
    schema = proposal_form(g.component)
    if request.method == "GET":
        return _form_page(proposal, schema, _values(proposal, schema))
    data, upload, errors, raw = _read(schema, proposal)
    if data is None:
        return _form_page(proposal, schema, raw, errors), 422
    if isinstance(upload, Upload) and store(proposal, upload) is None:
        db.session.rollback()
        return _form_page(proposal, schema, raw, {"attachment": [full_message()]}), 422
    attached = upload.filename if isinstance(upload, Upload) else None
    changes = lifecycle.edit(proposal, data, _user(), attached)
    db.session.commit()
    if proposal.status == "draft":
        return redirect(url_for("proposals.similar", proposal_id=proposal.id))
    if changes:
        lifecycle.announce_changed(proposal, _user(), changes)
    flash(_("Your changes are saved."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


# --- Similar proposals, preview, publishing ------------------------------------------------


def _similar_page(proposal: Proposal, found: list[Proposal], error: str = "") -> str:
    return render_template(
        "proposals/similar.html",
        proposal=proposal,
        similar=found,
        supported=supported_ids(current_user, [p.id for p in found]),
        error=error,
    )


@bp.route("/<int:proposal_id>/similar")
def similar(proposal_id: int) -> Any:
    proposal = _authored(proposal_id)
    if proposal.status != "draft":
        return redirect(url_for("proposals.show", proposal_id=proposal.id))
    found = similar_proposals(proposal)
    if not found:
        return redirect(url_for("proposals.preview", proposal_id=proposal.id))
    return _similar_page(proposal, found)


@bp.route("/<int:proposal_id>/similar/<int:other_id>/support", methods=["POST"])
def support_instead(proposal_id: int, other_id: int) -> Any:
    proposal, other = _authored(proposal_id), readable_proposal(other_id)
    decision = can(current_user, "support", other)
    if not decision:
        return _similar_page(proposal, similar_proposals(proposal), decision.reason), 403
    try:
        support(other, _user())
    except SupportRefused as refused:
        db.session.rollback()
        return _similar_page(proposal, similar_proposals(proposal), str(refused)), 409
    db.session.commit()
    flash(
        _(
            "You support “%(title)s”. Your draft is kept: delete it if you no longer need it.",
            title=other.title,
        ),
        "success",
    )
    return redirect(url_for("proposals.similar", proposal_id=proposal.id))


def _preview_page(proposal: Proposal, error: str = "") -> str:
    return render_template(
        "proposals/preview.html",
        proposal=proposal,
        decision=can(current_user, "create", g.component),
        anonymous_allowed=settings_of(g.component)["anonymous_proposals"],
        actions=author_actions(proposal),
        category=db.session.get(Category, proposal.category_id) if proposal.category_id else None,
        scope=db.session.get(Scope, proposal.scope_id) if proposal.scope_id else None,
        error=error,
    )


@bp.route("/<int:proposal_id>/preview")
def preview(proposal_id: int) -> Any:
    proposal = _authored(proposal_id)
    if proposal.status != "draft":
        return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return _preview_page(proposal)


@bp.route("/<int:proposal_id>/publish", methods=["POST"])
def publish(proposal_id: int) -> Any:
    proposal = _authored(proposal_id)
    if proposal.status != "draft":
        flash(_("This proposal is already published."), "error")
        return redirect(url_for("proposals.show", proposal_id=proposal.id))
    decision = can(current_user, "create", g.component)
    if not decision:
        return _preview_page(proposal, decision.reason), 403
    allowed = settings_of(g.component)["anonymous_proposals"]
    proposal.anonymous = bool(allowed and request.form.get("anonymous"))
    try:
        lifecycle.publish(proposal, _user())
    except lifecycle.ProposalRefused as refused:
        db.session.rollback()
        return _preview_page(proposal, str(refused)), 409
    db.session.commit()
    lifecycle.announce_published(proposal, _user())
    flash(_("Your proposal is published."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


# --- Withdrawing, deleting a draft -----------------------------------------------------------


def _confirm_page(proposal: Proposal, action: str, refusal: str = "") -> str:
    return render_template(
        "proposals/confirm.html", proposal=proposal, action=action, refusal=refusal
    )


@bp.route("/<int:proposal_id>/withdraw", methods=["GET", "POST"])
def withdraw(proposal_id: int) -> Any:
    proposal = readable_proposal(proposal_id)
    decision = can(current_user, "withdraw", proposal)
    if not decision:
        return _confirm_page(proposal, "withdraw", decision.reason), 403
    if request.method == "GET":
        return _confirm_page(proposal, "withdraw")
    try:
        lifecycle.withdraw(proposal, _user())
    except lifecycle.ProposalRefused as refused:
        db.session.rollback()
        return _confirm_page(proposal, "withdraw", str(refused)), 409
    db.session.commit()
    lifecycle.announce_changed(proposal, _user(), {"status": ("published", "withdrawn")})
    flash(_("Your proposal is withdrawn."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


def _delete_refusal(proposal: Proposal) -> str:
    if proposal.author_id != current_user.id:
        return _("Only its first author can delete a draft.")
    if proposal.status != "draft":
        return _("Only drafts can be deleted: withdraw a published proposal instead.")
    return ""


@bp.route("/<int:proposal_id>/delete", methods=["GET", "POST"])
def delete_draft(proposal_id: int) -> Any:
    proposal = _authored(proposal_id)
    refusal = _delete_refusal(proposal)
    if refusal:
        return _confirm_page(proposal, "delete", refusal), 403
    if request.method == "GET":
        return _confirm_page(proposal, "delete")
    lifecycle.delete_draft(proposal)
    db.session.commit()
    flash(_("Your draft is deleted."), "success")
    return redirect(url_for("proposals.index"))
