"""Supporting proposals, with every limit held by the database.

Each support first updates the participant's :class:`Participation` row with a
conditional ``UPDATE`` (the database serialises concurrent requests on that row, and
re-checks the condition after waiting), then inserts the support row (unique per
participant and proposal), then moves the proposal's counter, all in the caller's
transaction: a request that fails leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import Component, User, db, now, settings_of
from brique_proposals import signals
from brique_proposals.models import Participation, Proposal, Support


class SupportRefused(Exception):
    """The database refused a support: ``code`` says which rule, ``str()`` says it to people."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def ensure_participation(component_id: int, user_id: int) -> None:
    """Create the participant's row for this component if it does not exist yet."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(Participation)
        .values(component_id=component_id, user_id=user_id, supports=0, proposals=0)
        .on_conflict_do_nothing()
    )


def participation(component_id: int, user_id: int) -> Participation | None:
    return db.session.get(Participation, (component_id, user_id))


def supports_used(component_id: int, user_id: int) -> int:
    row = participation(component_id, user_id)
    return row.supports if row is not None else 0


def support(proposal: Proposal, user: User) -> bool:
    """Add ``user``'s support; returns whether it counts already. Raises :class:`SupportRefused`."""
    settings = settings_of(proposal.component)
    # Takes the proposal's row lock too, so a merge or a withdrawal under way finishes first.
    still_open = db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == "published")
        .values(supports_count=Proposal.supports_count),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not still_open:
        raise SupportRefused(_("Only published proposals can be supported."), "closed")
    given = _take_one_support(proposal.component_id, user.id, settings["support_limit"])
    if given is None:
        raise SupportRefused(_("You have used all your supports."), "limit")
    try:
        with db.session.begin_nested():
            db.session.add(
                Support(
                    proposal_id=proposal.id, user_id=user.id, component_id=proposal.component_id
                )
            )
    except IntegrityError:
        raise SupportRefused(_("You already support this proposal."), "duplicate") from None
    counted = _count_support(proposal, user, given, settings)
    signals.proposal_supported.send(proposal, user=user, counted=counted)
    return counted


def _take_one_support(component_id: int, user_id: int, limit: int) -> int | None:
    """Add one to the participant's supports unless it is at ``limit``; the new total."""
    ensure_participation(component_id, user_id)
    statement = (
        update(Participation)
        .where(Participation.component_id == component_id, Participation.user_id == user_id)
        .values(supports=Participation.supports + 1)
        .returning(Participation.supports)
    )
    if limit:
        statement = statement.where(Participation.supports < limit)
    return db.session.execute(statement, execution_options={"synchronize_session": False}).scalar()


def _count_support(proposal: Proposal, user: User, given: int, settings: dict[str, Any]) -> bool:
    minimum = settings["minimum_supports"]
    if given < minimum:
        return False
    if minimum and given == minimum:
        # This support takes the participant to the minimum: all their supports count now.
        _move_counts(_supported_ids(proposal.component_id, user.id), +1)
    else:
        statement = (
            update(Proposal)
            .where(Proposal.id == proposal.id)
            .values(supports_count=Proposal.supports_count + 1)
        )
        threshold = settings["threshold"]
        if threshold and not settings["supports_beyond_threshold"]:
            statement = statement.where(Proposal.supports_count < threshold)
        if (
            db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount
            == 0
        ):
            raise SupportRefused(_("This proposal has all the supports it needs."), "threshold")
    db.session.refresh(proposal, ["supports_count", "qualified_at"])
    _qualify(proposal, settings["threshold"])
    return True


def _qualify(proposal: Proposal, threshold: int) -> None:
    if not threshold or proposal.supports_count < threshold or proposal.qualified_at is not None:
        return
    first = db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.qualified_at.is_(None))
        .values(qualified_at=now()),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.refresh(proposal, ["qualified_at"])
    if first:
        signals.proposal_qualified.send(proposal)


def unsupport(proposal: Proposal, user: User) -> None:
    """Remove ``user``'s support. Raises :class:`SupportRefused` if there is none."""
    removed = db.session.execute(
        delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not removed:
        raise SupportRefused(_("You do not support this proposal."), "missing")
    left = db.session.execute(
        update(Participation)
        .where(
            Participation.component_id == proposal.component_id,
            Participation.user_id == user.id,
        )
        .values(supports=Participation.supports - 1)
        .returning(Participation.supports),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    minimum = settings_of(proposal.component)["minimum_supports"]
    if left + 1 >= minimum:  # the removed support was counted
        if minimum and left + 1 == minimum:
            # Below the minimum again: none of the participant's supports count any more.
            _move_counts([*_supported_ids(proposal.component_id, user.id), proposal.id], -1)
        else:
            _move_counts([proposal.id], -1)
    db.session.refresh(proposal, ["supports_count"])
    signals.proposal_unsupported.send(proposal, user=user)


def _supported_ids(component_id: int, user_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Support.proposal_id).where(
                Support.component_id == component_id, Support.user_id == user_id
            )
        )
    )


def _move_counts(proposal_ids: list[int], delta: int) -> None:
    if not proposal_ids:
        return
    db.session.execute(
        update(Proposal)
        .where(Proposal.id.in_(proposal_ids))
        .values(supports_count=Proposal.supports_count + delta),
        execution_options={"synchronize_session": False},
    )


def supported_ids(user: Any, proposal_ids: list[int]) -> set[int]:
    """Which of ``proposal_ids`` ``user`` supports: one query for a whole page."""
    if not getattr(user, "is_authenticated", False) or not proposal_ids:
        return set()
    return set(
        db.session.scalars(
            select(Support.proposal_id).where(
                Support.user_id == user.id, Support.proposal_id.in_(proposal_ids)
            )
        )
    )


def recount(component_id: int) -> int:
    """Set every proposal's ``supports_count`` from the rows; returns how many were wrong.

    Supports of participants below the minimum do not count.
    """
    component = db.session.get(Component, component_id)
    minimum = settings_of(component)["minimum_supports"]
    counting_users = select(Participation.user_id).where(
        Participation.component_id == component_id, Participation.supports >= minimum
    )
    truth = dict(
        db.session.execute(
            select(Support.proposal_id, func.count())
            .where(Support.component_id == component_id, Support.user_id.in_(counting_users))
            .group_by(Support.proposal_id)
        ).all()
    )
    wrong = 0
    for proposal in db.session.scalars(
        select(Proposal).where(Proposal.component_id == component_id)
    ):
        expected = truth.get(proposal.id, 0)
        if proposal.supports_count != expected:
            proposal.supports_count = expected
            wrong += 1
    return wrong
