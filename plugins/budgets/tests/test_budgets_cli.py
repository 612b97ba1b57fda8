"""``brique budgets``: results straight from a Pabulib file or a budget, import and export."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from brique_budgets.cli import budgets_group
from brique_budgets.models import Ballot, Budget, Project
from brique_budgets.voting import compute_outcome, parse_pabulib, read_pabulib

SMALL = """META
key;value
description;Quartier Nord
country;France
num_projects;4
num_votes;5
budget;100000
vote_type;approval
PROJECTS
project_id;cost;name
1;40000;Trees
2;50000;Skate park
3;20000;Bike racks
4;5000;Bench
VOTES
voter_id;vote
a;1,2
b;2,3
c;3,4
d;1
e;2,4
"""


@pytest.fixture
def run(app):
    def invoke(*args):
        result = app.test_cli_runner().invoke(budgets_group, [str(arg) for arg in args])
        return result

    return invoke


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "nord.pb"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_results_of_a_file_print_the_winners_one_per_line(run, small_file):
    instance, profile = parse_pabulib(SMALL)
    for rule in ("greedy", "equal-shares"):
        expected = compute_outcome(instance, profile, rule).selected
        result = run("results", small_file, "--rule", rule)
        assert result.exit_code == 0 and result.stdout.split() == list(expected)


def test_results_refuse_a_completion_for_greedy(run, small_file):
    result = run("results", small_file, "--rule", "greedy", "--completion", "add1")
    assert result.exit_code != 0 and "equal-shares rules only" in result.output


def test_import_then_export_gives_back_the_same_election(
    run, small_file, dummy_space, db, tmp_path
):
    imported = run("import-pabulib", small_file, "--space", dummy_space.slug)
    assert imported.exit_code == 0, imported.output
    budget = db.session.scalar(select(Budget))
    assert (budget.title, budget.amount) == ("Quartier Nord", 100_000)
    assert db.session.scalar(select(func.count()).select_from(Project)) == 4
    assert db.session.scalar(select(func.count()).where(Ballot.cast_at.is_not(None))) == 5
    target = tmp_path / "out.pb"
    assert run("export-pabulib", budget.id, target).exit_code == 0
    instance, profile = read_pabulib(target)
    assert profile.total_weight == 5 and instance.budget == 100_000
    names = {project.id: project.name for project in instance.projects}
    winners = [names[pid] for pid in compute_outcome(instance, profile, "greedy").selected]
    original, votes = parse_pabulib(SMALL)
    expected = [
        p.name
        for p in original.projects
        if p.id in compute_outcome(original, votes, "greedy").selected
    ]
    assert sorted(winners) == sorted(expected)
    by_budget = run("results", "--budget", budget.id)
    assert by_budget.exit_code == 0 and len(by_budget.output.split()) == len(winners)


def test_the_exported_file_is_read_by_pabutools(run, small_file, dummy_space, db, tmp_path):
    pabutools = pytest.importorskip("pabutools.election")
    run("import-pabulib", small_file, "--space", dummy_space.slug)
    target = tmp_path / "out.pb"
    run("export-pabulib", db.session.scalar(select(Budget.id)), target)
    instance, profile = pabutools.parse_pabulib(str(target))
    assert len(instance) == 4 and profile.num_ballots() == 5
    voter_ids = [
        line.split(";")[0] for line in target.read_text().split("VOTES\n")[1].splitlines()[1:]
    ]
    receipts = set(db.session.scalars(select(Ballot.receipt_hash)))
    assert set(voter_ids) == receipts


def test_the_export_carries_the_profile_fields_asked_for(
    run, client, login, dummy_user, component, make_budget, db, tmp_path
):
    budget = make_budget(component, 100_000, [("Trees", 40_000), ("Bench", 5_000)])
    dummy_user.profile = {"age_band": "18-29"}
    db.session.commit()
    login(dummy_user)
    base = f"/processes/{component.space.slug}/c/{component.id}/{budget.id}/ballot"
    client.post(f"{base}/add", data={"project_id": budget.projects[0].id})
    client.post(f"{base}/cast")
    target = tmp_path / "out.pb"
    assert run("export-pabulib", budget.id, target, "--profile-field", "age_band").exit_code == 0
    votes = target.read_text().split("VOTES\n")[1].splitlines()
    assert votes[0] == "voter_id;vote;age_band" and votes[1].endswith(";18-29")
