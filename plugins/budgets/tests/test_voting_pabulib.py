"""Reading and writing Pabulib files, checked against pabutools' own parser."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from brique_budgets.voting import (
    Ballot,
    Instance,
    Profile,
    Project,
    compute_outcome,
    format_pabulib,
    parse_pabulib,
    read_pabulib,
)
from brique_budgets.voting.pabulib import format_money

SAMPLE = """\ufeffMETA
key;value
description;"A test; with a semicolon"
num_projects;3
num_votes;5
budget;100,5
vote_type;approval
PROJECTS
project_id;cost;votes;name;category
1;40,25;3;"Park ""green"" corner";nature,culture
2;30;2;Library;none
3;50;0;Bikes;

VOTES
voter_id;vote;age;sex
v1;1,2;34;F
v2;1;none;M
v3;;51;F
v4;2,1,1;;
"v;5";3,1;20;M
"""


def ballots_of(profile: Profile) -> list:
    """The ballots, one per voter, in a form that compares across libraries."""
    if profile.vote_type == "cumulative":
        made = [tuple(sorted(zip(b.projects, b.points, strict=True))) for b in profile.ballots]
    elif profile.vote_type == "ordinal":
        made = [tuple(b.projects) for b in profile.ballots]
    else:
        made = [tuple(sorted(b.projects)) for b in profile.ballots]
    weights = [ballot.weight for ballot in profile.ballots]
    return [ballot for ballot, weight in zip(made, weights, strict=True) for _ in range(weight)]


def pabutools_ballots(pprofile) -> list:
    from pabutools.election import AbstractCardinalBallot, AbstractOrdinalBallot

    def one(ballot):
        if isinstance(ballot, AbstractCardinalBallot):
            return tuple(sorted((p.name, int(ballot[p])) for p in ballot))
        if isinstance(ballot, AbstractOrdinalBallot):
            return tuple(p.name for p in ballot)
        return tuple(sorted(p.name for p in ballot))

    return [one(ballot) for ballot in pprofile]


def assert_pabutools_reads_the_same(text: str, instance: Instance, profile: Profile) -> None:
    from pabutools.election.pabulib import parse_pabulib_from_string

    pinstance, pprofile = parse_pabulib_from_string(text.lstrip("\ufeff"))
    assert pinstance.budget_limit == instance.budget
    assert {p.name: p.cost for p in pinstance} == {p.id: p.cost for p in instance.projects}
    assert pabutools_ballots(pprofile) == ballots_of(profile)


def test_a_file_is_read_as_pabutools_reads_it(pabutools):
    instance, profile = parse_pabulib(SAMPLE)
    assert instance.budget == Fraction(201, 2)
    assert instance.project("1").cost == Fraction(161, 4)
    assert instance.meta["description"] == "A test; with a semicolon"
    assert_pabutools_reads_the_same(SAMPLE, instance, profile)


def test_project_columns_and_voter_fields_are_kept():
    instance, profile = parse_pabulib(SAMPLE)
    park = instance.project("1")
    assert (park.name, park.categories, park.extra) == (
        'Park "green" corner',
        ("nature", "culture"),
        {"votes": "3"},
    )
    assert instance.project("2").category is None
    assert profile.ballots[0].fields == {"age": "34", "sex": "F"}
    assert profile.ballots[1].fields == {"sex": "M"}  # "none" means unknown
    assert profile.ballots[4].voter_id == "v;5"


def test_an_empty_vote_is_a_blank_ballot_and_a_repeated_project_counts_once():
    _, profile = parse_pabulib(SAMPLE)
    assert profile.ballots[2].projects == ()
    assert profile.ballots[3].projects == ("2", "1")


def test_cumulative_points_may_be_written_as_decimals():
    text = SAMPLE.replace("approval", "cumulative").replace(
        "voter_id;vote;", "voter_id;vote;points;"
    )
    text = text.replace("v1;1,2;", "v1;1,2;2.0,1;").replace("v2;1;", "v2;1;3;")
    text = text.replace("v3;;", "v3;;;").replace("v4;2,1,1;", "v4;2,1;1,1;")
    text = text.replace('"v;5";3,1;', '"v;5";3,1;2,1;')
    _, profile = parse_pabulib(text)
    assert (profile.ballots[0].projects, profile.ballots[0].points) == (("1", "2"), (2, 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("v1;1,2;", "v1;1,9;"), "ballot 1 names unknown project '9'"),
        (("vote_type;approval", "vote_type;scoring"), "not supported"),
        (("budget;100,5\n", ""), "no 'budget'"),
    ],
)
def test_a_broken_file_is_refused_with_the_reason(change, message):
    with pytest.raises(ValueError, match=message):
        parse_pabulib(SAMPLE.replace(*change))


def assert_same_election(again, profile_again, instance, profile) -> None:
    assert (again.budget, again.projects) == (instance.budget, instance.projects)
    assert profile_again == profile
    kept = {key: again.meta.get(key) for key in instance.meta if key != "budget"}
    assert kept == {key: value for key, value in instance.meta.items() if key != "budget"}


def test_an_election_survives_writing_and_reading_back():
    instance, profile = parse_pabulib(SAMPLE)
    assert_same_election(*parse_pabulib(format_pabulib(instance, profile)), instance, profile)


def test_weighted_ballots_are_written_as_that_many_lines():
    instance = Instance(10, [Project("a", 4)])
    profile = Profile("approval", [Ballot(("a",), weight=3, voter_id="station-1"), Ballot(())])
    text = format_pabulib(instance, profile)
    _, read = parse_pabulib(text)
    assert [b.voter_id for b in read.ballots] == ["station-1-1", "station-1-2", "station-1-3", "2"]
    assert "num_votes;4" in text


def test_money_is_written_exactly_or_refused():
    assert [format_money(Fraction(x)) for x in ("12", "0.05", "1234.5")] == ["12", "0.05", "1234.5"]
    with pytest.raises(ValueError, match="no exact decimal form"):
        format_money(Fraction(1, 3))


@pytest.mark.parametrize("vote_type", ["approval", "cumulative", "ordinal", "choose-1"])
def test_pabutools_reads_what_is_written_and_finds_the_same_outcome(pabutools, vote_type):
    rng = random.Random(f"round-trip-{vote_type}")
    for _ in range(30):
        instance, profile = _random_election(rng, vote_type)
        text = format_pabulib(instance, profile)
        assert_pabutools_reads_the_same(text, instance, profile)
        again, profile_again = parse_pabulib(text)
        for rule, completion in (("greedy", None), ("equal-shares", "add1")):
            expected = pabutools.outcome(again, profile_again, rule, completion)
            assert list(compute_outcome(instance, profile, rule, completion).selected) == expected


def _random_election(rng: random.Random, vote_type: str):
    costs = [
        Fraction(rng.randint(1, 400), rng.choice((1, 2, 4, 10))) for _ in range(rng.randint(1, 8))
    ]
    projects = [Project(f"P-{n}", cost, name=f"Project; {n}") for n, cost in enumerate(costs)]
    instance = Instance(sum(costs) * rng.randint(2, 8) / 10, projects, {"description": "x"})
    ids = [project.id for project in projects]
    ballots = []
    for number in range(rng.randint(1, 15)):
        chosen = tuple(rng.sample(ids, rng.randint(0, 1 if vote_type == "choose-1" else len(ids))))
        points = tuple(rng.randint(1, 3) for _ in chosen) if vote_type == "cumulative" else None
        fields = {"age": str(rng.randint(16, 90))} if number % 2 else None
        ballots.append(Ballot(chosen, points, rng.choice((1, 1, 2)), fields=fields))
    return instance, Profile(vote_type, ballots)


@pytest.mark.parametrize(
    "name",
    [
        "Poland_Swiecie_2023",
        "Poland_Wieliczka_2023_Green_Budget",
        "France_Toulouse_2022",
        "Switzerland_Zurich_D10",
        "Switzerland_Zurich_S5R",
        "US_Stanford_Dataset_2022_Jersey_City_Ward_E_vote_knapsacks",
    ],
)
def test_real_files_are_read_as_pabutools_reads_them_and_written_back(
    pabutools, pabulib_file, name
):
    path = pabulib_file(name)
    instance, profile = read_pabulib(path)
    assert_pabutools_reads_the_same(path.read_text(encoding="utf-8-sig"), instance, profile)
    assert_pabutools_reads_the_same(format_pabulib(instance, profile), instance, profile)


@pytest.mark.parametrize(
    "name", ["Poland_Lodz_2022", "Poland_Warszawa_2026", "Poland_Katowice_2023"]
)
def test_large_real_files_survive_writing_and_reading_back(pabulib_file, name):
    instance, profile = read_pabulib(pabulib_file(name))
    assert_same_election(*parse_pabulib(format_pabulib(instance, profile)), instance, profile)
