"""Results: counted by the announced rule from online, paper and station votes; forced and
excluded projects with their reasons; published for everyone with the anonymised ballots."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests_budgets_support import project_ids

from brique.models import ActionLogEntry
from brique_budgets.models import Ballot, BallotItem, StationCount
from brique_budgets.results import collect_votes
from brique_budgets.voting import compute_outcome

PROJECTS = [("Trees", 40_000), ("Skate park", 50_000), ("Bike racks", 20_000), ("Bench", 5_000)]


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, 100_000, PROJECTS)


def admin_url(budget, path=""):
    return f"/admin/components/{budget.component_id}/budgets/{budget.id}/{path}"


def compute(client, budget, run_jobs):
    """Ask for the result as staff do, then let the worker compute it."""
    response = client.post(admin_url(budget, "results/compute"))
    assert response.status_code == 302
    assert run_jobs() == 1
    return response


def public_url(budget, path=""):
    component = budget.component
    return f"/processes/{component.space.slug}/c/{component.id}/{budget.id}/{path}"


@pytest.fixture
def cast(db, create_user):
    """``cast(budget, indexes, origin="online")``: a cast ballot choosing these projects."""
    made = []

    def make(budget, indexes, origin="online"):
        ids = project_ids(budget)
        ballot = Ballot(budget_id=budget.id, component_id=budget.component_id, origin=origin)
        if origin == "online":
            ballot.user_id = create_user(f"voter{len(made)}").id
        else:
            ballot.voter_hash = f"paper-{len(made)}"
        from brique.plugin_api import now
        from brique_budgets.ballots import new_receipt, receipt_hash

        code = new_receipt()
        ballot.receipt_code, ballot.receipt_hash, ballot.cast_at = code, receipt_hash(code), now()
        db.session.add(ballot)
        db.session.flush()
        for position, index in enumerate(indexes, 1):
            db.session.add(
                BallotItem(ballot_id=ballot.id, project_id=ids[index], position=position)
            )
        db.session.commit()
        made.append(ballot)
        return ballot

    return make


def test_the_result_counts_online_paper_and_station_votes(
    client, login, admin_user, budget, cast, db, run_jobs
):
    trees, skate, bikes, bench = project_ids(budget)
    cast(budget, [1, 3])
    cast(budget, [1])
    cast(budget, [0, 2], origin="paper")
    db.session.add(StationCount(budget_id=budget.id, station="Mairie", project_id=trees, votes=5))
    db.session.commit()
    login(admin_user)
    compute(client, budget, run_jobs)
    db.session.expire_all()
    rows = {row["project_id"]: row for row in budget.result["projects"]}
    assert (rows[trees]["online"], rows[trees]["paper"], rows[trees]["score"]) == (0, 6, 6)
    assert (rows[skate]["online"], rows[skate]["score"]) == (2, 2)
    # Greedy: Trees (6) then Skate park (2) fill 90,000; Bike racks no longer fits; Bench does.
    assert budget.result["selected"] == [trees, skate, bench]
    assert rows[bikes]["reason"] == "did-not-fit"


def test_the_stored_result_equals_the_voting_engine_on_the_same_votes(
    app, budget, cast, make_component, make_budget, db
):
    for indexes in ([0, 1], [1, 2], [2, 3], [0], [3]):
        cast(budget, indexes)
    from brique_budgets.results import compute_result

    result = compute_result(budget.component, budget, None)
    votes = collect_votes(budget.component, budget)
    outcome = compute_outcome(votes.instance, votes.profile, "greedy")
    assert result["selected"] == [int(pid) for pid in outcome.selected]


def test_equal_shares_is_used_when_announced(
    client, login, admin_user, make_component, make_budget, cast, db, run_jobs
):
    component = make_component(settings={"rule": "equal-shares", "completion": "add1"})
    budget = make_budget(component, 100_000, PROJECTS)
    for _ in range(3):
        cast(budget, [0, 1])
    cast(budget, [2, 3])
    login(admin_user)
    compute(client, budget, run_jobs)
    db.session.expire_all()
    assert budget.result["rule"] == "equal-shares"
    page = client.get(admin_url(budget, "results")).text
    assert "Method of Equal Shares gives every voter an equal share" in page


def test_forcing_and_excluding_projects_recompute_the_result_with_the_reason_logged(
    client, login, admin_user, budget, cast, db, run_jobs
):
    trees, skate, bikes, _ = project_ids(budget)
    for _ in range(3):
        cast(budget, [0, 1])
    login(admin_user)
    compute(client, budget, run_jobs)
    decide = admin_url(budget, f"../../budgets/{budget.id}/projects/{skate}/decision")
    decide = (
        f"/admin/components/{budget.component_id}/budgets/{budget.id}/projects/{skate}/decision"
    )
    client.post(decide, data={"decision": "exclude", "reason": "Incompatible with the trees"})
    assert run_jobs() == 1
    assert skate not in budget.result["selected"] and trees in budget.result["selected"]
    assert bikes in budget.result["selected"]
    entry = db.session.scalar(
        select(ActionLogEntry).where(ActionLogEntry.verb == "budgets.decide_project")
    )
    assert entry is not None
    page = client.get(admin_url(budget, "results")).text
    assert "Incompatible with the trees" in page


def test_a_decision_without_a_reason_is_refused(
    client, login, admin_user, budget, cast, db, run_jobs
):
    skate = project_ids(budget)[1]
    cast(budget, [1])
    login(admin_user)
    compute(client, budget, run_jobs)
    path = f"/admin/components/{budget.component_id}/budgets/{budget.id}/projects/{skate}/decision"
    client.post(path, data={"decision": "force", "reason": " "})
    db.session.expire_all()
    assert db.session.get(type(budget.projects[1]), skate).forced_winner is False


def test_results_are_public_only_once_published(
    client, login, admin_user, dummy_user, budget, cast, db, run_jobs
):
    cast(budget, [0])
    login(admin_user)
    compute(client, budget, run_jobs)
    login(dummy_user)
    assert client.get(public_url(budget, "results")).status_code == 404
    login(admin_user)
    client.post(admin_url(budget, "results/publish"))
    client.post("/logout")
    page = client.get(public_url(budget, "results"))
    assert page.status_code == 200 and "Trees" in page.text and "<svg" in page.text
    assert "Votes online" in page.text and "Votes on paper" in page.text


def test_the_published_ballots_carry_receipt_fingerprints_and_no_voter(
    client, login, admin_user, budget, cast, db, run_jobs
):
    ballot = cast(budget, [0, 3])
    login(admin_user)
    compute(client, budget, run_jobs)
    client.post(admin_url(budget, "results/publish"))
    client.post("/logout")
    data = client.get(public_url(budget, "ballots.csv")).text
    trees, _, _, bench = project_ids(budget)
    assert f"{ballot.receipt_hash};online;{trees},{bench}" in data
    assert ballot.receipt_code not in data and "voter0" not in data


def test_participants_do_not_reach_the_admin_results(client, login, dummy_user, budget):
    login(dummy_user)
    assert client.get(admin_url(budget, "results")).status_code == 403
    assert client.post(admin_url(budget, "results/compute")).status_code == 403


def test_an_inverted_budget_adopts_the_most_voted_savings_until_the_target(
    client, login, admin_user, make_component, make_budget, cast, db, run_jobs
):
    component = make_component(settings={"inverted": True})
    budget = make_budget(component, 60_000, PROJECTS)
    trees, skate, bikes, bench = project_ids(budget)
    for indexes in ([0, 1], [0, 2], [0, 3], [2, 3], [3]):
        cast(budget, indexes)
    login(admin_user)
    compute(client, budget, run_jobs)
    db.session.expire_all()
    # Votes: Trees 3, Bench 3, Bike racks 2, Skate park 1. Trees + Bench = 45,000 < 60,000;
    # Bike racks brings 65,000: the target is reached, the skate park is not needed.
    assert budget.result["selected"] == [trees, bench, bikes]
    rows = {row["project_id"]: row for row in budget.result["projects"]}
    assert rows[skate]["reason"] == "target-reached"
    page = client.get(admin_url(budget, "results")).text
    assert (
        "Savings adopted" in page and "Not needed: the savings target was already reached" in page
    )


# --- Computed in the background ------------------------------------------------------------


def test_while_the_result_is_computed_the_page_says_so_and_publishing_waits(
    client, login, admin_user, budget, cast, db, run_jobs
):
    cast(budget, [0])
    login(admin_user)
    compute(client, budget, run_jobs)
    client.post(admin_url(budget, "results/compute"))  # again: a worker has not run yet
    page = client.get(admin_url(budget, "results")).text
    assert "Computing the result, asked" in page and 'http-equiv="refresh"' in page
    assert "Publish the results" not in page and "Compute again" not in page
    refused = client.post(admin_url(budget, "results/publish"), follow_redirects=True)
    assert "Wait for the result being computed" in refused.text
    db.session.expire_all()
    assert budget.results_published_at is None
    assert run_jobs() == 1
    page = client.get(admin_url(budget, "results")).text
    assert "Computing the result" not in page and 'http-equiv="refresh"' not in page
    assert "Publish the results" in page


def test_a_job_of_an_older_request_leaves_the_work_to_the_newer_one(
    client, login, admin_user, budget, cast, db, run_jobs
):
    from brique.models import Job

    cast(budget, [0])
    login(admin_user)
    client.post(admin_url(budget, "results/compute"))
    client.post(admin_url(budget, "results/compute"))
    assert run_jobs() == 2
    computed = db.session.scalars(
        select(ActionLogEntry).where(ActionLogEntry.verb == "budgets.compute_result")
    ).all()
    assert len(computed) == 1  # the first job saw the second request and stood aside
    assert budget.result_requested_at is None and budget.result is not None
    assert {job.status for job in db.session.scalars(select(Job))} == {"done"}


def test_a_result_computed_while_a_newer_request_came_is_not_stored(
    app, client, login, admin_user, budget, cast, db, run_jobs, monkeypatch
):
    from brique_budgets import result_jobs

    cast(budget, [0])
    login(admin_user)
    client.post(admin_url(budget, "results/compute"))
    real = result_jobs.compute_result

    stored = []

    def staff_ask_again_meanwhile(component, counted, user, progress=None):
        if not stored:  # the first job: another request comes in, in its own session
            with app.app_context():
                result_jobs.request_result(db.session.get(type(counted), counted.id), None)
                db.session.commit()
        stored.append(counted.result_request)
        return real(component, counted, user, progress)

    monkeypatch.setattr(result_jobs, "compute_result", staff_ask_again_meanwhile)
    assert run_jobs() == 2  # the newer request's job runs after the first
    computed = db.session.scalars(
        select(ActionLogEntry).where(ActionLogEntry.verb == "budgets.compute_result")
    ).all()
    assert len(stored) == 2 and len(computed) == 1  # the first result was not kept
    assert budget.result is not None and budget.result_requested_at is None


def test_a_failed_computation_is_told_to_the_staff_not_tried_again(
    client, login, admin_user, budget, cast, db, run_jobs, monkeypatch
):
    from brique_budgets import result_jobs

    def broken(*args, **kwargs):
        raise ValueError("the votes could not be read")

    cast(budget, [0])
    login(admin_user)
    monkeypatch.setattr(result_jobs, "compute_result", broken)
    client.post(admin_url(budget, "results/compute"))
    assert run_jobs() == 1
    assert budget.result is None and budget.result_requested_at is None
    page = client.get(admin_url(budget, "results")).text
    assert "The last computation failed: the votes could not be read" in page
    assert "Compute the result" in page
    assert run_jobs() == 0


def test_the_count_writes_how_far_it_is_for_the_results_page(
    client, login, admin_user, make_component, make_budget, cast, db, run_jobs, monkeypatch
):
    from sqlalchemy import text

    from brique_budgets import result_jobs

    component = make_component(settings={"rule": "equal-shares"})
    budget = make_budget(component, 100_000, PROJECTS)
    for indexes in ([0, 1], [1, 2], [2, 3], [3]):
        cast(budget, indexes)
    monkeypatch.setattr(result_jobs, "PROGRESS_EVERY", -1)  # write at every step
    seen = []
    write = result_jobs._Progress.__call__

    def watched(progress, done, total):
        write(progress, done, total)
        with db.engine.connect() as other:  # what the results page would read meanwhile
            query = text("SELECT result_progress FROM budgets_budgets WHERE id = :id")
            seen.append(other.execute(query, {"id": budget.id}).scalar())

    monkeypatch.setattr(result_jobs._Progress, "__call__", watched)
    login(admin_user)
    compute(client, budget, run_jobs)
    assert seen and all(0 <= percent <= 99 for percent in seen)
    assert budget.result is not None and budget.result_progress is None
