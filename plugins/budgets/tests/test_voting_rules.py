"""Every rule gives pabutools' outcome, ties included, on many small random elections.

Small whole-number costs and few voters make ties and exact equalities frequent: a project
costing exactly what its supporters hold, two projects with the same price after a few
rounds. That is where floats and exact fractions disagree, so that is what is generated.
"""

from __future__ import annotations

import random

import pytest

from brique_budgets.voting import Ballot, Instance, Profile, Project, compute_outcome

VOTE_TYPES = ("approval", "cumulative", "ordinal", "choose-1")
ELECTIONS_PER_CASE = 400


def random_election(rng: random.Random, vote_type: str, knapsack: bool = False):
    """An election with up to 9 projects costing 1 to 10 (sometimes 0) and up to 16 ballots,
    some of them weighted; knapsack ballots fit a cost limit."""
    count = rng.randint(1, 9)
    costs = [
        rng.randint(0, 10) if rng.random() < 0.06 else rng.randint(1, 10) for _ in range(count)
    ]
    projects = [Project(f"p{number}", cost) for number, cost in enumerate(costs)]
    instance = Instance(rng.randint(1, sum(costs) + 3), projects)
    ballots = [random_ballot(rng, vote_type, projects, knapsack) for _ in range(rng.randint(0, 16))]
    return instance, Profile(vote_type, ballots)


def random_ballot(rng: random.Random, vote_type: str, projects: list[Project], knapsack: bool):
    ids = [project.id for project in projects]
    size = rng.randint(0, 1 if vote_type == "choose-1" else min(len(ids), rng.choice((2, 3, 9))))
    chosen = rng.sample(ids, size)
    if knapsack:
        limit = rng.randint(5, 15)
        while sum(projects[ids.index(pid)].cost for pid in chosen) > limit:
            chosen.pop()
    points = tuple(rng.randint(0, 4) for _ in chosen) if vote_type == "cumulative" else None
    return Ballot(tuple(chosen), points, weight=rng.choice((1, 1, 1, 2, 3)))


def assert_same_outcome(ours, theirs, instance: Instance, rule: str, context=None) -> None:
    """Same projects in the same order. Free projects are compared as a set (pabutools adds
    them in set order), and Phragmén's as a set (pabutools sorts its result)."""

    def free(ids):
        return sorted(pid for pid in ids if instance.project(pid).cost == 0)

    def paid(ids):
        return [pid for pid in ids if instance.project(pid).cost != 0]

    if rule == "phragmen":
        ours, theirs = sorted(ours), sorted(theirs)
    assert (paid(ours), free(ours)) == (paid(theirs), free(theirs)), context


def check_against_pabutools(pabutools, seed: str, vote_type: str, rule: str, completion=None):
    rng = random.Random(seed)
    for number in range(ELECTIONS_PER_CASE):
        instance, profile = random_election(rng, vote_type, knapsack=number % 3 == 0)
        ours = compute_outcome(instance, profile, rule, completion).selected
        theirs = pabutools.outcome(instance, profile, rule, completion)
        assert_same_outcome(ours, theirs, instance, rule, (number, instance, profile))


@pytest.mark.parametrize("vote_type", VOTE_TYPES)
@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip"])
def test_greedy_rules_match_pabutools(pabutools, vote_type, rule):
    check_against_pabutools(pabutools, f"{rule}-{vote_type}", vote_type, rule)


@pytest.mark.parametrize("vote_type", VOTE_TYPES)
@pytest.mark.parametrize("rule", ["equal-shares", "equal-shares-cardinality"])
@pytest.mark.parametrize("completion", [None, "add1", "greedy", "add1-greedy"])
def test_equal_shares_matches_pabutools(pabutools, vote_type, rule, completion):
    check_against_pabutools(
        pabutools, f"{rule}-{completion}-{vote_type}", vote_type, rule, completion
    )


@pytest.mark.parametrize("vote_type", ["approval", "choose-1"])
def test_phragmen_matches_pabutools(pabutools, vote_type):
    check_against_pabutools(pabutools, f"phragmen-{vote_type}", vote_type, "phragmen")


@pytest.mark.parametrize("vote_type", VOTE_TYPES)
def test_forced_excluded_and_threshold_match_pabutools_without_those_projects(pabutools, vote_type):
    rng = random.Random(f"choices-{vote_type}")
    rules = [("greedy-threshold", None), ("equal-shares", "add1"), ("equal-shares", "greedy")]
    for number in range(ELECTIONS_PER_CASE):
        instance, profile = random_election(rng, vote_type)
        ids = [project.id for project in instance.projects]
        forced = rng.sample(ids, min(len(ids), rng.randint(0, 2)))
        while sum(instance.project(pid).cost for pid in forced) > instance.budget:
            forced.pop()
        excluded = [pid for pid in rng.sample(ids, min(len(ids), 2)) if pid not in forced]
        threshold = rng.randint(0, 6)
        for rule, completion in rules:
            choices = {"threshold": threshold, "forced": forced, "excluded": excluded}
            ours = compute_outcome(instance, profile, rule, completion, **choices).selected
            theirs = pabutools.outcome(instance, profile, rule, completion, **choices)
            assert_same_outcome(ours, theirs, instance, rule, (number, choices, instance, profile))


