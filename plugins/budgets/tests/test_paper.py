"""Paper voting: staff enter paper ballots (one per voter identifier) and station counts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests_budgets_support import project_ids

from brique.models import ActionLogEntry
from brique_budgets.ballots import receipt_hash
from brique_budgets.models import Ballot, StationCount

PROJECTS = [("Trees", 40_000), ("Skate park", 50_000), ("Bike racks", 20_000)]


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, 100_000, PROJECTS)


def admin_url(budget, path):
    return f"/admin/components/{budget.component_id}/budgets/{budget.id}/{path}"


def enter(client, budget, identifier, picks, station="Mairie"):
    data = {"identifier": identifier, "station": station}
    data.update({f"points-{project_id}": "1" for project_id in picks})
    return client.post(admin_url(budget, "paper"), data=data)


def paper_ballots(db):
    return db.session.scalars(select(Ballot).where(Ballot.origin == "paper")).all()


def test_staff_enter_a_paper_ballot_and_get_a_receipt_for_the_voter(
    client, login, admin_user, budget, db
):
    login(admin_user)
    first, _, third = project_ids(budget)
    response = enter(client, budget, "CNI 123456", [first, third])
    assert response.status_code == 302
    (ballot,) = paper_ballots(db)
    assert ballot.user_id is None and ballot.station == "Mairie" and ballot.total_cost == 60_000
    assert "123456" not in ballot.voter_hash and ballot.receipt_hash == receipt_hash(
        ballot.receipt_code
    )
    page = client.get(response.headers["Location"]).text
    assert ballot.receipt_code in page
    assert db.session.scalar(
        select(func.count()).where(ActionLogEntry.verb == "budgets.enter_paper_ballot")
    )


def test_the_same_voter_cannot_vote_twice_on_paper(client, login, admin_user, budget, db):
    login(admin_user)
    first, second, _ = project_ids(budget)
    enter(client, budget, "CNI 123456", [first])
    again = enter(client, budget, "  cni   123456 ", [second], station="Annexe")
    assert again.status_code == 422
    assert "This voter already has a paper ballot in this budget." in again.text
    assert len(paper_ballots(db)) == 1


def test_a_paper_ballot_follows_the_rules_of_the_vote(client, login, admin_user, budget, db):
    login(admin_user)
    refused = enter(client, budget, "CNI 1", project_ids(budget))
    assert refused.status_code == 422 and "over the budget" in refused.text
    assert paper_ballots(db) == []


def test_a_paper_ballot_needs_the_voters_identifier(client, login, admin_user, budget, db):
    login(admin_user)
    refused = enter(client, budget, " ", project_ids(budget)[:1])
    assert refused.status_code == 422 and "it prevents voting twice" in refused.text


def test_participants_do_not_reach_the_paper_pages(client, login, dummy_user, budget):
    login(dummy_user)
    assert client.get(admin_url(budget, "paper")).status_code == 403
    assert enter(client, budget, "CNI 1", project_ids(budget)[:1]).status_code == 403


def test_station_counts_are_recorded_and_replaced(client, login, admin_user, budget, db):
    login(admin_user)
    first, second, _ = project_ids(budget)
    data = {"station": "Salle des fêtes", f"votes-{first}": "120", f"votes-{second}": "45"}
    assert client.post(admin_url(budget, "stations"), data=data).status_code == 302
    data[f"votes-{first}"] = "121"
    client.post(admin_url(budget, "stations"), data=data)
    rows = db.session.execute(select(StationCount.project_id, StationCount.votes)).all()
    assert sorted(rows) == [(first, 121), (second, 45)]
    page = client.get(admin_url(budget, "stations") + "?station=Salle des fêtes").text
    assert 'value="121"' in page


def test_station_counts_refuse_negative_and_non_numbers(client, login, admin_user, budget, db):
    login(admin_user)
    first = project_ids(budget)[0]
    refused = client.post(
        admin_url(budget, "stations"), data={"station": "X", f"votes-{first}": "douze"}
    )
    assert refused.status_code == 422 and "Write whole numbers." in refused.text
    assert db.session.scalar(select(func.count()).select_from(StationCount)) == 0
