"""Supporting a proposal and taking the support back: small POST forms, no JavaScript needed.

``can(user, "support", proposal)`` decides first; then the support services, whose
limits the database holds. A refused request changes nothing: the proposal's page is
shown again with the reason (403 when ``can()`` refuses, 422 when the database does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from brique.plugin_api import can, db, settings_of
from brique_proposals import supports
from brique_proposals.models import Proposal
from brique_proposals.supports import SupportRefused
from brique_proposals.views import bp, readable_proposal, render_show


@bp.route("/<int:proposal_id>/support", methods=["POST"])
def support(proposal_id: int) -> Any:
    return _change(proposal_id, _give)


@bp.route("/<int:proposal_id>/unsupport", methods=["POST"])
def unsupport(proposal_id: int) -> Any:
    return _change(proposal_id, _take_back)


def _change(proposal_id: int, change: Callable[[Proposal], str]) -> Any:
    proposal = readable_proposal(proposal_id)
    decision = can(current_user, "support", proposal)
    if not decision:
        if decision.code == "login_required":
            return redirect(url_for("auth.login", next=back_to(proposal)))
        flash(decision.reason, "error")
        return render_show(proposal, 403)
    try:
        message = change(proposal)
        db.session.commit()
    except SupportRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return render_show(proposal, 422)
    flash(message, "success")
    return redirect(f"{back_to(proposal)}#proposal-{proposal.id}", code=303)


def _give(proposal: Proposal) -> str:
    if supports.support(proposal, current_user):
        return _("You support this proposal.")
    minimum = settings_of(proposal.component)["minimum_supports"]
    return ngettext(
        "Your support is recorded. It counts once you have supported %(num)d proposal.",
        "Your support is recorded. It counts once you have supported %(num)d proposals.",
        minimum,
    )


def _take_back(proposal: Proposal) -> str:
    supports.unsupport(proposal, current_user)
    return _("You no longer support this proposal.")


def back_to(proposal: Proposal) -> str:
    """The page the form was sent from (the list with its filters, or the proposal's page)
    when it is a page of this component; the proposal's page otherwise."""
    wanted = request.form.get("next", "")
    inside = url_for("proposals.index")
    unsafe = "\\" in wanted or any(ord(char) < 32 or ord(char) == 127 for char in wanted)
    if wanted.startswith(inside) and not unsafe:
        return wanted.split("#", 1)[0].rstrip("?")
    return url_for("proposals.show", proposal_id=proposal.id)
