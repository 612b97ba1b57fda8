"""Coauthors: an author invites a participant by nickname; the invitee accepts or declines.

Accepted coauthors edit and withdraw the proposal like its first author. One invitation
per person and proposal is a unique constraint of the database.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import (
    Notice,
    NotificationKind,
    User,
    can,
    db,
    follow,
    log_action,
    now,
)
from brique_proposals import signals
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import MAX_COAUTHORS, Coauthorship, Proposal
from brique_proposals.places import free_place, take_place
from brique_proposals.rules import is_author
from brique_proposals.views import bp


class CoauthorRefused(Exception):
    """An invitation that cannot be made; ``str()`` says why, to people."""


def person_named(nickname: str) -> User | None:
    """The active account with this nickname, whatever its case."""
    wanted = nickname.strip().lstrip("@").strip().lower()
    if not wanted:
        return None
    person = db.session.scalar(select(User).where(func.lower(User.nickname) == wanted))
    if person is None or person.deleted_at is not None or person.blocked_at is not None:
        return None
    return person


def invite(proposal: Proposal, nickname: str) -> User:
    """Invite the participant called ``nickname``. Raises :class:`CoauthorRefused`."""
    person = person_named(nickname)
    if person is None:
        raise CoauthorRefused(_("Nobody has the nickname “%(nickname)s”.", nickname=nickname))
    if person.id == proposal.author_id or any(
        c.user_id == person.id for c in proposal.coauthorships
    ):
        raise CoauthorRefused(
            _("%(nickname)s is already invited or an author.", nickname=person.nickname)
        )
    if not take_place(proposal, "coauthors"):
        raise CoauthorRefused(_("A proposal has %(num)d coauthors at most.", num=MAX_COAUTHORS))
    try:
        with db.session.begin_nested():
            db.session.add(Coauthorship(proposal_id=proposal.id, user_id=person.id))
    except IntegrityError:  # a parallel request invited them first
        raise CoauthorRefused(
            _("%(nickname)s is already invited or an author.", nickname=person.nickname)
        ) from None
    return person


def invitation_of(user: Any, proposal: Proposal) -> Coauthorship | None:
    """``user``'s pending invitation to coauthor ``proposal``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return next(
        (c for c in proposal.coauthorships if c.user_id == user.id and c.accepted_at is None),
        None,
    )


def accept(proposal: Proposal, user: User) -> bool:
    """Accept ``user``'s pending invitation; ``False`` if there is none (any more)."""
    accepted = db.session.execute(
        update(Coauthorship)
        .where(
            Coauthorship.proposal_id == proposal.id,
            Coauthorship.user_id == user.id,
            Coauthorship.accepted_at.is_(None),
        )
        .values(accepted_at=now()),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.expire(proposal, ["coauthorships"])
    if accepted and proposal.status != "draft":
        # Authors follow a proposal when it is published; a coauthor joining later does now.
        follow(user.id, RESOURCE_TYPE, proposal.id, proposal.component.space_id)
    return bool(accepted)


def decline(proposal: Proposal, user: User) -> bool:
    """Decline ``user``'s pending invitation; ``False`` if there is none (any more)."""
    declined = db.session.execute(
        delete(Coauthorship).where(
            Coauthorship.proposal_id == proposal.id,
            Coauthorship.user_id == user.id,
            Coauthorship.accepted_at.is_(None),
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.expire(proposal, ["coauthorships"])
    if declined:
        free_place(proposal, "coauthors")
    return bool(declined)


# --- Notifications ---------------------------------------------------------------------------


def invitation_notice(
    proposal: Proposal, user: Any = None, invitee: Any = None, **kwargs: Any
) -> Notice | None:
    """The invitee hears of the invitation, with a link to accept or decline it."""
    if invitee is None:
        return None
    return Notice(
        recipients=[invitee.id],
        title=proposal.title,
        url=url_for(
            "proposals.coauthors",
            proposal_id=proposal.id,
            space_slug=proposal.component.space.slug,
            component_id=proposal.component_id,
        ),
        actor=user,
        space=proposal.component.space,
        target=(RESOURCE_TYPE, proposal.id),
    )


def notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind(
            name="proposals.coauthor_invited",
            signal=signals.coauthor_invited,
            message=_l("%(actor)s invites you to coauthor “%(title)s”"),
            notice=invitation_notice,
        )
    ]


# --- Pages -----------------------------------------------------------------------------------


def _proposal_for(user: Any, proposal_id: int) -> Proposal:
    """The proposal, for its authors and the people invited to coauthor it."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.component_id != g.component.id:
        abort(404)
    if not (is_author(user, proposal) or invitation_of(user, proposal)):
        abort(404)
    return proposal


def _page(proposal: Proposal, errors: dict[str, list[str]], nickname: str = "") -> str:
    return render_template(
        "proposals/coauthors.html",
        proposal=proposal,
        invite_decision=can(current_user, "coauthor", proposal),
        invitation=invitation_of(current_user, proposal),
        errors=errors,
        nickname=nickname,
    )


@bp.route("/<int:proposal_id>/coauthors")
def coauthors(proposal_id: int) -> str:
    return _page(_proposal_for(current_user, proposal_id), {})


@bp.route("/<int:proposal_id>/coauthors", methods=["POST"])
def invite_coauthor(proposal_id: int) -> Any:
    proposal = _proposal_for(current_user, proposal_id)
    decision = can(current_user, "coauthor", proposal)
    if not decision:
        abort(403, description=decision.reason)
    nickname = request.form.get("nickname", "").strip()[:80]
    try:
        if not nickname:
            raise CoauthorRefused(_("This field is required."))
        invitee = invite(proposal, nickname)
    except CoauthorRefused as refused:
        db.session.rollback()
        return _page(proposal, {"nickname": [str(refused)]}, nickname), 422
    log_action(current_user, "proposals.invite_coauthor", proposal, after={"invitee": invitee.id})
    db.session.commit()
    signals.coauthor_invited.send(
        proposal, user=current_user._get_current_object(), invitee=invitee
    )
    flash(_("%(nickname)s is invited to coauthor it.", nickname=invitee.nickname), "success")
    return redirect(url_for("proposals.coauthors", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/coauthors/accept", methods=["POST"])
def accept_coauthorship(proposal_id: int) -> Any:
    proposal = _proposal_for(current_user, proposal_id)
    if not accept(proposal, current_user):
        db.session.rollback()
        flash(_("There is no invitation to accept."), "error")
        return redirect(url_for("proposals.coauthors", proposal_id=proposal.id))
    log_action(current_user, "proposals.accept_coauthorship", proposal)
    db.session.commit()
    flash(_("You are a coauthor of “%(title)s”.", title=proposal.title), "success")
    return redirect(url_for("proposals.coauthors", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/coauthors/decline", methods=["POST"])
def decline_coauthorship(proposal_id: int) -> Any:
    proposal = _proposal_for(current_user, proposal_id)
    if not decline(proposal, current_user):
        db.session.rollback()
        flash(_("There is no invitation to decline."), "error")
        return redirect(url_for("proposals.coauthors", proposal_id=proposal.id))
    db.session.commit()
    flash(_("You declined to coauthor “%(title)s”.", title=proposal.title), "success")
    if proposal.status == "draft":
        return redirect(url_for("proposals.index"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))
