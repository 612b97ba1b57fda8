"""Reporting, for participants: the form under each reportable item, and its full page."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from brique.actionlog.log import acting_user
from brique.extensions import limiter
from brique.forms import load_form
from brique.moderation import reporting
from brique.moderation.schemas import REASON_LABELS, ReportSchema
from brique.moderation.targets import ReportTarget, resolve
from brique.urls import safe_next


def _report_limit() -> str:
    return current_app.config["RATELIMIT_REPORT"]


@limiter.limit(_report_limit, methods=["POST"])
def report(type_name: str, target_id: int) -> Any:
    target = resolve(type_name, target_id)
    if target is None:
        abort(404)
    decision = reporting.may_report(current_user, target)
    if decision.code == "login_required":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if decision.code == "not_found":
        abort(404)
    if not decision:
        abort(403, description=decision.reason)
    if request.method == "GET":
        return report_page(target, {}, {})
    data, errors, raw = load_form(ReportSchema, request.form)
    if data is None:
        return report_page(target, raw, errors)
    return _record(target, data)


def _record(target: ReportTarget, data: dict[str, Any]) -> Any:
    try:
        reporting.report(acting_user(), target, data["reason"], data["details"].strip())
    except reporting.AlreadyReported:
        flash(_("You already reported this. The moderators will review it."), "info")
    else:
        flash(_("Thank you: the moderators will review your report."), "success")
    return redirect(safe_next(request.form.get("next")) or target.url, code=303)


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
