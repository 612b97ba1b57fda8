"""Staff pages that reshape and move proposals: merge, split, move, import, export.

Routes of the component's admin blueprint (``proposals_admin``), which lets only the
component's admins in. Each change is one transaction: committed whole, or not at all.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import asdict
from typing import Any

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from brique.plugin_api import Scope, User, db, form_fields, load_form
from brique_proposals import answers, merging
from brique_proposals.admin_views import admin_bp
from brique_proposals.answer_imports import answer_from_plan, plan_answers
from brique_proposals.answer_states import BUILT_IN, custom_states
from brique_proposals.exports import FORMATS, export_file
from brique_proposals.imports import (
    ImportPlan,
    copy_proposals,
    create_from_plan,
    plan_copy,
    plan_csv,
    source_components,
)
from brique_proposals.merging import ProposalDraft, TransferRefused
from brique_proposals.models import Proposal
from brique_proposals.schemas import ProposalForm

#: Proposals listed on the tools page; a search narrows longer lists.
LISTED = 100
MAX_PARTS = 10

Page = str | BaseResponse


def staff() -> User:
    return current_user._get_current_object()


def render(template: str, **context: Any) -> str:
    return render_template(
        f"proposals/admin/{template}", component=g.component, space=g.space, **context
    )


def selected_ids() -> list[int]:
    return sorted({int(value) for value in request.values.getlist("ids") if value.isdigit()})


# --- Tools page -----------------------------------------------------------------------------


@admin_bp.route("/tools")
def transfer_index() -> Page:
    query = request.args.get("q", "").strip()
    statement = select(Proposal).where(
        Proposal.component_id == g.component.id, Proposal.status == "published"
    )
    if query:
        statement = statement.where(Proposal.title.ilike(f"%{escape_like(query)}%", escape="\\"))
    proposals = db.session.scalars(statement.order_by(Proposal.id.desc()).limit(LISTED + 1)).all()
    return render(
        "transfer_index.html",
        proposals=proposals[:LISTED],
        more=len(proposals) > LISTED,
        query=query,
        formats=list(FORMATS),
    )


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- Merge, split, move ---------------------------------------------------------------------


def category_choices() -> list[tuple[int, str]]:
    categories = list(g.space.categories)
    ordered = []
    for parent in (c for c in categories if c.parent_id is None):
        ordered.append((parent.id, parent.name))
        ordered.extend(
            (child.id, f"\N{EN DASH} {child.name}")
            for child in categories
            if child.parent_id == parent.id
        )
    return ordered


def draft_form() -> ProposalForm:
    scopes = db.session.scalars(select(Scope).order_by(Scope.name)).all()
    return ProposalForm(
        body_max_length=50_000,
        categories=category_choices(),
        scopes=[(scope.id, scope.name) for scope in scopes],
    )


def draft_of(data: dict[str, Any]) -> ProposalDraft:
    return ProposalDraft(
        title=data["title"],
        body=data["body"],
        category_id=data.get("category_id"),
        scope_id=data.get("scope_id"),
    )


def published_among(ids: list[int]) -> list[Proposal]:
    """The proposals ``ids`` if all are published proposals of this component."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.id.in_(ids)).order_by(Proposal.id)
    ).all()
    if len(proposals) != len(ids) or any(
        p.component_id != g.component.id or p.status != "published" for p in proposals
    ):
        raise TransferRefused(_("Choose published proposals of this component."), "not_found")
    return list(proposals)


def back_to_tools(message: str, category: str = "success") -> BaseResponse:
    flash(message, category)
    return redirect(url_for("proposals_admin.transfer_index"))


