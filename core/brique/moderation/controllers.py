"""Reporting, for participants: the form under each reportable item, and its full page."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from brique.actionlog.log import acting_user
from brique.extensions import limiter
from brique.forms import load_form
from brique.moderation import reporting, targets
from brique.moderation.schemas import REASON_LABELS, ReportSchema
from brique.moderation.targets import ReportTarget
from brique.permissions import Decision, can, refuse
from brique.urls import safe_next


def _report_limit() -> str:
    return current_app.config["RATELIMIT_REPORT"]


@limiter.limit(_report_limit, methods=["POST"])
def report(type_name: str, target_id: int) -> Any:
    found = targets.find(type_name, target_id)
    target = targets.describe(found) if found is not None else None
    if target is None:
        abort(404)
    decision = can(current_user, "report", found)
    if decision.code == "login_required":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if decision.code == "not_found":
        abort(404)
    if decision.code == "reported":
        return _already_reported(target)
    if not decision:
        abort(403, description=decision.reason)
    if request.method == "GET":
        return report_page(target, {}, {})
    data, errors, raw = load_form(ReportSchema, request.form)
    if data is None:
        return report_page(target, raw, errors)
    return _record(target, data)


def report_decision(type_name: str, target_id: int, target: Any = None) -> Decision:
    """``can(current_user, "report", ...)`` for templates: on ``target`` if given (no
    query), else on what ``(type_name, target_id)`` names."""
    found = target if target is not None else targets.find(type_name, target_id)
    if found is None:
        return refuse(_l("This cannot be reported."), "not_found")
    return can(current_user, "report", found)


def _record(target: ReportTarget, data: dict[str, Any]) -> Any:
    try:
        reporting.report(acting_user(), target, data["reason"], data["details"].strip())
    except reporting.AlreadyReported:  # a report sent twice at once
        return _already_reported(target)
    flash(_("Thank you: the moderators will review your report."), "success")
    return _back(target)


def _already_reported(target: ReportTarget) -> Any:
    flash(_("You already reported this. The moderators will review it."), "info")
    return _back(target)


def _back(target: ReportTarget) -> Any:
    return redirect(safe_next(request.values.get("next")) or target.url, code=303)


def report_page(target: ReportTarget, values: dict[str, Any], errors: dict[str, list[str]]) -> Any:
    body = render_template(
        "moderation/report.html",
        target=target,
        values=values,
        errors=errors,
        reasons=REASON_LABELS,
        next_url=safe_next(request.values.get("next")) or target.url,
    )
    return (body, 422) if errors else body


def may_moderate(space: Any) -> bool:
    """Whether the person viewing may moderate ``space`` (templates' "Hide" button)."""
    return bool(can(current_user, "moderate", space))
