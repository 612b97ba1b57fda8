"""The Method of Equal Shares (MES), with pabutools' definitions and tie-breaking.

The budget is split equally between the voters. Round after round, the project whose
supporters can buy it at the lowest price per unit of satisfaction is funded: each supporter
pays that price times their satisfaction, or their whole remaining money if they have less.
The rule stops when no project can be paid for by its supporters. Ties go to the lowest project
id (compared as text).

Satisfaction: with ``"cost"``, a voter's satisfaction from a project is its cost (times the
points or Borda points on cumulative and ordinal ballots); with ``"cardinality"`` it is 1
(or the points). A project of cost 0 is funded first under cardinality satisfaction and never
under cost satisfaction (it satisfies nobody), as in pabutools.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import count

from brique_budgets.voting.greedy import greedy
from brique_budgets.voting.outcome import Reason, Selection, Stage
from brique_budgets.voting.scores import Tally
from brique_budgets.voting.shares import (
    ExactQuote,
    Purses,
    Quote,
    exact_quote,
    exact_total,
    pay,
    quote,
)

Progress = Callable[[int, int | None], None]


@dataclass(slots=True)
class Run:
    """One run of MES with a given share per voter: what it bought, in order."""

    share: Fraction
    order: list[int] = field(default_factory=list)
    spent: int = 0
    effective_votes: dict[int, float] = field(default_factory=dict)


def equal_shares(
    tally: Tally,
    projects: list[int],
    budget: int,
    *,
    satisfaction: str = "cost",
    completion: str | None = None,
    progress: Progress | None = None,
) -> Selection:
    """Method of Equal Shares on ``projects`` with ``budget`` (in the tally's units).

    ``completion`` spends what MES leaves: ``"add1"`` raises every voter's share by one unit
    of currency and computes again, as long as the result stays within the budget and is not
    exhaustive (pabutools' ``voter_budget_increment=1``); ``"greedy"`` funds the rest with the
    greedy rule; ``"add1-greedy"`` does both, in that order.
    """
    mes = _MesProjects(tally, projects, satisfaction)
    if completion in ("add1", "add1-greedy"):
        run = _add_one(tally, mes, budget, progress)
    else:
        run = _run(tally, mes, budget, Fraction(budget, max(tally.voters, 1)), progress)
    selection = _selection(tally, mes, projects, run)
    if completion in ("greedy", "add1-greedy"):
        rest = [project for project in projects if project not in selection.stages]
        greedy(tally, rest, budget - run.spent, selection=selection, stage=Stage.COMPLETION)
    return selection


class _MesProjects:
    """The projects MES considers: those that satisfy someone (``free`` ones cost nothing)."""

    def __init__(self, tally: Tally, projects: list[int], satisfaction: str) -> None:
        if satisfaction not in ("cost", "cardinality"):
            raise ValueError(f"unknown satisfaction {satisfaction!r}: use cost or cardinality")
        costs, scores = tally.costs, tally.scores
        cardinality = satisfaction == "cardinality"
        liked = [n for n in projects if scores[n] > 0 and (cardinality or costs[n] > 0)]
        if tally.voters == 0:
            liked = []  # pabutools funds nothing when nobody voted
        self.free = sorted((n for n in liked if costs[n] == 0), key=tally.ids.__getitem__)
        self.priced = [n for n in liked if costs[n] > 0]
        self.g = {n: 1 if cardinality else costs[n] for n in self.priced}


def _run(tally: Tally, mes: _MesProjects, budget: int, share: Fraction, progress) -> Run:
    """MES with ``share`` per voter; stops early once it spent more than ``budget``."""
    run = Run(share, order=list(mes.free))
    purses = Purses(len(tally.profile.ballots), tally.weights, share.denominator, share.numerator)
    ranking = _Ranking(tally, mes)
    while ranking.remaining and run.spent <= budget:
        price = ranking.cheapest(purses)
        if price is None:
            break
        winner = price.project
        pay(purses, price, tally.supporters[winner], tally.values[winner])
        ranking.remaining.discard(winner)
        run.order.append(winner)
        run.spent += tally.costs[winner]
        # the cost over what a full-paying supporter paid per point of value
        run.effective_votes[winner] = float(tally.costs[winner] / (price.rho * mes.g[winner]))
        if progress:
            progress(len(run.order), len(mes.priced) + len(mes.free))
    return run


class _Ranking:
    """The projects still in the running, each with a lower bound of its price (prices only
    rise as purses empty, so a project whose bound exceeds the best price need not be priced
    again: the lazy evaluation pabutools uses)."""

    def __init__(self, tally: Tally, mes: _MesProjects) -> None:
        self.tally, self.mes = tally, mes
        self.remaining = set(mes.priced)
        scores, costs = tally.scores, tally.costs
        self.bound = {n: costs[n] / (scores[n] * mes.g[n]) * (1 - 1e-9) for n in mes.priced}

    def cheapest(self, purses: Purses) -> ExactQuote | None:
        """The project to fund next, with its exact price; ``None`` when none is affordable."""
        quotes: list[Quote] = []
        best = float("inf")
        for project in sorted(self.remaining, key=self.bound.__getitem__):
            if self.bound[project] > best:
                break
            found = self._quote(purses, project)
            if found is None:
                self.remaining.discard(project)
                continue
            self.bound[project] = found.rho - found.error
            best = min(best, found.rho + found.error)
            quotes.append(found)
        contenders = [found for found in quotes if found.rho - found.error <= best]
        if not contenders:
            return None
        ids = self.tally.ids
        exact = [self._exact(purses, found) for found in contenders]
        return min(exact, key=lambda price: (price.rho, ids[price.project]))

    def _quote(self, purses: Purses, project: int) -> Quote | None:
        tally, cost, g = self.tally, self.tally.costs[project], self.mes.g[project]
        values = tally.values[project]
        counts = purses.holdings(tally.supporters[project], values)
        holdings = purses.sorted_holdings(counts, values is not None)
        found = quote(project, cost, g, holdings)
        if found is False:
            return None
        if found is None:  # too close to call on floats
            if exact_total(purses, holdings) < cost * purses.denominator:
                return None
            price = exact_quote(purses, project, cost, g, holdings, None)
            rho = float(price.rho)  # correctly rounded: within one part in 2**53
            return Quote(project, holdings, rho, rho * 1e-15, price.poor_count, price)
        return found

    def _exact(self, purses: Purses, found: Quote) -> ExactQuote:
        if found.exact is not None:
            return found.exact
        n, costs, g = found.project, self.tally.costs, self.mes.g
        return exact_quote(purses, n, costs[n], g[n], found.holdings, found.poor)


def _add_one(tally: Tally, mes: _MesProjects, budget: int, progress) -> Run:
    """MES again and again, each voter's share one unit of currency higher each time, until
    the result is exhaustive (the last result is kept) or over budget (the one before)."""
    share = Fraction(budget, max(tally.voters, 1))
    previous = Run(share, order=list(mes.free))
    for attempt in count(1):
        run = _run(tally, mes, budget, share, None)
        if run.spent > budget:
            return previous
        if _exhaustive(tally, mes, run, budget):
            return run
        previous, share = run, share + tally.unit
        if progress:
            progress(attempt, None)
    raise AssertionError("unreachable: shares grow until the budget is overspent")


def _exhaustive(tally: Tally, mes: _MesProjects, run: Run, budget: int) -> bool:
    chosen, left = set(run.order), budget - run.spent
    return all(tally.costs[n] > left for n in mes.priced if n not in chosen)


def _selection(tally: Tally, mes: _MesProjects, projects: list[int], run: Run) -> Selection:
    selection = Selection(voter_budget=run.share / tally.unit)
    for project in run.order:
        selection.add(project)
    selection.effective_votes.update(run.effective_votes)
    priced = set(mes.priced)
    for project in projects:
        if project in selection.stages:
            continue
        if tally.scores[project] == 0:
            selection.reasons[project] = Reason.NO_SUPPORT
        elif project in priced:
            selection.reasons[project] = Reason.UNAFFORDABLE
        else:
            selection.reasons[project] = Reason.NOT_REACHED
    return selection
