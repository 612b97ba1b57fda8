"""Valuation: the space's valuators assigned to proposals, and staff's private notes.

Who works on a proposal: the process's administrators (``can(user, "admin", component)``)
on every proposal, its valuators (``can(user, "valuate", space)``) on the proposals
assigned to them. Private notes are read by those people only.

The services change the session and log in the action log; the caller commits, then
calls :func:`announce_assignment` so that the valuator is notified.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import Component, Space, SpaceRole, User, can, db, log_action
from brique_proposals import signals
from brique_proposals.models import PrivateNote, Proposal, ValuatorAssignment

CHUNK = 500


class ValuationRefused(Exception):
    """An assignment that cannot be made; ``str()`` says why, to people."""


def valuators_of(space: Space) -> list[User]:
    """The people with the valuator role in ``space``, by nickname."""
    return list(
        db.session.scalars(
            select(User)
            .join(SpaceRole, SpaceRole.user_id == User.id)
            .where(
                SpaceRole.space_id == space.id,
                SpaceRole.role == "valuator",
                User.deleted_at.is_(None),
            )
            .order_by(User.nickname)
        )
    )


def is_assigned(user: Any, proposal: Proposal) -> bool:
    """Whether ``user`` is one of the valuators assigned to ``proposal``."""
    if not isinstance(user, User):
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ValuatorAssignment.proposal_id == proposal.id,
                    ValuatorAssignment.user_id == user.id,
                )
            )
        )
    )


def may_work_on(user: Any, proposal: Proposal) -> bool:
    """Admins of the process work on every proposal, valuators on those assigned to them."""
    if can(user, "admin", proposal.component):
        return True
    return bool(can(user, "valuate", proposal.component.space)) and is_assigned(user, proposal)


def assigned_condition(user: User) -> Any:
    """The SQL condition of the proposals assigned to ``user``."""
    return exists().where(
        ValuatorAssignment.proposal_id == Proposal.id, ValuatorAssignment.user_id == user.id
    )


def valuators_by_proposal(proposal_ids: Iterable[int]) -> dict[int, list[User]]:
    """The valuators assigned to each of ``proposal_ids``, in one query per 500 ids."""
    wanted = sorted(set(proposal_ids))
    found: dict[int, list[User]] = {proposal_id: [] for proposal_id in wanted}
    for start in range(0, len(wanted), CHUNK):
        rows = db.session.execute(
            select(ValuatorAssignment.proposal_id, User)
            .join(User, User.id == ValuatorAssignment.user_id)
            .where(ValuatorAssignment.proposal_id.in_(wanted[start : start + CHUNK]))
            .order_by(User.nickname)
        )
        for proposal_id, user in rows:
            found[proposal_id].append(user)
    return found


def assign(proposal: Proposal, valuator: User, user: User | None) -> bool:
    """Assign ``valuator`` to ``proposal``; ``False`` if they were already. Logged.

    :raises ValuationRefused: ``valuator`` does not have the valuator role in the process.
    """
    if valuator.id not in {person.id for person in valuators_of(proposal.component.space)}:
        raise ValuationRefused(
            _("%(name)s is not a valuator of this process.", name=valuator.nickname)
        )
    try:
        with db.session.begin_nested():  # the unique pair holds under parallel requests
            db.session.add(ValuatorAssignment(proposal_id=proposal.id, user_id=valuator.id))
    except IntegrityError:
        return False
    log_action(user, "proposals.assign_valuator", proposal, after={"valuator": valuator.nickname})
    return True


def unassign(proposal: Proposal, valuator: User, user: User | None) -> bool:
    """Take ``valuator`` off ``proposal``; ``False`` if they were not assigned. Logged."""
    removed = db.session.execute(
        delete(ValuatorAssignment).where(
            ValuatorAssignment.proposal_id == proposal.id,
            ValuatorAssignment.user_id == valuator.id,
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    if removed:
        log_action(
            user, "proposals.unassign_valuator", proposal, before={"valuator": valuator.nickname}
        )
    return bool(removed)


def announce_assignment(proposal: Proposal, valuator: User, user: User | None) -> None:
    """Send ``proposal-valuator-assigned``; call it after the commit."""
    signals.valuator_assigned.send(proposal, valuator=valuator, user=user)


def add_note(proposal: Proposal, author: User, body: str) -> PrivateNote:
    """Add a private note for the staff working on ``proposal``; logged, not committed."""
    note = PrivateNote(proposal_id=proposal.id, author_id=author.id, body=body.strip())
    db.session.add(note)
    db.session.flush()
    # The log says a note was written, not what it says: the log is read more widely.
    log_action(author, "proposals.add_private_note", proposal, after={"note": note.id})
    return note


def notes_of(proposal: Proposal) -> list[PrivateNote]:
    """The private notes on ``proposal``, oldest first, with their authors."""
    return list(
        db.session.scalars(
            select(PrivateNote)
            .where(PrivateNote.proposal_id == proposal.id)
            .order_by(PrivateNote.created_at, PrivateNote.id)
        )
    )


# --- The valuator's entry in the administration dashboard ----------------------------------


def assigned_work(user: User) -> list[tuple[Any, int, int]]:
    """Per proposals component where proposals are assigned to ``user`` as a valuator of
    its process: the component, how many are assigned and how many are not answered yet."""
    unanswered = Proposal.answer_state.in_(("not_answered", "evaluating"))
    rows = db.session.execute(
        select(Component, func.count(), func.count().filter(unanswered))
        .join(Proposal, Proposal.component_id == Component.id)
        .join(ValuatorAssignment, ValuatorAssignment.proposal_id == Proposal.id)
        .where(ValuatorAssignment.user_id == user.id, Proposal.status != "draft")
        .group_by(Component.id)
        .order_by(Component.id)
    ).all()
    return [
        (component, assigned, waiting)
        for component, assigned, waiting in rows
        if can(user, "valuate", component.space)
    ]
