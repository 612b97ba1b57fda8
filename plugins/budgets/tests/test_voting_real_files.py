"""The rules on real elections from Pabulib: the cities' published results, and pabutools'.

pabutools takes minutes for Equal Shares on the largest files, so these are checked with the
greedy rules only; Equal Shares is checked on the smaller ones.
"""

from __future__ import annotations

import pytest

from brique_budgets.voting import Instance, compute_outcome, read_pabulib

SMALL_APPROVAL = [
    "Poland_Swiecie_2023",
    "Poland_Wieliczka_2023_Green_Budget",
    "France_Toulouse_2022",
    "US_Stanford_Dataset_2022_Jersey_City_Ward_E_vote_knapsacks",
]
SMALL_OTHERS = ["Switzerland_Zurich_D10", "Switzerland_Zurich_S5R"]
# add1 runs Equal Shares once per unit of currency added to the shares: hundreds of times
TINY = [
    "Poland_Swiecie_2023",
    "US_Stanford_Dataset_2022_Jersey_City_Ward_E_vote_knapsacks",
    *SMALL_OTHERS,
]


def threshold_of(instance) -> int | None:
    value = instance.meta.get("min_project_score_threshold")
    return int(value) if value else None


@pytest.mark.parametrize(
    ("name", "rule", "completion"),
    [
        ("Poland_Lodz_2022", "greedy-threshold", None),
        ("Poland_Warszawa_2026", "greedy-threshold", None),
        ("Poland_Katowice_2023", "greedy-threshold", None),
        ("Poland_Swiecie_2023", "equal-shares", "add1"),
    ],
)
def test_the_cities_published_results_are_found(pabulib_file, name, rule, completion):
    instance, profile = read_pabulib(pabulib_file(name))
    outcome = compute_outcome(instance, profile, rule, completion, threshold_of(instance))
    published = {p.id for p in instance.projects if p.extra.get("selected") == "1"}
    assert set(outcome.selected) == published


@pytest.mark.parametrize(
    "name", ["Poland_Lodz_2022", "Poland_Warszawa_2026", "Poland_Katowice_2023"]
)
def test_greedy_rules_on_large_files_match_pabutools(pabutools, pabulib_file, name):
    from pabutools.election import parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare

    path = pabulib_file(name)
    instance, profile = read_pabulib(path)
    pinstance, pprofile = parse_pabulib(str(path))
    scores = ScoresTimesCost(pprofile)
    for threshold in (None, threshold_of(instance)):
        kept = [p for p in pinstance if threshold is None or scores.score(p) >= threshold]
        pinstance_kept = type(pinstance)(kept, budget_limit=pinstance.budget_limit)
        theirs = greedy_utilitarian_welfare(
            pinstance_kept, pprofile, sat_profile=scores, is_sat_additive=True
        )
        ours = compute_outcome(instance, profile, "greedy", threshold=threshold)
        assert list(ours.selected) == [project.name for project in theirs]


class ScoresTimesCost:
    """The satisfaction profile pabutools' greedy rule asks for (each project's total
    satisfaction: its score times its cost, as with ``Cost_Sat`` on approval ballots),
    counted in one pass because ``profile.as_sat_profile`` takes minutes on 90,000 ballots."""

    def __init__(self, pprofile) -> None:
        self.scores: dict[str, int] = {}
        for ballot in pprofile:
            for project in ballot:
                points = ballot[project] if isinstance(ballot, dict) and ballot[project] else 1
                self.scores[project.name] = self.scores.get(project.name, 0) + int(points)

    def score(self, project) -> int:
        return self.scores.get(project.name, 0)

    def total_satisfaction_project(self, project):
        return self.score(project) * project.cost


@pytest.mark.parametrize("name", SMALL_APPROVAL + SMALL_OTHERS)
@pytest.mark.parametrize("rule", ["equal-shares", "equal-shares-cardinality"])
@pytest.mark.parametrize("completion", [None, "greedy"])
def test_equal_shares_on_real_files_matches_pabutools(
    pabutools, pabulib_file, name, rule, completion
):
    instance, profile = read_pabulib(pabulib_file(name))
    ours = compute_outcome(instance, profile, rule, completion)
    theirs = pabutools.outcome(instance, profile, rule, completion, grouped=True)
    assert list(ours.selected) == theirs


@pytest.mark.parametrize("name", TINY)
@pytest.mark.parametrize("rule", ["equal-shares", "equal-shares-cardinality"])
def test_equal_shares_with_add_one_on_real_files_matches_pabutools(
    pabutools, pabulib_file, name, rule
):
    instance, profile = read_pabulib(pabulib_file(name))
    ours = compute_outcome(instance, profile, rule, "add1")
    assert list(ours.selected) == pabutools.outcome(instance, profile, rule, "add1", grouped=True)


@pytest.mark.parametrize(
    "name", ["Poland_Lodz_2022", "Poland_Katowice_2023", "Poland_Wieliczka_2023_Green_Budget"]
)
def test_add_one_on_large_files_ends_on_what_equal_shares_funds_with_that_share(pabulib_file, name):
    """Too long for pabutools: the add-one completion's result must be Equal Shares alone,
    run with the share it reports."""
    instance, profile = read_pabulib(pabulib_file(name))
    outcome = compute_outcome(instance, profile, "equal-shares", "add1")
    budget = outcome.voter_budget * profile.total_weight
    alone = compute_outcome(Instance(budget, instance.projects), profile, "equal-shares")
    assert alone.voter_budget == outcome.voter_budget > instance.budget / profile.total_weight
    assert alone.selected == outcome.selected
    assert alone.projects == outcome.projects  # the same prices (effective votes) too


@pytest.mark.parametrize("name", SMALL_APPROVAL)
def test_phragmen_on_real_files_matches_pabutools(pabutools, pabulib_file, name):
    instance, profile = read_pabulib(pabulib_file(name))
    ours = compute_outcome(instance, profile, "phragmen")
    theirs = pabutools.outcome(instance, profile, "phragmen", grouped=True)
    assert sorted(ours.selected) == sorted(theirs)  # pabutools sorts Phragmén's result
