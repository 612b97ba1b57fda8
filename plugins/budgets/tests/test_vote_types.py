"""Each vote type's rules, as the checkout applies them and explains them."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests_budgets_support import add, cast, project_ids, url

from brique_budgets.models import Ballot, BallotItem

PROJECTS = [("Trees", 40_000), ("Skate park", 50_000), ("Bike racks", 20_000), ("Bench", 5_000)]


def cast_ballot(db):
    return db.session.scalar(select(Ballot).where(Ballot.cast_at.is_not(None)))


def text_of(response):
    return response.text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def vote(client, login, dummy_user, make_component, make_budget):
    """``vote(settings, picks)``: fill a ballot with the projects at ``picks`` (indexes, or
    ``(index, points)``) under ``settings``, then cast; returns the checkout response."""

    def run(settings, picks, amount=100_000):
        budget = make_budget(make_component(settings=settings), amount, PROJECTS)
        ids = project_ids(budget)
        login(dummy_user)
        for pick in picks:
            index, points = pick if isinstance(pick, tuple) else (pick, None)
            add(client, budget, ids[index], points)
        return cast(client, budget)

    return run


def test_approval_needs_the_minimum_number_of_projects(vote, db):
    refused = vote({"vote_type": "approval", "minimum_projects": 3}, [0])
    assert refused.status_code == 422 and "Add at least 2 projects." in refused.text
    assert cast_ballot(db) is None


def test_approval_refuses_more_than_the_maximum(vote, db):
    refused = vote({"vote_type": "approval", "maximum_projects": 2}, [0, 1, 2])
    assert refused.status_code == 422 and "Remove 1 project: 2 at most." in refused.text


def test_approval_ignores_costs(vote, db):
    assert vote({"vote_type": "approval"}, [0, 1, 2], amount=10).status_code == 302
    assert cast_ballot(db).total_cost == 110_000


def test_knapsack_with_a_minimum_share_of_the_budget(vote, db):
    refused = vote({"minimum_spend_percent": 80}, [2])
    assert "Spend at least 80,000 €: 60,000 € more." in text_of(refused)


def test_choose_one_takes_exactly_one_project(vote, db):
    refused = vote({"vote_type": "choose-1"}, [0, 1])
    assert "Remove 1 project: 1 at most." in refused.text
    db.session.rollback()


def test_choose_one_cast(vote, db):
    assert vote({"vote_type": "choose-1"}, [3]).status_code == 302


def test_cumulative_points_cannot_exceed_what_a_voter_shares_out(vote, db):
    refused = vote({"vote_type": "cumulative", "points": 5}, [(0, 3), (1, 3)])
    assert "1 point too many: you share out 5." in refused.text


def test_cumulative_points_per_project_have_a_maximum(vote, db):
    refused = vote(
        {"vote_type": "cumulative", "points": 10, "maximum_points_per_project": 4}, [(0, 5)]
    )
    assert "“Trees”: 4 points at most." in refused.text


def test_cumulative_ballot_keeps_the_points(vote, db):
    assert vote({"vote_type": "cumulative", "points": 5}, [(0, 3), (1, 2)]).status_code == 302
    points = db.session.scalars(select(BallotItem.points).order_by(BallotItem.position)).all()
    assert points == [3, 2]


def test_ordinal_ranks_at_most_the_number_asked(vote, db):
    refused = vote({"vote_type": "ordinal", "ranks": 2}, [0, 1, 2])
    assert "Remove 1 project: 2 at most." in refused.text


def test_ordinal_ranks_move_up_and_down(client, login, dummy_user, make_component, make_budget, db):
    budget = make_budget(make_component(settings={"vote_type": "ordinal", "ranks": 3}), 1, PROJECTS)
    first, second, third, _ = project_ids(budget)
    login(dummy_user)
    for project_id in (first, second, third):
        add(client, budget, project_id)
    client.post(url(budget, "ballot/move"), data={"project_id": third, "direction": "up"})
    assert cast(client, budget).status_code == 302
    ranked = db.session.scalars(select(BallotItem.project_id).order_by(BallotItem.position)).all()
    assert ranked == [first, third, second]


def test_a_limit_per_category(
    client, login, dummy_user, make_component, make_budget, dummy_space, db
):
    from brique.plugin_api import Category

    parks = Category(space_id=dummy_space.id, name="Parks")
    db.session.add(parks)
    db.session.commit()
    budget = make_budget(
        make_component(settings={"per_category_limit": 1}),
        100_000,
        [("Trees", 10, parks.id), ("Lawn", 10, parks.id)],
    )
    login(dummy_user)
    for project_id in project_ids(budget):
        add(client, budget, project_id)
    refused = cast(client, budget)
    assert refused.status_code == 422 and "1 project per category at most." in refused.text


def test_inverted_budget_must_reach_the_savings_target(vote, db):
    refused = vote({"inverted": True}, [2])
    assert "80,000 € short of the savings target." in text_of(refused)


def test_inverted_budget_cast_when_the_target_is_reached(vote, db):
    assert vote({"inverted": True}, [0, 1, 2]).status_code == 302