@admin_bp.route("/merge", methods=["GET", "POST"])
def transfer_merge() -> Page:
    ids = selected_ids()
    try:
        if len(ids) < 2:
            raise TransferRefused(_("Choose at least two proposals to merge."), "too_few")
        originals = published_among(ids)
    except TransferRefused as refused:
        return back_to_tools(str(refused), "error")
    form, errors = draft_form(), {}
    values: dict[str, Any] = asdict(merging.merge_draft(originals))
    if request.method == "POST":
        data, errors, values = load_form(form, request.form)
        if data is not None:
            try:
                merged = merging.merge(g.component, ids, staff(), draft_of(data))
                db.session.commit()
            except TransferRefused as refused:
                db.session.rollback()
                errors = {"_schema": [str(refused)]}
            else:
                merging.announce(created=[merged], replaced=originals, user=staff())
                return back_to_tools(
                    _("The proposals are merged into “%(title)s”.", title=merged.title)
                )
    return render(
        "transfer_merge.html",
        originals=originals,
        fields=form_fields(form, values, errors),
        errors=errors,
    )


@admin_bp.route("/split/<int:proposal_id>", methods=["GET", "POST"])
def transfer_split(proposal_id: int) -> Page:
    try:
        (original,) = published_among([proposal_id])
    except TransferRefused as refused:
        return back_to_tools(str(refused), "error")
    count = min(max(request.values.get("parts", 2, type=int), 2), MAX_PARTS)
    form = draft_form()
    start = {**asdict(merging.merge_draft([original]))}
    start["body"] = original.body
    parts = [(f"part{n}-", start, {}) for n in range(1, count + 1)]
    if request.method == "POST":
        loaded = [(prefix, *load_form(form, request.form, prefix)) for prefix, _v, _e in parts]
        parts = [(prefix, raw, errors) for prefix, _data, errors, raw in loaded]
        if all(data is not None for _p, data, _e, _r in loaded):
            try:
                created = merging.split(
                    g.component,
                    original.id,
                    staff(),
                    [draft_of(data) for _p, data, _e, _r in loaded],
                )
                db.session.commit()
            except TransferRefused as refused:
                db.session.rollback()
                flash(str(refused), "error")
            else:
                merging.announce(created=created, replaced=[original], user=staff())
                return back_to_tools(
                    _(
                        "“%(title)s” is split into %(num)d proposals.",
                        title=original.title,
                        num=len(created),
                    )
                )
    return render(
        "transfer_split.html",
        original=original,
        count=count,
        max_parts=MAX_PARTS,
        parts=[form_fields(form, values, errors, prefix) for prefix, values, errors in parts],
        has_errors=any(errors for _p, _v, errors in parts),
    )


@admin_bp.route("/move", methods=["GET", "POST"])
def transfer_move() -> Page:
    ids = selected_ids()
    if not ids:
        return back_to_tools(_("Choose the proposals to move."), "error")
    choices = category_choices()
    if request.method == "POST":
        value = request.form.get("category_id", "")
        category_id = int(value) if value.isdigit() else None
        if category_id is not None and category_id not in dict(choices):
            return back_to_tools(_("This category is not one of the process."), "error")
        try:
            moved = merging.move_to_category(g.component, ids, category_id, staff())
            db.session.commit()
        except TransferRefused as refused:
            db.session.rollback()
            return back_to_tools(str(refused), "error")
        return back_to_tools(ngettext("%(num)d proposal moved.", "%(num)d proposals moved.", moved))
    proposals = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.id.in_(ids),
            Proposal.component_id == g.component.id,
            Proposal.status != "draft",
        )
        .order_by(Proposal.id)
    ).all()
    return render("transfer_move.html", proposals=proposals, choices=choices)


# --- Imports --------------------------------------------------------------------------------


def carry(content: bytes) -> str | None:
    """The file as a form field for the confirmation, or ``None`` if it would not fit."""
    packed = base64.b64encode(zlib.compress(content, 9)).decode("ascii")
    limit = (current_app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000) - 20_000
    return packed if len(packed) < limit else None


