"""The institution's answers: given, held or published, and announced once published.

The services change the session and log each change in the action log, in the caller's
transaction; the caller commits, then calls :func:`announce` with what was published,
which sends ``proposal-answered`` (authors and followers are notified from it).
Publishing is a conditional update (``... WHERE answer_published = false``), so two staff
members publishing the same answers at once publish, and announce, each answer once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select, update

from brique.plugin_api import (
    Component,
    User,
    active_step,
    db,
    log_action,
    now,
    step_settings_of,
)
from brique_proposals import signals
from brique_proposals.answer_states import answer_states
from brique_proposals.models import ANSWER_STATES, Proposal

#: What the action log keeps of an answer, before and after each change.
ANSWER_FIELDS = (
    "answer_state",
    "answer_text",
    "cost",
    "cost_report",
    "execution_period",
    "answer_published",
)
#: Rows per ``IN (...)`` list: SQLite limits the number of parameters of a statement.
CHUNK = 500


class AnswerRefused(Exception):
    """This proposal cannot be answered (a draft, withdrawn, merged); ``str()`` says why."""


def current_step_settings(component: Component) -> dict[str, Any]:
    """The settings of the process's active step for ``component``."""
    return step_settings_of(component, active_step(component.space))


def costs_required(component: Component) -> bool:
    """Whether accepting a proposal needs a cost, a cost report and an execution period."""
    return bool(current_step_settings(component)["answers_with_costs"])


def published_at_once(component: Component) -> bool:
    """Whether answers are published when given, or held until an admin publishes them."""
    return bool(current_step_settings(component)["answers_published"])


class AnswerSchema(Schema):
    """The answer form; ``AnswerSchema(component)`` offers the component's states."""

    state = fields.String(required=True, metadata={"label": _l("State")})
    answer_text = fields.String(
        load_default="",
        validate=validate.Length(max=10_000),
        metadata={
            "label": _l("Answer"),
            "widget": "markdown",
            "description": _l("Required to reject a proposal: say why."),
        },
    )
    cost = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=1_000_000_000_000),
        metadata={"label": _l("Cost")},
    )
    cost_report = fields.String(
        load_default="",
        validate=validate.Length(max=10_000),
        metadata={"label": _l("Cost report"), "widget": "textarea"},
    )
    execution_period = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={
            "label": _l("Execution period"),
            "description": _l("When it would be done, e.g. “Spring 2027”."),
        },
    )

    def __init__(self, component: Component, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        choices = answer_states(component)
        self.fields["state"].validators = [
            validate.OneOf([c.key for c in choices], labels=[c.label for c in choices])
        ]
        self.costs_required = costs_required(component)
        if self.costs_required:
            self.fields["cost"].metadata = {
                **self.fields["cost"].metadata,
                "description": _l("Required to accept a proposal at this step."),
            }

    @validates_schema
    def _complete(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        if data.get("state") == "rejected" and not data.get("answer_text", "").strip():
            errors["answer_text"] = [_("Say why the proposal is rejected.")]
        if data.get("state") == "accepted" and self.costs_required:
            if data.get("cost") is None:
                errors["cost"] = [_("Give the cost of an accepted proposal.")]
            if not data.get("cost_report", "").strip():
                errors["cost_report"] = [_("Explain how the cost was worked out.")]
            if not data.get("execution_period", "").strip():
                errors["execution_period"] = [_("Say when it would be done.")]
        if errors:
            raise ValidationError(errors)


def answer_values(proposal: Proposal) -> dict[str, Any]:
    """The answer's fields, as the action log and the form read them."""
    return {name: getattr(proposal, name) for name in ANSWER_FIELDS}


def answer(proposal: Proposal, user: User | None, data: dict[str, Any]) -> bool:
    """Give or change the answer to ``proposal``; logged, not committed.

    Published at once when the active step says so (``answers_published``), else held.
    Saving the same answer again changes nothing. ``not_answered`` withdraws the answer.

    :returns: whether the answer was published now: call :func:`announce` after the commit.
    :raises AnswerRefused: the proposal is not published (a draft, withdrawn, merged).
    """
    if proposal.status != "published":
        raise AnswerRefused(_("Only published proposals can be answered."))
    before = answer_values(proposal)
    _set_answer(proposal, data)
    at_once = published_at_once(proposal.component)
    if answer_values(proposal) == before and (proposal.answer_published or not at_once):
        return False  # the same answer again: nothing to log, nobody to tell
    publish_now = at_once and proposal.answer_state != "not_answered"
    proposal.answer_published = publish_now
    proposal.answered_at = now() if publish_now else None
    db.session.flush()
    log_action(user, "proposals.answer", proposal, before=before, after=answer_values(proposal))
    return publish_now


def _set_answer(proposal: Proposal, data: dict[str, Any]) -> None:
    state = data["state"]
    accepted = state == "accepted"
    proposal.answer_state = state
    proposal.custom_answer_state = None if state in ANSWER_STATES else state
    proposal.answer_text = data.get("answer_text", "").strip()
    proposal.cost = data.get("cost") if accepted else None
    proposal.cost_report = data.get("cost_report", "").strip() if accepted else ""
    proposal.execution_period = data.get("execution_period", "").strip() if accepted else ""


def publish_answer(proposal: Proposal, user: User | None) -> bool:
    """Publish ``proposal``'s held answer; ``False`` if there was none to publish."""
    return bool(publish_answers(proposal.component, [proposal.id], user))


def publish_answers(component: Component, ids: Iterable[int], user: User | None) -> list[Proposal]:
    """Publish the held answers among the proposals ``ids`` of ``component``; each logged.

    :returns: the proposals whose answer this call published (not those published by
        someone else meanwhile): pass them to :func:`announce` after the commit.
    """
    wanted = sorted({int(proposal_id) for proposal_id in ids})
    published: list[int] = []
    moment = now()
    for start in range(0, len(wanted), CHUNK):
        statement = (
            update(Proposal)
            .where(
                Proposal.id.in_(wanted[start : start + CHUNK]),
                Proposal.component_id == component.id,
                Proposal.status == "published",
                Proposal.answer_published.is_(False),
                Proposal.answer_state != "not_answered",
            )
            .values(answer_published=True, answered_at=moment)
            .returning(Proposal.id)
        )
        published += db.session.scalars(
            statement, execution_options={"synchronize_session": False}
        ).all()
    proposals = _load(published)
    for proposal in proposals:
        log_action(
            user,
            "proposals.publish_answer",
            proposal,
            before={"answer_published": False},
            after={"answer_published": True},
        )
    return proposals


def _load(ids: list[int]) -> list[Proposal]:
    found: list[Proposal] = []
    for start in range(0, len(ids), CHUNK):
        statement = select(Proposal).where(Proposal.id.in_(ids[start : start + CHUNK]))
        found += db.session.scalars(
            statement.order_by(Proposal.id), execution_options={"populate_existing": True}
        ).all()
    return found


def announce(proposals: Iterable[Proposal], user: User | None) -> None:
    """Send ``proposal-answered`` for answers just published; call it after the commit."""
    for proposal in proposals:
        signals.proposal_answered.send(proposal, user=user, state=proposal.answer_state)
