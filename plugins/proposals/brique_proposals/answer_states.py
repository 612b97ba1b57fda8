"""Answer states: the four every component has, and those its admins add (name, colour).

A custom state's ``key`` is made from its first label and kept when the label changes:
it is what proposals store and what ``ProposalResource.state()`` says to other
components. A state that proposals use cannot be deleted: the database refuses it
(see ``Proposal.custom_answer_state``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import Component, User, db, log_action
from brique_proposals.models import ANSWER_STATES, AnswerState, Proposal

#: The built-in states: label and badge colour (each reads in white or near-black).
BUILT_IN = {
    "not_answered": (_l("Not answered"), "#5f6368"),
    "evaluating": (_l("Evaluating"), "#8a6100"),
    "accepted": (_l("Accepted"), "#1b5e20"),
    "rejected": (_l("Rejected"), "#a31621"),
}
RESERVED_KEYS = frozenset(ANSWER_STATES) | {
    "draft",
    "published",
    "withdrawn",
    "merged",
    "split",
    "held",
}
KEY_LENGTH = 32
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class StateInUse(Exception):
    """Proposals have this state: it cannot be deleted."""


@dataclass(frozen=True)
class StateChoice:
    """One answer state as pages show it: a badge with its label and colour."""

    key: str
    label: str
    colour: str
    #: The admin's row for a custom state; ``None`` for a built-in one.
    custom: AnswerState | None = None

    @property
    def text_colour(self) -> str:
        """White or near-black, whichever contrasts more with :attr:`colour` (WCAG)."""
        return "#ffffff" if contrast_with_white(self.colour) >= 4.5 else "#1a1a1a"


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    """The contrast ratio of white text on ``colour`` (``#rrggbb``)."""
    return 1.05 / (_luminance(colour) + 0.05)


def custom_states(component: Component) -> list[AnswerState]:
    """The component's own states, in the admins' order; read once per request."""
    cache = g.setdefault("_proposals_states", {}) if has_request_context() else {}
    if component.id not in cache:
        cache[component.id] = list(
            db.session.scalars(
                select(AnswerState)
                .where(AnswerState.component_id == component.id)
                .order_by(AnswerState.position, AnswerState.id)
            )
        )
    return cache[component.id]


def forget_states() -> None:
    """Drop the per-request list after the states changed."""
    if has_request_context():
        g.pop("_proposals_states", None)


def answer_states(component: Component) -> list[StateChoice]:
    """Every state an answer may take here: the built-in ones, then the custom ones."""
    built_in = [StateChoice(key, str(label), colour) for key, (label, colour) in BUILT_IN.items()]
    return built_in + [
        StateChoice(state.key, state.label, state.colour, state)
        for state in custom_states(component)
    ]


def state_choice(component: Component, key: str) -> StateChoice:
    """The badge of ``key``; an unknown key (a state deleted meanwhile) shows as itself."""
    found = {choice.key: choice for choice in answer_states(component)}
    return found.get(key) or StateChoice(key, key, BUILT_IN["not_answered"][1])


def usage_counts(component: Component) -> dict[str, int]:
    """How many proposals (drafts aside) have each answer state."""
    rows = db.session.execute(
        select(Proposal.answer_state, func.count())
        .where(Proposal.component_id == component.id, Proposal.status != "draft")
        .group_by(Proposal.answer_state)
    )
    return {row[0]: row[1] for row in rows}


# --- Changes ---------------------------------------------------------------------------------


def make_key(label: str, taken: set[str]) -> str:
    """A readable key from ``label``, unused here and never a reserved word."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[: KEY_LENGTH - 4] or "state"
    key, number = base, 1
    while key in taken or key in RESERVED_KEYS:
        number += 1
        key = f"{base}_{number}"
    return key


def add_state(component: Component, user: User | None, label: str, colour: str) -> AnswerState:
    """Add a custom state at the end of the list; logged. Not committed."""
    for _attempt in range(3):  # two admins adding the same label at once: take the next key
        taken = set(
            db.session.scalars(
                select(AnswerState.key).where(AnswerState.component_id == component.id)
            )
        )
        position = db.session.scalar(
            select(func.coalesce(func.max(AnswerState.position), 0)).where(
                AnswerState.component_id == component.id
            )
        )
        state = AnswerState(
            component_id=component.id,
            key=make_key(label, taken),
            label=label,
            colour=colour,
            position=position + 1,
        )
        try:
            with db.session.begin_nested():
                db.session.add(state)
        except IntegrityError:
            continue
        log_action(
            user, "proposals.add_answer_state", state, space=component.space, after=_values(state)
        )
        forget_states()
        return state
    raise RuntimeError("could not find a free key for the answer state")


def _values(state: AnswerState) -> dict[str, Any]:
    return {"key": state.key, "label": state.label, "colour": state.colour}


def update_state(state: AnswerState, user: User | None, label: str, colour: str) -> None:
    """Change a custom state's label and colour (its key stays); logged. Not committed."""
    before = _values(state)
    state.label, state.colour = label, colour
    db.session.flush()
    log_action(
        user,
        "proposals.edit_answer_state",
        state,
        space=state_space(state),
        before=before,
        after=_values(state),
    )
    forget_states()


def state_space(state: AnswerState) -> Any:
    return db.session.get(Component, state.component_id).space


def move_state(state: AnswerState, user: User | None, offset: int) -> bool:
    """Swap ``state`` with its neighbour up (``-1``) or down (``1``); ``False`` at an end."""
    siblings = custom_states(db.session.get(Component, state.component_id))
    index = next(i for i, sibling in enumerate(siblings) if sibling.id == state.id)
    other = index + offset
    if not 0 <= other < len(siblings):
        return False
    order = [sibling.id for sibling in siblings]
    order[index], order[other] = order[other], order[index]
    for position, state_id in enumerate(order, start=1):
        db.session.execute(
            update(AnswerState).where(AnswerState.id == state_id).values(position=position),
            execution_options={"synchronize_session": False},
        )
    log_action(
        user,
        "proposals.move_answer_state",
        state,
        space=state_space(state),
        before={"position": index + 1},
        after={"position": other + 1},
    )
    db.session.expire_all()
    forget_states()
    return True


def delete_state(state: AnswerState, user: User | None) -> None:
    """Delete a custom state no proposal uses. Not committed.

    :raises StateInUse: proposals have it (checked first, then held by the database,
        should an answer take the state meanwhile).
    """
    in_use = db.session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(Proposal.component_id == state.component_id, Proposal.answer_state == state.key)
    )
    if in_use:
        raise StateInUse(state.key)
    space = state_space(state)
    values = _values(state)
    try:
        with db.session.begin_nested():
            db.session.delete(state)
    except IntegrityError:
        raise StateInUse(values["key"]) from None
    log_action(user, "proposals.delete_answer_state", state, space=space, before=values)
    forget_states()


class AnswerStateSchema(Schema):
    """The form of a custom answer state."""

    label = fields.String(
        required=True,
        validate=validate.Length(min=1, max=80),
        metadata={"label": _l("Name"), "description": _l("As participants read it.")},
    )
    colour = fields.String(
        load_default="#4a4a4a",
        validate=validate.Regexp(COLOUR),
        metadata={
            "label": _l("Colour"),
            "widget": "color",
            "description": _l(
                "Of its badge; the text on it is white or black, whichever reads best."
            ),
        },
    )
