"""Public views of a proposals component: the list and a proposal's page."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from babel import Locale
from flask import abort, current_app, g, render_template, request, session
from flask_babel import format_currency, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from brique.plugin_api import (
    Component,
    Scope,
    active_step,
    can,
    component_blueprint,
    db,
    is_hidden,
    linked,
    settings_of,
    step_settings_of,
)
from brique_proposals import queries
from brique_proposals.answer_states import StateChoice, answer_states
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal
from brique_proposals.rules import is_author, supports_left
from brique_proposals.supports import supported_ids, supports_used

bp = component_blueprint("proposals", __name__)

#: The session key of the visitor's seed: their random order stays the same between pages.
SEED_KEY = "proposals_seed"

ORIGIN_LABELS = {
    "official": _l("Official proposal"),
    "meeting": _l("Recorded at a meeting"),
    "paper": _l("Received on paper"),
    "email": _l("Received by e-mail"),
    "other": _l("Recorded on behalf of a participant"),
}


@bp.route("/")
def index() -> str:
    component = g.component
    step = step_settings_of(component, active_step(g.space))
    badges = state_badges(component)
    choices = queries.filter_choices(
        component, settings_of(component)["default_sort"], step["supports_hidden"], badges
    )
    filters = queries.read_filters(request.args, choices, current_user.is_authenticated)
    page = queries.proposal_page(component, filters, current_user, visitor_seed())
    return render_template(
        "proposals/index.html",
        page=page,
        filters=filters,
        choices=choices,
        scope_names=dict(choices.scopes),
        **component_context(component, step, badges),
    )


def state_badges(component: Component) -> dict[str, StateChoice]:
    """The component's answer states by key, as badges."""
    return {choice.key: choice for choice in answer_states(component)}


def visitor_seed() -> float:
    """The visitor's seed of the random order, kept in their session."""
    seed = session.get(SEED_KEY)
    if not isinstance(seed, float) or not 0 <= seed < 1:
        seed = session[SEED_KEY] = random.random()
    return seed


def component_context(
    component: Component, step: dict[str, Any], badges: dict[str, StateChoice]
) -> dict[str, Any]:
    """What the list and a proposal's page both show of the component and the reader."""
    settings = settings_of(component)
    return {
        "settings": settings,
        "step": step,
        "badges": badges,
        "counts_hidden": step["supports_hidden"],
        "support_decision": can(current_user, "support", component),
        "create_decision": can(current_user, "create", component),
        **_supports_of_reader(component),
        "staff": is_staff(component),
        "category_names": {category.id: category.name for category in component.space.categories},
        "origin_labels": ORIGIN_LABELS,
        "has_endpoint": has_endpoint,
    }


def _supports_of_reader(component: Component) -> dict[str, int | None]:
    """How many supports the reader gave here and how many they have left (``None``: no
    limit, or nobody logged in)."""
    if not current_user.is_authenticated:
        return {"supports_used": 0, "supports_left": None}
    return {
        "supports_used": supports_used(component.id, current_user.id),
        "supports_left": supports_left(current_user, component),
    }


def is_staff(component: Component) -> bool:
    """Whether the reader works for the process (they see who wrote anonymous proposals)."""
    if not current_user.is_authenticated:
        return False
    return bool(can(current_user, "moderate", component.space)) or bool(
        can(current_user, "valuate", component.space)
    )


def has_endpoint(name: str) -> bool:
    """Whether a view exists, for links to pages other parts of the site may not have."""
    return name in current_app.view_functions


# --- A proposal's page ---------------------------------------------------------------------


@bp.route("/<int:proposal_id>")
def show(proposal_id: int) -> Any:
    return render_show(readable_proposal(proposal_id))


def readable_proposal(proposal_id: int) -> Proposal:
    """The proposal of this component; drafts only for their authors (404 for anyone else)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.component_id != g.component.id:
        abort(404)
    if proposal.status == "draft" and not is_author(current_user, proposal):
        abort(404)
    return proposal


def render_show(proposal: Proposal, status: int = 200) -> tuple[str, int]:
    """A proposal's page; support views show it again, with ``status``, when refused."""
    component = g.component
    step = step_settings_of(component, active_step(g.space))
    context = component_context(component, step, state_badges(component))
    hidden = is_hidden(RESOURCE_TYPE, proposal.id)
    page = render_template(
        "proposals/show.html",
        proposal=proposal,
        hidden=hidden,
        decision=can(current_user, "support", proposal),
        supported=proposal.id in supported_ids(current_user, [proposal.id]),
        scope=db.session.get(Scope, proposal.scope_id) if proposal.scope_id else None,
        origin_label=ORIGIN_LABELS.get(proposal.origin),
        cost=whole_amount(proposal.cost, context["settings"]["currency"]),
        merged_into=db.session.get(Proposal, proposal.merged_into_id)
        if proposal.merged_into_id
        else None,
        links=[] if hidden else linked((RESOURCE_TYPE, proposal.id), public_only=True),
        history=history_of(proposal, context["badges"]),
        **context,
    )
    return page, status


def whole_amount(amount: int | None, currency: str) -> str | None:
    """A cost in whole units of ``currency`` as the reader's language writes it."""
    if amount is None:
        return None
    pattern = Locale.parse(str(get_locale())).currency_formats["standard"].pattern
    whole = pattern.replace(".00", "")
    try:
        return format_currency(amount, currency, format=whole, currency_digits=False)
    except (ValueError, KeyError):
        return f"{amount} {currency}"


def history_of(proposal: Proposal, badges: dict[str, StateChoice]) -> list[tuple[datetime, str]]:
    """What happened to the proposal, oldest first: ``(moment, what)`` pairs."""
    events = [
        (proposal.published_at, _l("Published")),
        (proposal.edited_at, _l("Edited")),
        (proposal.qualified_at, _l("Reached the supports it needed")),
        (proposal.withdrawn_at, _l("Withdrawn by its authors")),
    ]
    if proposal.answer_published and proposal.answered_at is not None:
        badge = badges.get(proposal.answer_state)
        label = badge.label if badge else proposal.answer_state
        events.append((proposal.answered_at, _l("Answered: %(state)s", state=label)))
    return sorted(
        ((moment, str(what)) for moment, what in events if moment is not None),
        key=lambda event: event[0],
    )


from brique_proposals import support_views  # noqa: E402, F401  (its routes join bp)
