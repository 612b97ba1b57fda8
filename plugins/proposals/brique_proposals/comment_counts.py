"""Each proposal's comment count, kept for the "most commented" order of the list.

The core says when what a resource's thread shows may have changed (``comments-counted``:
a comment written, deleted, hidden, restored, its author blocked or unblocked); the counts
are then read again with :func:`~brique.plugin_api.comment_counts`. ``brique proposals
recount`` sets them all from the comments.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from brique.plugin_api import comment_counts, db, signals
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal


def refresh(proposal_ids: list[int]) -> None:
    """Set the comment counts of ``proposal_ids`` from their threads; not committed."""
    if not proposal_ids:
        return
    counts = comment_counts(RESOURCE_TYPE, proposal_ids)
    db.session.execute(  # one statement run for every row (an UPDATE by primary key)
        update(Proposal),
        [{"id": pid, "comments_count": counts.get(pid, 0)} for pid in proposal_ids],
        execution_options={"synchronize_session": False},
    )


def on_comments_counted(sender: str, resource_ids: Any = (), **kwargs: Any) -> None:
    if sender != RESOURCE_TYPE:
        return
    refresh(list(resource_ids))
    db.session.commit()


def recount_comments(component_id: int) -> int:
    """Set every proposal's comment count of the component; how many were wrong."""
    rows = db.session.execute(
        select(Proposal.id, Proposal.comments_count).where(Proposal.component_id == component_id)
    ).all()
    truth = comment_counts(RESOURCE_TYPE, [row.id for row in rows]) if rows else {}
    wrong = [row.id for row in rows if truth.get(row.id, 0) != row.comments_count]
    refresh(wrong)
    return len(wrong)


def connect_receivers() -> None:
    signals.comments_counted.connect(on_comments_counted)
