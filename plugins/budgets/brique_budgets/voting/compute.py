"""One entry point for every rule: ``compute_outcome``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

from brique_budgets.voting.equal_shares import equal_shares
from brique_budgets.voting.greedy import greedy
from brique_budgets.voting.model import Instance, Profile
from brique_budgets.voting.outcome import Outcome, ProjectResult, Reason, Selection, Stage
from brique_budgets.voting.phragmen import phragmen
from brique_budgets.voting.scores import Tally

#: The rules, by the names settings and the CLI use.
RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equal-shares",
    "equal-shares-cardinality",
    "phragmen",
)
#: What may follow Equal Shares to spend the money it leaves (``None``: nothing).
COMPLETIONS = (None, "add1", "greedy", "add1-greedy")


def compute_outcome(
    instance: Instance,
    profile: Profile,
    rule: str,
    completion: str | None = None,
    threshold: int | None = None,
    forced: Iterable[str] = (),
    excluded: Iterable[str] = (),
    progress: Callable[[int, int | None], None] | None = None,
    *,
    tally: Tally | None = None,
) -> Outcome:
    """Which projects ``rule`` funds with these votes, and why the others are not funded.

    The rules (see each module for the details):

    - ``"greedy"``: from the highest score down, fund every project that still fits;
    - ``"greedy-no-skip"``: the same, but stop at the first project that does not fit;
    - ``"greedy-threshold"``: greedy among the projects whose score reaches ``threshold``;
    - ``"equal-shares"``: the Method of Equal Shares, each voter's satisfaction being the cost
      of the funded projects they support;
    - ``"equal-shares-cardinality"``: the same, satisfaction being the number of them;
    - ``"phragmen"``: sequential Phragmén (approval votes only).

    ``completion`` (Equal Shares only) spends the money the rule leaves: ``"add1"`` raises the
    voters' shares one unit of currency at a time, ``"greedy"`` funds the rest greedily,
    ``"add1-greedy"`` does both. ``threshold`` (any rule) leaves out the projects whose score is
    below it. The organisers may ``force`` projects (funded first, in the given order, whatever
    the votes; the rule shares what they leave of the budget) or ``exclude`` them (never
    funded). Ties always go to the lowest project id, compared as text, as in pabutools.
    ``progress(done, total)`` is called during long computations (``total`` is ``None`` when
    unknown). ``tally`` saves counting the ballots again for another rule on the same votes.
    """
    _check_choice(rule, completion, threshold)
    tally = tally or Tally(instance, profile)
    forced_numbers = _numbers(tally, forced, "forced")
    excluded_numbers = set(_numbers(tally, excluded, "excluded"))
    if excluded_numbers.intersection(forced_numbers):
        raise ValueError("a project cannot be both forced and excluded")
    left = tally.budget - sum(tally.costs[n] for n in forced_numbers)
    if left < 0:
        raise ValueError("the forced projects cost more than the budget")
    selection = Selection()
    for number in forced_numbers:
        selection.add(number, Stage.FORCED)
    candidates = _candidates(tally, forced_numbers, excluded_numbers, threshold, selection)
    _apply_rule(tally, rule, completion, candidates, left, selection, progress)
    return _outcome(tally, rule, completion, selection)


def _check_choice(rule: str, completion: str | None, threshold: int | None) -> None:
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}: use one of {', '.join(RULES)}")
    if completion not in COMPLETIONS:
        raise ValueError(f"unknown completion {completion!r}: use add1, greedy or add1-greedy")
    if completion is not None and not rule.startswith("equal-shares"):
        raise ValueError("only Equal Shares takes a completion")
    if rule == "greedy-threshold" and threshold is None:
        raise ValueError("greedy-threshold needs a threshold")


def _numbers(tally: Tally, project_ids: Iterable[str], what: str) -> list[int]:
    numbers = []
    for project_id in dict.fromkeys(project_ids):
        if project_id not in tally.index:
            raise ValueError(f"{what} project {project_id!r} is not in the instance")
        numbers.append(tally.index[project_id])
    return numbers


def _candidates(tally, forced, excluded, threshold, selection: Selection) -> list[int]:
    candidates, forced = [], set(forced)
    for number, score in enumerate(tally.scores):
        if number in forced:
            continue
        if number in excluded:
            selection.reasons[number] = Reason.EXCLUDED
        elif threshold is not None and score < threshold:
            selection.reasons[number] = Reason.BELOW_THRESHOLD
        else:
            candidates.append(number)
    return candidates


def _apply_rule(tally, rule, completion, candidates, budget, selection, progress) -> None:
    if rule.startswith("greedy"):
        result = greedy(tally, candidates, budget, skip=rule != "greedy-no-skip")
    elif rule == "phragmen":
        result = phragmen(tally, candidates, budget, progress=progress)
    else:
        satisfaction = "cardinality" if rule.endswith("cardinality") else "cost"
        result = equal_shares(
            tally,
            candidates,
            budget,
            satisfaction=satisfaction,
            completion=completion,
            progress=progress,
        )
    for number in result.order:
        selection.add(number, result.stages[number])
    selection.reasons.update(result.reasons)
    selection.effective_votes.update(result.effective_votes)
    selection.voter_budget = result.voter_budget


def _outcome(tally: Tally, rule: str, completion: str | None, selection: Selection) -> Outcome:
    rank = {number: place for place, number in enumerate(selection.order, 1)}
    lines = tuple(
        ProjectResult(
            project_id=project_id,
            score=tally.scores[number],
            selected=number in rank,
            rank=rank.get(number),
            stage=selection.stages.get(number),
            reason=selection.reasons.get(number),
            effective_votes=selection.effective_votes.get(number),
        )
        for number, project_id in enumerate(tally.ids)
    )
    return Outcome(
        rule=rule,
        completion=completion,
        selected=tuple(tally.ids[number] for number in selection.order),
        cost=Fraction(sum(tally.costs[n] for n in selection.order), tally.unit),
        budget=Fraction(tally.budget, tally.unit),
        projects=lines,
        voter_budget=selection.voter_budget,
    )
