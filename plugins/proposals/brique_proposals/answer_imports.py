"""Importing answers from a CSV file: one row per proposal, checked with the answer form.

Like proposal imports, the file is planned first, every row checked by the answer
form's own schema (:class:`~brique_proposals.answers.AnswerSchema`), and carried out only
without errors, through :func:`brique_proposals.answers.answer`: answers are published
at once or held as the active step says, each logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from brique.plugin_api import Component, User, db, load_form
from brique_proposals.answer_states import answer_states
from brique_proposals.answers import AnswerSchema, answer
from brique_proposals.csvfiles import cell_error, read_table
from brique_proposals.imports import ImportPlan
from brique_proposals.models import Proposal

ANSWER_COLUMNS = ("id", "state", "answer", "cost", "cost_report", "execution_period")
#: The answer form's fields, as the file's columns name them.
COLUMN_OF_FIELD = {"answer_text": "answer", "state": "state", "cost": "cost"}
SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass
class PlannedAnswer:
    """One answer an import would give."""

    line: int
    proposal: Proposal
    data: dict[str, Any]


def plan_answers(component: Component, data: bytes) -> ImportPlan:
    """Check every row of a CSV file of answers; nothing is written."""
    table = read_table(data, ANSWER_COLUMNS, required=("id", "state"))
    plan = ImportPlan(errors=list(table.errors))
    if not table.rows and not plan.errors:
        plan.errors.append(_("The file has no answer."))
    proposals = proposals_of(component, [row.get("id", "") for _line, row in table.rows])
    states = state_keys(component)
    seen: set[int] = set()
    for line, row in table.rows:
        item, errors = plan_row(component, line, row, proposals, states, seen)
        plan.errors.extend(cell_error(line, message) for message in errors)
        if item is not None and not errors:
            plan.items.append(item)
    return plan


def proposals_of(component: Component, ids: list[str]) -> dict[int, Proposal]:
    wanted = {int(value) for value in ids if value.isdigit()}
    if not wanted:
        return {}
    found = db.session.scalars(
        select(Proposal).where(Proposal.component_id == component.id, Proposal.id.in_(wanted))
    )
    return {proposal.id: proposal for proposal in found}


def state_keys(component: Component) -> dict[str, str]:
    """Each state by its key and by its label, whatever the case: ``{"accepté": "accepted"}``."""
    keys = {}
    for choice in answer_states(component):
        keys[choice.key.casefold()] = choice.key
        keys.setdefault(str(choice.label).casefold(), choice.key)
    return keys


def plan_row(
    component: Component,
    line: int,
    row: dict[str, str],
    proposals: dict[int, Proposal],
    states: dict[str, str],
    seen: set[int],
) -> tuple[PlannedAnswer | None, list[str]]:
    proposal, error = proposal_of_row(row.get("id", ""), proposals, seen)
    if proposal is None:
        return None, [error]
    form = MultiDict(
        {
            "state": states.get(row.get("state", "").casefold(), row.get("state", "")),
            "answer_text": row.get("answer", ""),
            "cost": whole_number(row.get("cost", "")),
            "cost_report": row.get("cost_report", ""),
            "execution_period": row.get("execution_period", ""),
        }
    )
    data, errors, _raw = load_form(AnswerSchema(component), form)
    messages = [
        f"{COLUMN_OF_FIELD.get(name, name)}: {message}"
        for name, field_messages in errors.items()
        for message in field_messages
    ]
    return (PlannedAnswer(line, proposal, data) if data is not None else None), messages


def proposal_of_row(
    value: str, proposals: dict[int, Proposal], seen: set[int]
) -> tuple[Proposal | None, str]:
    if not value.isdigit():
        return None, _("the id “%(id)s” is not a proposal number", id=value)
    proposal = proposals.get(int(value))
    if proposal is None or proposal.status != "published":
        return None, _("no published proposal of this component has the id %(id)s", id=value)
    if proposal.id in seen:
        return None, _("the proposal %(id)s is answered twice in the file", id=value)
    seen.add(proposal.id)
    return proposal, ""


def whole_number(text: str) -> str:
    """``"1 200"`` and ``"1200,00"`` read as ``"1200"``; anything else is left to the form."""
    compact = SPACES.sub("", text)
    return re.sub(r"[.,]0+$", "", compact)


def answer_from_plan(plan: ImportPlan, user: User | None) -> list[Proposal]:
    """Give the plan's answers; returns those published now (announce them after the commit)."""
    if not plan.ok:
        raise ValueError("only a plan without errors can be carried out")
    return [item.proposal for item in plan.items if answer(item.proposal, user, item.data)]
