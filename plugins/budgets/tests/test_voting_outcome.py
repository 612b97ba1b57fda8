"""What ``compute_outcome`` tells a results page, and what it refuses."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from brique_budgets.voting import (
    Ballot,
    Instance,
    Profile,
    Project,
    Reason,
    Stage,
    Tally,
    compute_outcome,
)


def election(costs: dict[str, int], budget: int, *ballots: tuple[str, ...], vote_type="approval"):
    instance = Instance(budget, [Project(pid, cost) for pid, cost in costs.items()])
    return instance, Profile(vote_type, [Ballot(tuple(b)) for b in ballots])


def test_greedy_funds_by_score_and_passes_over_what_does_not_fit():
    instance, profile = election(
        {"a": 60, "b": 50, "c": 30, "d": 10}, 100, "ab", "ab", "abc", "bcd", "b", "d"
    )
    outcome = compute_outcome(instance, profile, "greedy")
    assert outcome.selected == ("b", "c", "d")
    assert outcome.result("a").reason == Reason.DID_NOT_FIT
    assert [outcome.result(pid).rank for pid in "bcd"] == [1, 2, 3]
    assert outcome.result("b").score == 5 and outcome.cost == 90


def test_greedy_without_skipping_stops_at_the_first_project_that_does_not_fit():
    instance, profile = election({"a": 60, "b": 50, "c": 30}, 100, "ab", "ab", "abc", "b")
    outcome = compute_outcome(instance, profile, "greedy-no-skip")
    assert outcome.selected == ("b",)
    assert outcome.result("a").reason == Reason.DID_NOT_FIT
    assert outcome.result("c").reason == Reason.NOT_REACHED


def test_projects_below_the_threshold_are_never_funded():
    instance, profile = election({"a": 10, "b": 10, "c": 10}, 100, "ab", "ab", "a", "c")
    outcome = compute_outcome(instance, profile, "greedy-threshold", threshold=2)
    assert outcome.selected == ("a", "b")
    assert outcome.result("c").reason == Reason.BELOW_THRESHOLD


def test_greedy_threshold_needs_a_threshold():
    instance, profile = election({"a": 10}, 100, "a")
    with pytest.raises(ValueError, match="threshold"):
        compute_outcome(instance, profile, "greedy-threshold")


def test_ties_go_to_the_lowest_project_id_compared_as_text():
    instance, profile = election({"p10": 60, "p9": 60}, 100, ["p9", "p10"])
    assert compute_outcome(instance, profile, "greedy").selected == ("p10",)
    assert compute_outcome(instance, profile, "equal-shares").selected == ("p10",)


def test_forced_projects_are_funded_first_and_the_rule_shares_what_is_left():
    instance, profile = election({"a": 50, "b": 40, "c": 30}, 100, "ab", "ab", "b", "c")
    outcome = compute_outcome(instance, profile, "greedy", forced=["c"])
    assert outcome.selected == ("c", "b")
    assert outcome.result("c").stage == Stage.FORCED
    assert outcome.result("a").reason == Reason.DID_NOT_FIT


def test_excluded_projects_are_never_funded():
    instance, profile = election({"a": 50, "b": 40}, 100, "ab", "ab")
    outcome = compute_outcome(instance, profile, "equal-shares", excluded=["a"])
    assert outcome.selected == ("b",)
    assert outcome.result("a").reason == Reason.EXCLUDED


@pytest.mark.parametrize(
    ("forced", "excluded", "message"),
    [
        (["a"], ["a"], "both forced and excluded"),
        (["a", "b"], [], "cost more than the budget"),
        (["z"], [], "not in the instance"),
    ],
)
def test_impossible_organiser_choices_are_refused(forced, excluded, message):
    instance, profile = election({"a": 60, "b": 50}, 100, "ab")
    with pytest.raises(ValueError, match=message):
        compute_outcome(instance, profile, "greedy", forced=forced, excluded=excluded)


def test_equal_shares_funds_what_each_group_can_pay_with_its_share():
    # 3 voters want a, 1 wants b: b's supporter holds a quarter of the budget, enough for b.
    instance, profile = election({"a": 75, "b": 25, "c": 30}, 100, "ac", "a", "a", "b")
    outcome = compute_outcome(instance, profile, "equal-shares")
    assert outcome.selected == ("a", "b")
    assert outcome.result("c").reason == Reason.UNAFFORDABLE
    assert outcome.result("a").effective_votes == pytest.approx(3)
    assert outcome.voter_budget == 25


def test_equal_shares_completions_spend_what_equal_shares_leaves():
    instance, profile = election({"a": 60, "b": 30, "c": 40}, 100, "ab", "ab", "c", "b")
    plain = compute_outcome(instance, profile, "equal-shares")
    completed = compute_outcome(instance, profile, "equal-shares", "greedy")
    assert completed.selected[: len(plain.selected)] == plain.selected
    assert completed.cost > plain.cost
    added = completed.selected[len(plain.selected)]
    assert completed.result(added).stage == Stage.COMPLETION


def test_add_one_raises_the_voters_share():
    instance, profile = election({"a": 60, "b": 30, "c": 40}, 100, "ab", "ab", "c", "b")
    outcome = compute_outcome(instance, profile, "equal-shares", "add1")
    assert outcome.voter_budget > Fraction(100, 4)
    assert outcome.cost <= 100


def test_a_completion_goes_with_equal_shares_only():
    instance, profile = election({"a": 60}, 100, "a")
    with pytest.raises(ValueError, match="only Equal Shares"):
        compute_outcome(instance, profile, "greedy", "add1")


def test_unknown_rules_and_completions_are_named_in_the_error():
    instance, profile = election({"a": 60}, 100, "a")
    with pytest.raises(ValueError, match="unknown rule 'mes'"):
        compute_outcome(instance, profile, "mes")
    with pytest.raises(ValueError, match="unknown completion"):
        compute_outcome(instance, profile, "equal-shares", "add2")


def test_projects_nobody_supports_are_reported_as_such():
    instance, profile = election({"a": 10, "b": 10, "c": 95}, 100, "a", "c")
    for rule in ("equal-shares", "phragmen"):
        assert compute_outcome(instance, profile, rule).result("b").reason == Reason.NO_SUPPORT


def test_phragmen_stops_at_the_first_project_that_does_not_fit():
    costs = {"a": 70, "b": 40, "c": 10, "d": 49}
    instance, profile = election(costs, 100, "ab", "ab", "b", "c", "d")
    outcome = compute_outcome(instance, profile, "phragmen")
    assert outcome.selected == ("c", "b")
    assert outcome.result("a").reason == Reason.DID_NOT_FIT
    assert outcome.result("d").reason == Reason.NOT_REACHED


def test_phragmen_refuses_cumulative_and_ordinal_votes():
    instance = Instance(10, [Project("a", 5)])
    profile = Profile("ordinal", [Ballot(("a",))])
    with pytest.raises(ValueError, match="approval votes only"):
        compute_outcome(instance, profile, "phragmen")


def test_cumulative_ballots_score_their_points_and_ordinal_ballots_borda_points():
    instance = Instance(100, [Project(pid, 10) for pid in "abc"])
    points = Profile("cumulative", [Ballot(("a", "b"), (1, 2)), Ballot(("c",), (2,))])
    ranks = Profile("ordinal", [Ballot(("a", "b", "c")), Ballot(("b", "a"))])
    assert [line.score for line in compute_outcome(instance, points, "greedy").projects] == [
        1,
        2,
        2,
    ]
    assert [line.score for line in compute_outcome(instance, ranks, "greedy").projects] == [2, 2, 0]


def test_progress_is_reported_during_equal_shares():
    instance, profile = election({"a": 60, "b": 30, "c": 40}, 100, "ab", "ab", "c", "b")
    calls = []
    compute_outcome(instance, profile, "equal-shares", progress=lambda *c: calls.append(c))
    assert calls and all(total == 3 for _, total in calls)
    calls.clear()
    compute_outcome(instance, profile, "equal-shares", "add1", progress=lambda *c: calls.append(c))
    assert [done for done, _ in calls] == list(range(1, len(calls) + 1))


def test_a_tally_can_be_reused_for_several_rules():
    instance, profile = election({"a": 60, "b": 30}, 100, "ab", "b")
    tally = Tally(instance, profile)
    assert compute_outcome(instance, profile, "greedy", tally=tally).selected == ("b", "a")
    assert compute_outcome(instance, profile, "phragmen", tally=tally).selected == ("b", "a")


def test_prices_closer_than_float_precision_are_compared_exactly():
    # "b" costs 1,000,000,001 for 1,000,000,000 supporters, "a" 1,000,000,000 for 999,999,999:
    # b's price per supporter is lower by one part in 10**18, yet both prices are the same
    # float, on which the tie would go to "a", the lower id.
    instance = Instance(3 * 10**9, [Project("a", 10**9), Project("b", 10**9 + 1)])
    profile = Profile("approval", [Ballot(("b",), weight=10**9), Ballot(("a",), weight=10**9 - 1)])
    assert (10**9 + 1) / 10**9 == 10**9 / (10**9 - 1)  # the floats cannot tell them apart
    outcome = compute_outcome(instance, profile, "equal-shares-cardinality")
    assert outcome.selected == ("b", "a")


def test_money_is_exact_and_floats_are_refused():
    assert Project("a", Decimal("0.1")).cost + Project("b", "0,2").cost == Fraction(3, 10)
    with pytest.raises(TypeError, match="exact"):
        Project("a", 0.1)
    with pytest.raises(ValueError, match="negative"):
        Instance(-5, [])


@pytest.mark.parametrize(
    ("vote_type", "ballot", "message"),
    [
        ("approval", Ballot(("a", "a")), "same project twice"),
        ("approval", Ballot(("a",), weight=0), "weight"),
        ("choose-1", Ballot(("a", "b")), "one project at most"),
        ("cumulative", Ballot(("a",)), "points"),
        ("cumulative", Ballot(("a",), (-1,)), "whole numbers"),
        ("approval", Ballot(("a",), (1,)), "points"),
    ],
)
def test_ballots_the_rules_cannot_count_are_refused(vote_type, ballot, message):
    with pytest.raises(ValueError, match=message):
        Profile(vote_type, [ballot])


def test_a_ballot_naming_an_unknown_project_is_refused():
    instance, profile = election({"a": 10}, 100, ["a", "zz"])
    with pytest.raises(ValueError, match="'zz'"):
        compute_outcome(instance, profile, "greedy")
