"""Announcing steps that the clock makes active: the ``step-activated`` signal, once per step.

An admin pinning a step sends the signal at once. A step whose start date comes
sends nothing by itself: the periodic job ``timeline.announce-steps`` compares
each published space's active step with the one last announced (kept per space
in ``announced_steps``) and sends the signal for the new one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from brique.clock import now
from brique.db import db
from brique.jobs.sql import insert_ignore
from brique.models import AnnouncedStep, Space, Step
from brique.notifications.kinds import notifications_active
from brique.signals import step_activated
from brique.timeline import active_step

CHECK_EVERY = timedelta(minutes=5)
#: A step that started longer ago is recorded without being announced (a new site,
#: a worker stopped for weeks): nobody wants news that old.
TOO_OLD = timedelta(days=7)


def claim_announcement(space_id: int, step_id: int) -> bool:
    """Record ``step_id`` as the space's announced step; ``False`` if it already was.

    A conditional UPDATE: of two workers, one wins. Not committed.
    """
    insert_ignore(AnnouncedStep, [{"space_id": space_id, "step_id": None, "announced_at": now()}])
    result = db.session.execute(
        update(AnnouncedStep)
        .where(
            AnnouncedStep.space_id == space_id,
            or_(AnnouncedStep.step_id.is_(None), AnnouncedStep.step_id != step_id),
        )
        .values(step_id=step_id, announced_at=now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def announce_steps(payload: dict[str, Any]) -> None:
    """Periodic job ``timeline.announce-steps``: send ``step-activated`` for new active steps."""
    moment = now()
    spaces = db.session.scalars(
        select(Space).where(Space.published_at.is_not(None)).options(selectinload(Space.steps))
    ).all()
    rows = db.session.execute(select(AnnouncedStep.space_id, AnnouncedStep.step_id)).all()
    announced = dict(rows)
    for space in spaces:
        step = active_step(space, moment)
        if step is None or announced.get(space.id) == step.id:
            continue
        claimed = claim_announcement(space.id, step.id)
        db.session.commit()
        if claimed and (step.pinned or step.start_at >= moment - TOO_OLD):
            step_activated.send(step)


def remember_pinned_step(sender: Step, **kwargs: Any) -> None:
    """An admin pinned a step and announced it: the job must not announce it again."""
    if not notifications_active():
        return
    claim_announcement(sender.space_id, sender.id)
    db.session.commit()
