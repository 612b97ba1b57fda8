"""The step timeline of a space: which step is active, which comes next."""

from __future__ import annotations

import itertools
from datetime import datetime

from brique.clock import now
from brique.models import Space, Step


def active_step(space: Space, moment: datetime | None = None) -> Step | None:
    """The pinned step if an admin pinned one, else the step whose [start, end) holds now."""
    pinned = next((step for step in space.steps if step.pinned), None)
    if pinned is not None:
        return pinned
    moment = moment or now()
    return next((step for step in space.steps if step.holds(moment)), None)


def upcoming_steps(space: Space, moment: datetime | None = None) -> list[Step]:
    """Steps that start after ``moment``, in order."""
    moment = moment or now()
    return [step for step in space.steps if step.start_at > moment]


def step_state(step: Step, active: Step | None, moment: datetime) -> str:
    """``"active"``, ``"past"`` or ``"upcoming"`` for the public timeline."""
    if active is not None and step.id == active.id:
        return "active"
    return "past" if step.end_at <= moment else "upcoming"


def overlapping(steps: list[Step]) -> tuple[Step, Step] | None:
    """The first pair of steps whose periods overlap, if any."""
    ordered = sorted(steps, key=lambda step: step.start_at)
    for previous, following in itertools.pairwise(ordered):
        if following.start_at < previous.end_at:
            return previous, following
    return None