def election_of_few_kinds(rng: random.Random, vote_type: str):
    """An election where voters cast a few distinct ballots many times each, some as that
    many ballots, some as one ballot of a large weight: Equal Shares groups identical ballots,
    and counts large weights apart."""
    instance, _ = random_election(rng, vote_type)
    kinds = [random_ballot(rng, vote_type, list(instance.projects), False) for _ in range(3)]
    ballots = []
    for _ in range(rng.randint(1, 12)):
        kind = rng.choice(kinds)
        weight = rng.choice((1, 2, 5, 9, 17))
        copies = [Ballot(kind.projects, kind.points)] * weight
        ballots += [Ballot(kind.projects, kind.points, weight)] if rng.random() < 0.5 else copies
    return instance, Profile(vote_type, ballots)


@pytest.mark.parametrize("vote_type", VOTE_TYPES)
def test_many_identical_ballots_match_pabutools(pabutools, vote_type):
    rng = random.Random(f"kinds-{vote_type}")
    for number in range(ELECTIONS_PER_CASE // 2):
        instance, profile = election_of_few_kinds(rng, vote_type)
        for rule in ("equal-shares", "equal-shares-cardinality"):
            ours = compute_outcome(instance, profile, rule, "add1").selected
            theirs = pabutools.outcome(instance, profile, rule, "add1", grouped=True)
            assert_same_outcome(ours, theirs, instance, rule, (number, instance, profile))


@pytest.mark.parametrize("vote_type", VOTE_TYPES)
def test_add_one_ends_on_what_equal_shares_funds_with_the_share_it_reports(vote_type):
    """The add-one completion's result is Equal Shares alone, run with the share it reports:
    no run of the completion may leave anything to the next."""
    rng = random.Random(f"add1-share-{vote_type}")
    for number in range(ELECTIONS_PER_CASE):
        instance, profile = random_election(rng, vote_type, knapsack=number % 3 == 0)
        for rule in ("equal-shares", "equal-shares-cardinality"):
            outcome = compute_outcome(instance, profile, rule, "add1")
            check_equal_shares_alone_with_the_share(instance, profile, rule, outcome)


def check_equal_shares_alone_with_the_share(instance, profile, rule, outcome) -> None:
    """Equal Shares without completion, with the budget that gives each voter the share
    ``outcome`` reports, funds the same projects at the same prices."""
    budget = outcome.voter_budget * max(profile.total_weight, 1)
    alone = compute_outcome(Instance(budget, instance.projects), profile, rule)
    assert alone.voter_budget == outcome.voter_budget
    assert alone.selected == outcome.selected
    assert [line.effective_votes for line in alone.projects] == [
        line.effective_votes for line in outcome.projects
    ]


@pytest.mark.parametrize("rule", ["equal-shares", "equal-shares-cardinality", "phragmen"])
def test_a_weighted_ballot_counts_as_that_many_identical_ballots(rule):
    rng = random.Random(f"weights-{rule}")
    for _ in range(ELECTIONS_PER_CASE):
        instance, profile = random_election(rng, "approval")
        spread = [Ballot(b.projects) for b in profile.ballots for _ in range(b.weight)]
        expected = compute_outcome(
            instance, Profile("approval", spread), rule, "add1" if rule != "phragmen" else None
        )
        outcome = compute_outcome(instance, profile, rule, "add1" if rule != "phragmen" else None)
        assert outcome.selected == expected.selected


def test_larger_elections_with_many_voters_match_pabutools(pabutools):
    """Hundreds of voters and costs in the thousands: long runs where float errors add up."""
    rng = random.Random("larger")
    for vote_type in VOTE_TYPES:
        for _ in range(6):
            projects = [
                Project(f"p{n:02}", rng.randint(1, 40) * 250) for n in range(rng.randint(5, 25))
            ]
            instance = Instance(sum(p.cost for p in projects) * rng.randint(2, 6) // 10, projects)
            ballots = [
                random_ballot(rng, vote_type, projects, False) for _ in range(rng.randint(50, 400))
            ]
            profile = Profile(vote_type, ballots)
            for rule in ("greedy", "equal-shares", "equal-shares-cardinality"):
                ours = compute_outcome(
                    instance, profile, rule, "greedy" if "shares" in rule else None
                )
                theirs = pabutools.outcome(
                    instance, profile, rule, "greedy" if "shares" in rule else None
                )
                assert_same_outcome(ours.selected, theirs, instance, rule)
