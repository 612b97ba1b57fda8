"""Steps: the space's timeline, dated, never overlapping, with at most one pinned step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from brique.actionlog.log import log_action, snapshot
from brique.clock import now
from brique.db import db
from brique.forms import form_fields, institution_zone, load_form
from brique.models import Space, Step
from brique.signals import step_activated
from brique.space_admin.pages import Errors, page, redisplay
from brique.space_admin.schemas import StepSchema
from brique.timeline import active_step
from brique.web import moment

DEFAULT_LENGTH = timedelta(days=14)
#: What the log keeps of a step that moved on the timeline.
PERIOD = ("start_at", "end_at", "position")


def index() -> Any:
    current = active_step(g.space)
    return page("space_admin/steps/index.html", steps=g.space.steps, current=current, now=now())


def new() -> Any:
    step = Step(space_id=g.space.id, title="", position=len(g.space.steps))
    if request.method == "POST":
        return save(step, "space_admin/steps/new.html")
    start = _next_start(g.space)
    return step_form(
        "space_admin/steps/new.html", {"start_at": start, "end_at": start + DEFAULT_LENGTH}
    )


def edit(step_id: int) -> Any:
    step = step_of_space(step_id)
    if request.method == "POST":
        return save(step, "space_admin/steps/edit.html")
    values = {name: getattr(step, name) for name in StepSchema().load_fields}
    return step_form("space_admin/steps/edit.html", values, step=step)


def step_form(
    template: str, values: dict[str, Any], errors: Errors | None = None, **context: Any
) -> Any:
    fields = form_fields(StepSchema, values, errors)
    zone = current_app.config["TIMEZONE"]
    return page(template, errors, fields=fields, timezone=zone, **context)


def save(step: Step, template: str) -> Any:
    data, errors, raw = load_form(StepSchema, request.form)
    if data is not None:
        errors = overlap_errors(g.space, data["start_at"], data["end_at"], step)
    if errors:
        values = redisplay(StepSchema(), raw, request.form)
        return step_form(template, values, errors, step=step if step.id else None)
    before = snapshot(step, data) if step.id else None
    for key, value in data.items():
        setattr(step, key, value)
    if step.id is None:
        g.space.steps.append(step)
    renumber(g.space)
    db.session.flush()
    verb = "step.update" if before is not None else "step.create"
    log_action(current_user, verb, step, before=before, after=snapshot(step, data))
    db.session.commit()
    flash(_("The step “%(title)s” is saved.", title=step.title), "success")
    return redirect(url_for("space_admin.steps"))


def step_of_space(step_id: int) -> Step:
    step = db.session.get(Step, step_id)
    if step is None or step.space_id != g.space.id:
        abort(404)
    return step


def _next_start(space: Space) -> datetime:
    if space.steps:
        return max(step.end_at for step in space.steps)
    today = now().astimezone(institution_zone()).date()
    return datetime(today.year, today.month, today.day, tzinfo=institution_zone())


def overlap_errors(space: Space, start: datetime, end: datetime, step: Step) -> Errors:
    """An error naming the other step whose period overlaps ``[start, end)``, if one does."""
    other = next(
        (s for s in space.steps if s is not step and s.start_at < end and start < s.end_at), None
    )
    if other is None:
        return {}
    message = _(
        "This period overlaps the step “%(title)s” (%(start)s to %(end)s). "
        "Steps cannot overlap: change the dates of one of them.",
        title=other.title,
        start=moment(other.start_at),
        end=moment(other.end_at),
    )
    field = "start_at" if other.start_at <= start < other.end_at else "end_at"
    return {field: [message]}


def renumber(space: Space) -> None:
    """Positions follow the timeline's chronological order."""
    for position, step in enumerate(sorted(space.steps, key=lambda item: item.start_at)):
        step.position = position


def delete(step_id: int) -> Any:
    step = step_of_space(step_id)
    if request.method == "GET":
        return page("space_admin/steps/delete.html", step=step)
    key, title = str(step.id), step.title
    for component in g.space.components:
        if key in component.step_settings:
            component.step_settings = {k: v for k, v in component.step_settings.items() if k != key}
    log_action(current_user, "step.delete", step)
    g.space.steps.remove(step)
    renumber(g.space)
    db.session.commit()
    flash(_("The step “%(title)s” is deleted.", title=title), "success")
    return redirect(url_for("space_admin.steps"))


def move(step_id: int) -> Any:
    """Swap the step with its neighbour; each keeps its duration and the gap between them."""
    step = step_of_space(step_id)
    ordered = sorted(g.space.steps, key=lambda item: item.start_at)
    index = ordered.index(step)
    other = index - 1 if request.form.get("direction") == "up" else index + 1
    if 0 <= other < len(ordered):
        earlier, later = sorted((step, ordered[other]), key=lambda item: item.start_at)
        before = [snapshot(moved, PERIOD) for moved in (earlier, later)]
        swap_periods(earlier, later)
        renumber(g.space)
        for moved, was in zip((earlier, later), before, strict=True):
            log_action(current_user, "step.move", moved, before=was, after=snapshot(moved, PERIOD))
        db.session.commit()
        flash(_("The step “%(title)s” is moved.", title=step.title), "success")
    return redirect(url_for("space_admin.steps"))


def swap_periods(earlier: Step, later: Step) -> None:
    gap = later.start_at - earlier.end_at
    start, later_length = earlier.start_at, later.end_at - later.start_at
    earlier_length = earlier.end_at - earlier.start_at
    later.start_at, later.end_at = start, start + later_length
    earlier.start_at = later.end_at + gap
    earlier.end_at = earlier.start_at + earlier_length


def pin(step_id: int) -> Any:
    step = step_of_space(step_id)
    if step.pinned:
        return redirect(url_for("space_admin.steps"))
    db.session.execute(
        update(Step)
        .where(Step.space_id == g.space.id, Step.pinned, Step.id != step.id)
        .values(pinned=False)
    )
    step.pinned = True
    try:  # logging flushes the change: a parallel pin may fail there or at the commit
        log_action(current_user, "step.pin", step)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("Another step was pinned at the same time. Please try again."), "error")
        return redirect(url_for("space_admin.steps"))
    step_activated.send(step)
    flash(_("“%(title)s” is now the active step, whatever its dates.", title=step.title), "success")
    return redirect(url_for("space_admin.steps"))


def unpin(step_id: int) -> Any:
    step = step_of_space(step_id)
    if step.pinned:
        step.pinned = False
        log_action(current_user, "step.unpin", step)
        db.session.commit()
    flash(_("The active step follows the dates again."), "success")
    return redirect(url_for("space_admin.steps"))