def uploaded() -> bytes | None:
    """The uploaded file, or the one carried from the preview."""
    carried = request.form.get("carried", "")
    if carried:
        try:
            return zlib.decompress(base64.b64decode(carried, validate=True))
        except (binascii.Error, zlib.error):
            return None
    upload = request.files.get("file")
    return upload.read() if upload and upload.filename else None


def import_page(
    template: str, plan: ImportPlan | None = None, content: bytes | None = None, **context: Any
) -> str:
    carried = carry(content) if plan is not None and plan.ok and content is not None else None
    return render(template, plan=plan, carried=carried, **context)


@admin_bp.route("/import", methods=["GET", "POST"])
def transfer_import_csv() -> Page:
    if request.method == "GET":
        return import_page("transfer_import_csv.html")
    content = uploaded()
    if content is None:
        return import_page("transfer_import_csv.html", file_error=_("Choose a CSV file."))
    plan = plan_csv(g.component, content)
    if plan.ok and "confirm" in request.form:
        created = create_from_plan(g.component, plan, staff())
        db.session.commit()
        merging.announce(created=created)
        return back_to_tools(
            ngettext("%(num)d proposal imported.", "%(num)d proposals imported.", len(created))
        )
    return import_page("transfer_import_csv.html", plan, content)


@admin_bp.route("/import-answers", methods=["GET", "POST"])
def transfer_import_answers() -> Page:
    if request.method == "GET":
        return import_page("transfer_import_answers.html")
    content = uploaded()
    if content is None:
        return import_page("transfer_import_answers.html", file_error=_("Choose a CSV file."))
    plan = plan_answers(g.component, content)
    if plan.ok and "confirm" in request.form:
        try:
            published = answer_from_plan(plan, staff())
            db.session.commit()
        except answers.AnswerRefused as refused:
            db.session.rollback()
            return back_to_tools(str(refused), "error")
        answers.announce(published, staff())
        return back_to_tools(
            ngettext("%(num)d answer imported.", "%(num)d answers imported.", len(plan.items))
        )
    return import_page("transfer_import_answers.html", plan, content)


def state_options(sources: list[Any]) -> list[tuple[str, str]]:
    """The built-in answer states, then the custom ones of the components offered."""
    options = {key: str(label) for key, (label, _colour) in BUILT_IN.items()}
    for source in sources:
        for state in custom_states(source):
            options.setdefault(state.key, state.label)
    return list(options.items())


@admin_bp.route("/import-proposals", methods=["GET", "POST"])
def transfer_import_component() -> Page:
    sources = source_components(staff(), g.component)
    source_id = request.values.get("source", type=int)
    source = next((c for c in sources if c.id == source_id), None)
    states = request.values.getlist("states")
    plan = None
    if request.method == "POST":
        if source is None:
            plan = ImportPlan(errors=[_("Choose the component to import from.")])
        else:
            plan = plan_copy(g.component, source, states)
        if (
            plan.ok
            and "confirm" in request.form
            and request.form.get("checked") == choice_key(source, states)
        ):
            created = copy_proposals(g.component, plan, staff())
            db.session.commit()
            merging.announce(created=created)
            return back_to_tools(
                ngettext("%(num)d proposal imported.", "%(num)d proposals imported.", len(created))
            )
    return render(
        "transfer_import_component.html",
        sources=sources,
        source=source,
        states=states or ["accepted"],
        state_options=state_options(sources),
        plan=plan,
        checked=choice_key(source, states) if plan is not None and plan.ok else None,
    )


def choice_key(source: Any, states: list[str]) -> str:
    """What was previewed: confirming copies only what was seen."""
    return f"{getattr(source, 'id', '')}:{','.join(sorted(states))}"


# --- Export ---------------------------------------------------------------------------------


@admin_bp.route("/export.<any(csv, json, xlsx):format_name>")
def transfer_export(format_name: str) -> Response:
    content, mimetype, filename = export_file(g.component, format_name)
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
