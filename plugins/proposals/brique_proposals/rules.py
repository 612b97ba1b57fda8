"""The component's own rules, asked last by ``can()`` (after step, role and requirements)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, select

from brique.plugin_api import (
    Component,
    Decision,
    User,
    active_step,
    db,
    is_hidden,
    now,
    refuse,
    settings_of,
    step_settings_of,
)
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal, Support
from brique_proposals.supports import participation, supported_ids


def check_action(
    user: User | None, action: str, component: Component, target: Any
) -> Decision | None:
    """Refuse what the component's settings and the participant's limits do not allow."""
    if user is None:
        return None
    proposal = target if isinstance(target, Proposal) else None
    checks = {
        "create": _may_create,
        "support": _may_support,
        "withdraw": _may_withdraw,
        "coauthor": _may_invite,
        "comment": _may_comment,
        "vote_comment": _may_comment,
    }
    check = checks.get(action)
    return check(user, component, proposal) if check else None


def _may_create(user: User, component: Component, proposal: Proposal | None) -> Decision | None:
    missing = missing_profile_fields(user, component)
    if missing:
        return refuse(
            _("Fill in your profile first: %(fields)s.", fields=", ".join(missing)), "profile"
        )
    limit = settings_of(component)["proposal_limit"]
    row = participation(component.id, user.id)
    if limit and row is not None and row.proposals >= limit:
        return refuse(
            ngettext(
                "You have published your proposal: one per participant.",
                "You have published your %(num)d proposals: that is the limit.",
                limit,
            ),
            "limit",
        )
    return None


def missing_profile_fields(user: User, component: Component) -> list[str]:
    """The required profile fields ``user`` has not filled in yet."""
    required = settings_of(component)["required_profile_fields"]
    profile = user.profile or {}
    return [name for name in required if not str(profile.get(name) or "").strip()]


def _may_support(user: User, component: Component, proposal: Proposal | None) -> Decision | None:
    step = step_settings_of(component, active_step(component.space))
    if step["supports_blocked"]:
        return refuse(_("Supports are frozen at this stage."), "closed")
    missing = missing_profile_fields(user, component)
    if missing:
        return refuse(
            _("Fill in your profile first: %(fields)s.", fields=", ".join(missing)), "profile"
        )
    if proposal is None:
        return None
    if proposal.status != "published" or is_hidden(RESOURCE_TYPE, proposal.id):
        return refuse(_("Only published proposals can be supported."), "closed")
    if supports_left(user, component) == 0 and not _supports(user, proposal):
        return refuse(_("You have used all your supports."), "limit")
    return None


def _supports(user: User, proposal: Proposal) -> bool:
    return proposal.id in supported_ids(user, [proposal.id])


def supports_left(user: User, component: Component) -> int | None:
    """How many supports ``user`` may still give here; ``None`` when there is no limit."""
    limit = settings_of(component)["support_limit"]
    if not limit:
        return None
    row = participation(component.id, user.id)
    return max(0, limit - (row.supports if row is not None else 0))


def _may_withdraw(user: User, component: Component, proposal: Proposal | None) -> Decision | None:
    if proposal is None:
        return None
    if not is_author(user, proposal):
        return refuse(_("Only its authors can withdraw a proposal."), "forbidden")
    if proposal.status != "published":
        return refuse(_("Only published proposals can be withdrawn."), "closed")
    return None


def _may_invite(user: User, component: Component, proposal: Proposal | None) -> Decision | None:
    if proposal is not None and not is_author(user, proposal):
        return refuse(_("Only its authors can invite coauthors."), "forbidden")
    return None


def _may_comment(user: User, component: Component, proposal: Proposal | None) -> Decision | None:
    if proposal is not None and proposal.status == "draft":
        return refuse(_("Drafts cannot be commented on."), "closed")
    if proposal is not None and is_hidden(RESOURCE_TYPE, proposal.id):
        return refuse(_("This proposal is hidden by the moderators."), "closed")
    return None


def is_author(user: Any, proposal: Proposal) -> bool:
    """Whether ``user`` is the first author or an accepted coauthor of ``proposal``."""
    if not getattr(user, "is_authenticated", False):
        return False
    if proposal.author_id == user.id:
        return True
    return any(c.user_id == user.id and c.accepted_at for c in proposal.coauthorships)


def edit_deadline(proposal: Proposal, component: Component) -> Any:
    """Until when the authors may edit a published proposal; ``None`` means no time limit."""
    settings = settings_of(component)
    unit = settings["edit_window_unit"]
    if unit in ("never", "until_first_support"):
        return None
    return proposal.published_at + timedelta(**{unit: settings["edit_window"]})


def may_edit(user: Any, proposal: Proposal) -> Decision | None:
    """A refusal when ``user`` may not edit ``proposal`` now; ``None`` when they may."""
    if not is_author(user, proposal):
        return refuse(_("Only its authors can edit a proposal."), "forbidden")
    if proposal.status == "draft":
        return None
    if proposal.status != "published":
        return refuse(_("This proposal can no longer be edited."), "closed")
    unit = settings_of(proposal.component)["edit_window_unit"]
    if unit == "never":
        return refuse(_("Published proposals cannot be edited."), "closed")
    if unit == "until_first_support":
        if proposal.supports_count or _has_support(proposal):
            return refuse(_("It has supports now, so it can no longer be edited."), "closed")
        return None
    if now() > edit_deadline(proposal, proposal.component):
        return refuse(_("The time to edit this proposal is over."), "closed")
    return None


def _has_support(proposal: Proposal) -> bool:
    return bool(db.session.scalar(select(exists().where(Support.proposal_id == proposal.id))))
