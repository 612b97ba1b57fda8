"""Admin pages that import projects into a budget: from the accepted proposals of the
process, or from a CSV file. Each shows what will be created first; confirming creates
what was shown, in one transaction. Routes of ``admin_bp``."""

from __future__ import annotations

import base64
import binascii
import zlib
from typing import Any

from flask import current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from brique.plugin_api import Component, db
from brique_budgets import project_imports as imports
from brique_budgets.admin_views import GET_POST, Page, admin_bp, find_budget, render, staff
from brique_budgets.models import Budget

# --- From proposals --------------------------------------------------------------------------


@admin_bp.route("/budgets/<int:budget_id>/import-proposals", methods=GET_POST)
def import_proposals(budget_id: int) -> Page:
    """Choose the proposals component (when there are several), preview, then confirm."""
    budget = find_budget(budget_id)
    rtype = imports.proposal_type()
    if rtype is None:
        return render("import_proposals.html", budget=budget, installed=False)
    sources = imports.proposal_sources(rtype, g.space)
    source = _chosen_source(sources)
    if request.method == "POST" and source is not None:
        previewed = set(request.form.getlist("proposal", type=int))
        created = imports.import_proposals(rtype, budget, source, previewed, staff())
        db.session.commit()
        return _after_import(budget, source, created, len(previewed))
    plan = imports.plan_proposals(rtype, budget, source) if source is not None else None
    return render(
        "import_proposals.html",
        budget=budget,
        installed=True,
        sources=sources,
        source=source,
        plan=plan,
    )


def _chosen_source(sources: list[Component]) -> Component | None:
    """The component of the form or the query string; the only one if there is one."""
    if len(sources) == 1:
        return sources[0]
    source_id = request.values.get("source", type=int)
    return next((source for source in sources if source.id == source_id), None)


def _after_import(budget: Budget, source: Component, created: list[Any], previewed: int) -> Page:
    if not created:
        flash(_("Nothing was imported: the proposals changed since you saw them."), "error")
        return redirect(url_for(".import_proposals", budget_id=budget.id, source=source.id), 303)
    flash(
        ngettext(
            "%(num)d project is imported: check it, then put it to the vote.",
            "%(num)d projects are imported: check them, then put them to the vote.",
            len(created),
        ),
        "success",
    )
    if previewed > len(created):
        flash(
            ngettext(
                "%(num)d proposal could no longer be imported: it changed since you saw it.",
                "%(num)d proposals could no longer be imported: they changed since you saw them.",
                previewed - len(created),
            ),
            "info",
        )
    return redirect(url_for(".projects", budget_id=budget.id), code=303)


# --- From a CSV file -------------------------------------------------------------------------


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


@admin_bp.route("/budgets/<int:budget_id>/import-csv", methods=GET_POST)
def import_csv(budget_id: int) -> Page:
    budget = find_budget(budget_id)
    if request.method == "GET":
        return render("import_csv.html", budget=budget, plan=None)
    content = uploaded()
    if content is None:
        page = render("import_csv.html", budget=budget, plan=None, file_error=_("Choose a file."))
        return page, 422
    plan = imports.plan_csv(budget, content)
    if plan.ok and "confirm" in request.form:
        created = imports.create_from_csv(budget, plan, staff())
        db.session.commit()
        flash(
            ngettext(
                "%(num)d project is imported.", "%(num)d projects are imported.", len(created)
            ),
            "success",
        )
        return redirect(url_for(".projects", budget_id=budget.id), code=303)
    carried = carry(content) if plan.ok else None
    page = render("import_csv.html", budget=budget, plan=plan, carried=carried)
    return page if plan.ok else (page, 422)
