"""Places on a proposal: coauthors and attached files are limited per proposal.

The counters live on the proposal row and the database checks them (see
:class:`~brique_proposals.models.Proposal`); taking a place is one conditional UPDATE,
so two parallel requests cannot both take the last one.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import update
from sqlalchemy.orm import InstrumentedAttribute

from brique.plugin_api import db
from brique_proposals.models import MAX_ATTACHMENTS, MAX_COAUTHORS, Proposal

Kind = Literal["coauthors", "attachments"]
LIMITS: dict[str, int] = {"coauthors": MAX_COAUTHORS, "attachments": MAX_ATTACHMENTS}


def _counter(kind: Kind) -> InstrumentedAttribute[int]:
    return getattr(Proposal, f"{kind}_count")


def take_place(proposal: Proposal, kind: Kind) -> bool:
    """Count one more coauthor or file on ``proposal``; ``False`` when it is full."""
    counter = _counter(kind)
    taken = db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, counter < LIMITS[kind])
        .values({counter: counter + 1}),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.expire(proposal, [f"{kind}_count"])
    return bool(taken)


def free_place(proposal: Proposal, kind: Kind) -> None:
    """Count one coauthor or file less on ``proposal``."""
    counter = _counter(kind)
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values({counter: counter - 1}),
        execution_options={"synchronize_session": False},
    )
    db.session.expire(proposal, [f"{kind}_count"])
