"""Voting over HTTP: the cart, why a checkout is refused, casting, the receipt, cancelling."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests_budgets_support import add, cast, project_ids, url

from brique_budgets.ballots import receipt_hash
from brique_budgets.models import Ballot, BallotItem

PROJECTS = [("Trees on the square", 40_000), ("A skate park", 50_000), ("Bike racks", 20_000)]


def ballots(db):
    return db.session.scalars(select(Ballot)).all()


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, 100_000, PROJECTS)


# --- The cart --------------------------------------------------------------------------------


def test_the_budget_page_shows_the_projects_and_an_empty_ballot(client, login, dummy_user, budget):
    page = login(dummy_user).get(url(budget)).text
    assert "Trees on the square" in page and "Your ballot is empty" in page
    assert "100,000" in page


def test_a_visitor_is_sent_to_log_in_to_vote(client, budget):
    response = add(client, budget, project_ids(budget)[0])
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_adding_projects_fills_the_cart_and_shows_what_is_left(
    client, login, dummy_user, budget, db
):
    login(dummy_user)
    first, second, _ = project_ids(budget)
    assert add(client, budget, first).status_code == 302
    add(client, budget, second)
    page = client.get(url(budget)).text
    assert "Spent: 90,000 € of 100,000 €" in page.replace("\u202f", " ").replace("\xa0", " ")
    assert "10,000 € left" in page.replace("\u202f", " ").replace("\xa0", " ")
    assert '<progress max="100000" value="90000"' in page


def test_checkout_over_the_budget_is_refused_and_says_by_how_much(
    client, login, dummy_user, budget, db
):
    login(dummy_user)
    for project_id in project_ids(budget):
        add(client, budget, project_id)
    refused = cast(client, budget)
    text = refused.text.replace("\u202f", " ").replace("\xa0", " ")
    assert refused.status_code == 422 and "10,000 € over the budget." in text
    assert [ballot.cast_at for ballot in ballots(db)] == [None]


def test_a_project_outside_the_budget_cannot_be_added(
    client, login, dummy_user, budget, component, make_budget
):
    other = make_budget(component, 1000, [("Elsewhere", 10)], title="Other")
    login(dummy_user)
    response = add(client, budget, project_ids(other)[0])
    assert response.status_code == 422 and "This project is not on the ballot." in response.text


def test_removing_a_project_takes_it_out(client, login, dummy_user, budget, db):
    login(dummy_user)
    first = project_ids(budget)[0]
    add(client, budget, first)
    client.post(url(budget, "ballot/remove"), data={"project_id": first})
    assert db.session.scalar(select(func.count()).select_from(BallotItem)) == 0


# --- Casting ---------------------------------------------------------------------------------


def test_checkout_casts_the_ballot_and_gives_a_receipt(client, login, dummy_user, budget, db):
    login(dummy_user)
    first, second, _ = project_ids(budget)
    add(client, budget, first)
    add(client, budget, second)
    response = cast(client, budget)
    assert response.status_code == 302 and "/receipt/" in response.headers["Location"]
    (ballot,) = ballots(db)
    assert ballot.cast_at is not None and ballot.total_cost == 90_000
    assert ballot.receipt_hash == receipt_hash(ballot.receipt_code)
    receipt = client.get(response.headers["Location"]).text
    assert ballot.receipt_code in receipt


def test_a_cast_ballot_cannot_change(client, login, dummy_user, budget, db):
    login(dummy_user)
    first, _, third = project_ids(budget)
    add(client, budget, first)
    cast(client, budget)
    assert add(client, budget, third).status_code == 422
    again = cast(client, budget)
    assert again.status_code == 303 and again.headers["Location"].endswith("#ballot")
    assert "Your ballot is already cast." in client.get(again.headers["Location"]).text
    assert db.session.scalar(select(func.count()).select_from(BallotItem)) == 1


def test_anyone_checks_a_receipt_code_and_nobody_sees_whose_it_is(
    client, login, dummy_user, budget, db
):
    login(dummy_user)
    add(client, budget, project_ids(budget)[0])
    cast(client, budget)
    (ballot,) = ballots(db)
    client.post("/logout")
    page = client.post(
        url(budget).rsplit("/", 2)[0] + "/check-receipt", data={"code": ballot.receipt_code.lower()}
    ).text
    assert "Counted" in page and ballot.receipt_hash in page and dummy_user.nickname not in page
    wrong = client.post(
        url(budget).rsplit("/", 2)[0] + "/check-receipt", data={"code": "AAAA-BBBB-CCCC"}
    ).text
    assert "No cast ballot has this receipt code" in wrong


def test_someone_elses_receipt_page_is_not_found(
    client, login, dummy_user, create_user, budget, db
):
    login(dummy_user)
    add(client, budget, project_ids(budget)[0])
    cast(client, budget)
    (ballot,) = ballots(db)
    login(create_user("other"))
    assert client.get(url(budget, f"receipt/{ballot.id}")).status_code == 404


def test_voting_closed_in_this_step_is_refused(
    client, login, dummy_user, make_component, make_budget, db
):
    component = make_component(step={"votes_open": False})
    budget = make_budget(component, 100_000, PROJECTS)
    login(dummy_user)
    assert add(client, budget, project_ids(budget)[0]).status_code == 403
    assert ballots(db) == []
    assert "Voting is not open." in client.get(url(budget)).text


# --- Cancelling ------------------------------------------------------------------------------


def test_a_ballot_that_is_not_final_is_cancelled_and_cast_again(
    client, login, dummy_user, make_component, make_budget, db
):
    component = make_component(settings={"ballots_final": False})
    budget = make_budget(component, 100_000, PROJECTS)
    login(dummy_user)
    first, second, _ = project_ids(budget)
    add(client, budget, first)
    cast(client, budget)
    old_receipt = ballots(db)[0].receipt_code
    assert client.post(url(budget, "ballot/cancel")).status_code == 302
    db.session.expire_all()
    assert ballots(db)[0].cast_at is None and ballots(db)[0].receipt_hash is None
    add(client, budget, second)
    cast(client, budget)
    db.session.expire_all()
    (ballot,) = ballots(db)
    assert ballot.cast_at is not None and ballot.receipt_code != old_receipt


def test_a_final_ballot_cannot_be_cancelled(client, login, dummy_user, budget, db):
    login(dummy_user)
    add(client, budget, project_ids(budget)[0])
    cast(client, budget)
    assert client.post(url(budget, "ballot/cancel")).status_code == 403
    db.session.expire_all()
    assert ballots(db)[0].cast_at is not None


def test_projects_are_filtered_by_category_and_ordered_by_cost(
    client, component, make_budget, dummy_space, db
):
    from brique.plugin_api import Category

    parks = Category(space_id=dummy_space.id, name="Parks")
    db.session.add(parks)
    db.session.commit()
    budget = make_budget(
        component,
        100_000,
        [("Trees", 40_000, parks.id), ("Bike racks", 20_000), ("Lawn", 5_000, parks.id)],
    )
    page = client.get(url(budget) + f"?category={parks.id}&order=cost").text
    assert "2 projects" in page and "Bike racks" not in page
    assert page.index("Lawn") < page.index("Trees")
    assert "All the projects" in page
