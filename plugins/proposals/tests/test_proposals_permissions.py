"""Who may do what with proposals, and when: ``can()`` as a table of persons, moments and
actions, as the core's permissions matrix does for its own actions.

Only the CURRENT step of ``dummy_space`` (24 February to 11 March 2026, the clock stands
on 1 March) opens writing, supporting and commenting; the steps before and after close
them. Withdrawing and inviting coauthors belong to a proposal's authors, whatever the step.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from brique.permissions import can
from brique.testing import FROZEN_AT

DAY = timedelta(days=1)
MOMENTS = {"before": FROZEN_AT - 10 * DAY, "during": FROZEN_AT, "after": FROZEN_AT + 15 * DAY}
OPENED_BY_STEP = ("create", "support", "comment")
PEOPLE = (
    "anonymous",
    "unconfirmed",
    "participant",
    "author",
    "valuator",
    "moderator",
    "space_admin",
    "platform_admin",
)
#: During the step, with the default requirement (a confirmed e-mail address).
DURING = {
    "anonymous": "login_required",
    "unconfirmed": "unconfirmed",
    "participant": None,
    "author": None,
    "valuator": None,
    "moderator": None,
    "space_admin": None,
    "platform_admin": None,
}
#: Authors' own actions on a published proposal, at any moment.
OWN_ACTIONS = {
    "anonymous": "login_required",
    "unconfirmed": "unconfirmed",
    "participant": "forbidden",
    "author": None,
    "valuator": "forbidden",
    "moderator": "forbidden",
    "space_admin": "forbidden",
    "platform_admin": "forbidden",
}


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en", "LOCALES": ["en"]}


@pytest.fixture
def people(people, create_user):
    return {**people, "author": create_user("author")}


@pytest.fixture
def proposals(dummy_space, create_component):
    """Writing, supporting and commenting open in the current step only."""
    opened = {"creation_open": True, "supports_enabled": True, "comments_open": True}
    closed = {"creation_open": False, "supports_enabled": False, "comments_open": False}
    steps = dummy_space.steps
    return create_component(
        dummy_space,
        "proposals",
        step_settings={steps[0]: closed, steps[1]: opened, steps[2]: closed},
    )


@pytest.fixture
def proposal(proposals, make_proposal, people):
    return make_proposal(proposals, people["author"], title="Shade in the schoolyard")


def target_of(action, proposals, proposal):
    return proposals if action == "create" else proposal


@pytest.mark.parametrize("action", OPENED_BY_STEP)
@pytest.mark.parametrize(("person", "expected"), DURING.items())
def test_who_writes_supports_and_comments_during_the_opening_step(
    action, person, expected, people, proposals, proposal, clock
):
    clock.set(MOMENTS["during"])
    decision = can(people[person], action, target_of(action, proposals, proposal))
    if action == "support" and person == "author":
        expected = None  # authors may support their own proposal, as everywhere else
    assert (decision.code if not decision.allowed else None) == expected, decision.reason


@pytest.mark.parametrize("moment", ["before", "after"])
@pytest.mark.parametrize("action", OPENED_BY_STEP)
@pytest.mark.parametrize("person", PEOPLE)
def test_nobody_writes_supports_or_comments_outside_the_opening_step(
    moment, action, person, people, proposals, proposal, clock
):
    clock.set(MOMENTS[moment])
    decision = can(people[person], action, target_of(action, proposals, proposal))
    assert not decision.allowed
    if people[person] is not None and person != "unconfirmed":
        assert decision.code == "closed", decision.reason


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("action", ["withdraw", "coauthor"])
@pytest.mark.parametrize(("person", "expected"), OWN_ACTIONS.items())
def test_only_authors_withdraw_and_invite_coauthors_at_any_moment(
    moment, action, person, expected, people, proposal, clock
):
    clock.set(MOMENTS[moment])
    decision = can(people[person], action, proposal)
    assert (decision.code if not decision.allowed else None) == expected, decision.reason


@pytest.mark.parametrize("person", ["participant", "moderator", "space_admin"])
def test_the_refusals_reach_the_pages(person, people, proposals, proposal, clock, login):
    clock.set(MOMENTS["after"])
    client = login(people[person])
    base = f"/processes/{proposals.space.slug}/c/{proposals.id}"
    assert (
        client.post(f"{base}/new", data={"title": "Late", "body": "Too late."}).status_code == 403
    )
    assert client.post(f"{base}/{proposal.id}/support").status_code == 403
