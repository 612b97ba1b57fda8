"""Sequential Phragmén, with pabutools' definitions and tie-breaking (approval votes only).

Voters earn money continuously, all at the same pace, starting from nothing. As soon as the
supporters of a project hold enough money together to pay for it, they buy it and spend all
they hold (their *load* becomes the project's price). The rule stops as soon as the next
project to be bought costs more than the money left in the real budget.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from fractions import Fraction

from brique_budgets.voting.outcome import Reason, Selection
from brique_budgets.voting.scores import Tally

INFINITY = float("inf")


def phragmen(
    tally: Tally,
    projects: list[int],
    budget: int,
    *,
    progress: Callable[[int, int | None], None] | None = None,
) -> Selection:
    """Sequential Phragmén on ``projects`` with ``budget`` (in the tally's units).

    Each round, the project whose supporters' loads plus its cost, shared among them, give the
    smallest new load is bought; ties go to the lowest project id. If that project (or any
    project tied with it) costs more than what is left, the count stops there. Projects that
    cost more than the whole budget are never considered; projects nobody supports come last
    (their load is infinite) and are bought only if everything else was.
    """
    if tally.profile.vote_type not in ("approval", "choose-1"):
        raise ValueError("sequential Phragmén applies to approval votes only")
    selection = Selection()
    candidates = [n for n in projects if tally.costs[n] <= budget]
    for n in projects:
        if tally.costs[n] > budget:
            selection.reasons[n] = Reason.DID_NOT_FIT
    _Loads(tally, candidates).run(selection, budget, progress)
    return selection


class _Loads:
    """The voters' loads, as levels: all supporters of a bought project share one new load."""

    def __init__(self, tally: Tally, candidates: list[int]) -> None:
        self.tally = tally
        self.values: list[Fraction] = [Fraction(0)]
        self.level = [0] * len(tally.profile.ballots)
        self.remaining = set(candidates)
        self.bound: dict[int, Fraction | float] = {
            n: Fraction(tally.costs[n], tally.scores[n]) if tally.scores[n] else INFINITY
            for n in candidates
        }

    def run(self, selection: Selection, budget: int, progress) -> None:
        left, total = budget, len(self.remaining)
        while self.remaining:
            tied = self._cheapest()
            blocking = [n for n in tied if self.tally.costs[n] > left]
            if blocking:
                self._stop(selection, blocking)
                return
            winner = min(tied, key=self.tally.ids.__getitem__)
            self._buy(winner, self.bound[winner])
            selection.add(winner)
            left -= self.tally.costs[winner]
            if progress:
                progress(len(selection.order), total)

    def _cheapest(self) -> list[int]:
        best, tied = None, []
        for project in sorted(self.remaining, key=self.bound.__getitem__):
            if best is not None and self.bound[project] > best:
                break
            load = self._new_load(project)
            self.bound[project] = load
            if best is None or load < best:
                best, tied = load, [project]
            elif load == best:
                tied.append(project)
        return tied

    def _new_load(self, project: int) -> Fraction | float:
        tally = self.tally
        if tally.scores[project] == 0:
            return INFINITY
        counts = self._counts(tally.supporters[project])
        held = sum(self.values[level] * count for level, count in counts.items() if level)
        return Fraction(held + tally.costs[project], tally.scores[project])

    def _counts(self, supporters: list[int]) -> dict[int, int]:
        level, weights = self.level, self.tally.weights
        if weights is None:
            return Counter(map(level.__getitem__, supporters))
        counts: defaultdict[int, int] = defaultdict(int)
        for voter in supporters:
            counts[level[voter]] += weights[voter]
        return counts

    def _buy(self, project: int, load: Fraction | float) -> None:
        self.remaining.discard(project)
        if load == INFINITY:
            return  # nobody supports it: no load moves
        self.values.append(Fraction(load))
        new_level, level = len(self.values) - 1, self.level
        for voter in self.tally.supporters[project]:
            level[voter] = new_level

    def _stop(self, selection: Selection, blocking: list[int]) -> None:
        for project in self.remaining:
            if self.tally.scores[project] == 0:
                selection.reasons[project] = Reason.NO_SUPPORT
            elif project in blocking:
                selection.reasons[project] = Reason.DID_NOT_FIT
            else:
                selection.reasons[project] = Reason.NOT_REACHED
        self.remaining.clear()
