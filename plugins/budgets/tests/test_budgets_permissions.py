"""Who may vote, and when: ``can(user, "vote", budget)`` for every kind of person before,
during and after the voting step, and what each step setting shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests_budgets_support import add, cast, project_ids, url

from brique.permissions import can
from brique.testing import FROZEN_AT

DAY = timedelta(days=1)
MOMENTS = {"before": FROZEN_AT - 10 * DAY, "during": FROZEN_AT, "after": FROZEN_AT + 15 * DAY}
DURING = {
    "anonymous": "login_required",
    "unconfirmed": "unconfirmed",
    "participant": None,
    "valuator": None,
    "moderator": None,
    "space_admin": None,
    "platform_admin": None,
}
PROJECTS = [("Trees", 40_000), ("Skate park", 50_000)]


@pytest.fixture
def budget(dummy_space, create_component, make_budget):
    """Voting open in the current step only."""
    steps = dummy_space.steps
    component = create_component(
        dummy_space,
        "budgets",
        step_settings={
            steps[0]: {"votes_open": False},
            steps[1]: {"votes_open": True},
            steps[2]: {"votes_open": False, "vote_counts_shown": True},
        },
    )
    return make_budget(component, 100_000, PROJECTS)


@pytest.mark.parametrize(("person", "expected"), DURING.items())
def test_who_votes_during_the_voting_step(person, expected, people, budget, clock):
    clock.set(MOMENTS["during"])
    decision = can(people[person], "vote", budget)
    assert (decision.code if not decision.allowed else None) == expected, decision.reason


@pytest.mark.parametrize("moment", ["before", "after"])
@pytest.mark.parametrize("person", DURING)
def test_nobody_votes_outside_the_voting_step(moment, person, people, budget, clock, login):
    clock.set(MOMENTS[moment])
    assert not can(people[person], "vote", budget)
    if people[person] is not None:
        client = login(people[person])
        assert add(client, budget, project_ids(budget)[0]).status_code == 403
        assert cast(client, budget).status_code == 403


def test_before_the_step_the_page_says_when_voting_opens(people, budget, clock, login):
    clock.set(MOMENTS["before"])
    page = login(people["participant"]).get(url(budget)).text
    assert "Voting is not open." in page and "Add to my ballot" not in page


def test_vote_counts_show_only_in_the_steps_that_say_so(people, budget, clock, login):
    clock.set(MOMENTS["during"])
    client = login(people["participant"])
    add(client, budget, project_ids(budget)[0])
    cast(client, budget)
    assert "votes so far" not in client.get(url(budget)).text
    clock.set(MOMENTS["after"])
    assert "1 vote so far" in client.get(url(budget)).text


def test_projects_hidden_in_a_step_are_not_listed(
    people, dummy_space, create_component, make_budget, login
):
    component = create_component(
        dummy_space, "budgets", step_settings={dummy_space.steps[1]: {"projects_shown": False}}
    )
    budget = make_budget(component, 100_000, PROJECTS)
    page = login(people["participant"]).get(url(budget)).text
    assert "Trees" not in page and "0 projects" in page
