"""Carrying supports over when proposals are merged, or giving them back when one is split.

The invariants of :mod:`brique_proposals.supports` hold afterwards: one row per
participant and proposal; ``Participation.supports`` is the participant's number of rows
in the component; a proposal's ``supports_count`` is the number of its rows whose
participant has given at least the component's minimum. Counts move by exact deltas
(never recomputed wholesale), so concurrent supports of other proposals are not lost;
the participants concerned are locked first, so their own supports wait.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, func, insert, select, update

from brique.plugin_api import Component, db, settings_of
from brique_proposals.models import Participation, Proposal, Support

#: Rows per ``IN (...)`` list: SQLite limits the number of parameters of a statement.
CHUNK = 500


@dataclass(frozen=True)
class SupportsCarried:
    """What a merge or split did to supports, for the action log."""

    supporters: int
    given_back: int
    counted: int

    def summary(self) -> dict[str, int]:
        return {
            "supporters": self.supporters,
            "supports_given_back": self.given_back,
            "supports_counted": self.counted,
        }


def carry_supports(
    component: Component, source_ids: list[int], target: Proposal | None
) -> SupportsCarried:
    """Move the supports of ``source_ids`` onto ``target`` (once per participant), or give
    them back when ``target`` is ``None``; every count stays exact, minimum included."""
    by_user: dict[int, list[Any]] = defaultdict(list)
    rows = db.session.execute(
        select(Support.user_id, Support.created_at).where(Support.proposal_id.in_(source_ids))
    )
    for user_id, created_at in rows:
        by_user[user_id].append(created_at)
    totals = lock_participations(component.id, sorted(by_user))
    given_back = {user: len(dates) - (1 if target else 0) for user, dates in by_user.items()}
    minimum = settings_of(component)["minimum_supports"]
    losing = [user for user in by_user if totals[user] >= minimum > totals[user] - given_back[user]]
    db.session.execute(
        delete(Support).where(Support.proposal_id.in_(source_ids)),
        execution_options={"synchronize_session": False},
    )
    lower_participations(component.id, given_back)
    uncount_supports_of(component.id, losing)
    db.session.execute(
        update(Proposal).where(Proposal.id.in_(source_ids)).values(supports_count=0),
        execution_options={"synchronize_session": False},
    )
    counted = 0
    if target is not None:
        counted = sum(1 for user in by_user if totals[user] - given_back[user] >= minimum)
        add_supports(component.id, target, {user: min(dates) for user, dates in by_user.items()})
        target.supports_count = counted
    db.session.flush()
    return SupportsCarried(len(by_user), sum(given_back.values()), counted)


def lock_participations(component_id: int, user_ids: list[int]) -> dict[int, int]:
    """Each participant's supports in the component, their rows locked in user order."""
    totals: dict[int, int] = {}
    for chunk in chunks(user_ids):
        rows = db.session.execute(
            select(Participation.user_id, Participation.supports)
            .where(Participation.component_id == component_id, Participation.user_id.in_(chunk))
            .order_by(Participation.user_id)
            .with_for_update()
        )
        totals.update(dict(rows.all()))
    missing = [user for user in user_ids if user not in totals]
    if missing:  # rows the support service always creates; count the supports instead
        totals.update(count_rows(component_id, missing))
    return totals


def count_rows(component_id: int, user_ids: list[int]) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Support.user_id, func.count())
            .where(Support.component_id == component_id, Support.user_id.in_(user_ids))
            .group_by(Support.user_id)
        ).all()
    )


def lower_participations(component_id: int, given_back: dict[int, int]) -> None:
    """Give supports back, grouped by amount: one statement per amount and chunk."""
    by_amount: dict[int, list[int]] = defaultdict(list)
    for user, amount in given_back.items():
        if amount:
            by_amount[amount].append(user)
    for amount, users in sorted(by_amount.items()):
        for chunk in chunks(sorted(users)):
            db.session.execute(
                update(Participation)
                .where(Participation.component_id == component_id, Participation.user_id.in_(chunk))
                .values(
                    supports=case(
                        (Participation.supports >= amount, Participation.supports - amount),
                        else_=0,
                    )
                ),
                execution_options={"synchronize_session": False},
            )


def uncount_supports_of(component_id: int, user_ids: list[int]) -> None:
    """These participants fell below the minimum: their remaining supports stop counting."""
    if not user_ids:
        return
    per_proposal: Counter[int] = Counter()
    for chunk in chunks(sorted(user_ids)):
        rows = db.session.execute(
            select(Support.proposal_id, func.count())
            .where(Support.component_id == component_id, Support.user_id.in_(chunk))
            .group_by(Support.proposal_id)
        )
        per_proposal.update(dict(rows.all()))
    by_amount: dict[int, list[int]] = defaultdict(list)
    for proposal_id, amount in per_proposal.items():
        by_amount[amount].append(proposal_id)
    for amount, proposal_ids in sorted(by_amount.items()):
        for chunk in chunks(sorted(proposal_ids)):
            db.session.execute(
                update(Proposal)
                .where(Proposal.id.in_(chunk))
                .values(supports_count=Proposal.supports_count - amount),
                execution_options={"synchronize_session": False},
            )


def add_supports(component_id: int, target: Proposal, since: dict[int, Any]) -> None:
    """One support of ``target`` per participant, dated from their first original support."""
    rows = [
        {
            "proposal_id": target.id,
            "user_id": user,
            "component_id": component_id,
            "created_at": moment,
        }
        for user, moment in sorted(since.items())
    ]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Support), rows[start : start + CHUNK])


def chunks(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
