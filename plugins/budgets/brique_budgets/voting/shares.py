"""The voters' purses in the Method of Equal Shares, kept exact and fast.

Every voter starts with an equal share of the budget and pays for the projects they support.
pabutools computes with exact fractions, and a float rounding can change which of two nearly
equal projects wins; so the purses are kept exact, as whole numerators over a common
denominator, and every decision is taken on floats only when the float error cannot change it.
When it could (a tie, a project that costs almost exactly what its supporters hold), the
decision is taken again on the exact numbers.

Voters whose purses hold the same amount share a *level* (a row of the purse table): a project's
supporters are counted per level, so the work grows with the number of different purses, not
with the number of voters.

A project's supporters each value it ``g * t``: ``g`` is the same for all (the cost for cost
satisfaction, 1 for cardinality) and ``t`` is the voter's own value (1 on approval ballots,
the points or Borda points otherwise). The *price* ``rho`` of a project is what a supporter
pays per unit of satisfaction: each supporter pays ``min(purse, rho * g * t)`` and together
they pay exactly the cost. Equal Shares funds the project with the lowest price.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from fractions import Fraction
from functools import cmp_to_key
from operator import mul

#: Twice the float unit roundoff: the relative error of one float operation, with margin.
EPSILON = 2.0**-52
#: Relative distance under which two floats computed from exact numbers may be in either order.
CLOSE = 1e-12


@dataclass(slots=True)
class Holdings:
    """A project's supporters grouped by purse level (and by value ``t`` when values vary),
    poorest per unit of value first: parallel lists, one entry per group."""

    levels: list[int]
    values: list[int] | None  # None: every supporter values it 1
    counts: list[int]  # how many supporters (weighted) in the group
    ratios: list[float]  # purse / t: groups with a smaller ratio pay their whole purse
    amounts: list[float]  # what the group holds together

    def t(self, i: int) -> int:
        return 1 if self.values is None else self.values[i]

    def total_t(self, start: int = 0) -> int:
        """The summed values of the groups from ``start`` on."""
        if self.values is None:
            return sum(self.counts[start:])
        return sum(map(mul, self.values[start:], self.counts[start:]))


@dataclass(slots=True)
class ExactQuote:
    """A project's exact price ``rho``. The first ``poor_count`` groups pay their whole purse
    (``numerators`` over the current denominator); each other supporter pays
    ``rest_num / (denominator * rest_t) * t``, ``rest_t`` being the others' summed values."""

    project: int
    rho: Fraction
    holdings: Holdings
    poor_count: int
    numerators: list[int]
    rest_num: int
    rest_t: int


@dataclass(slots=True)
class Quote:
    """A project's price found on floats: ``rho`` within ``error`` of the exact price, with
    ``poor`` groups (in ratio order) paying their whole purse; ``exact`` if already known."""

    project: int
    holdings: Holdings
    rho: float
    error: float
    poor: int
    exact: ExactQuote | None = None


class Purses:
    """Every voter's remaining money, exact (numerator over the denominator of the round the
    level was made in) with a float copy of each level for fast screening."""

    def __init__(self, voters: int, weights: list[int] | None, total: int, share_num: int) -> None:
        # Level 0 is an empty purse, level 1 the initial share: share_num / total each.
        self.numerator = [0, share_num]
        self.made_in = [0, 0]
        self.amount = [0.0, share_num / total]
        self.denominators = [total]
        self.scale = [1]  # current denominator / denominator of round r
        self.level = [1] * voters
        self.weights = weights

    def holdings(self, supporters: list[int], values: list[int] | None) -> dict:
        """How many supporters (weighted) sit on each level, per value when values vary."""
        level, weights = self.level, self.weights
        if weights is None:
            if values is None:
                return Counter(map(level.__getitem__, supporters))
            return Counter(zip(map(level.__getitem__, supporters), values, strict=True))
        counts: defaultdict = defaultdict(int)
        if values is None:
            for voter in supporters:
                counts[level[voter]] += weights[voter]
        else:
            for voter, value in zip(supporters, values, strict=True):
                counts[level[voter], value] += weights[voter]
        return counts

    def sorted_holdings(self, counts: dict, valued: bool) -> Holdings:
        """The non-empty levels of ``counts``, poorest (per unit of value) first."""
        amount = self.amount
        if not valued:
            counts.pop(0, None)
            levels = sorted(counts, key=amount.__getitem__)
            weights = list(map(counts.__getitem__, levels))
            ratios = list(map(amount.__getitem__, levels))
            return Holdings(levels, None, weights, ratios, list(map(mul, ratios, weights)))
        keys = [key for key in counts if key[0]]
        unsorted = [amount[level] / t for level, t in keys]
        order = sorted(range(len(keys)), key=unsorted.__getitem__)
        levels = [keys[i][0] for i in order]
        weights = [counts[keys[i]] for i in order]
        amounts = [amount[level] * count for level, count in zip(levels, weights, strict=True)]
        ratios = [unsorted[i] for i in order]
        return Holdings(levels, [keys[i][1] for i in order], weights, ratios, amounts)

    @property
    def denominator(self) -> int:
        return self.denominators[-1]


def quote(project: int, cost: int, g: int, rows: Holdings) -> Quote | bool | None:
    """The float price of a project, or ``False`` when its supporters cannot afford it, or
    ``None`` when floats cannot tell: its supporters hold almost exactly its cost, or a group
    holds almost exactly its part (then whether it pays its part or its whole purse is a
    matter of rounding, and the exact numbers must decide).

    The error bound is rigorous: the float purses are the exact ones correctly rounded, and
    each step's error is bounded as in a textbook sum (a few epsilons per term), doubled.
    """
    total = sum(rows.amounts)
    margin = (2 * len(rows.amounts) + 2) * EPSILON * total
    if total < cost - margin:
        return False
    if total <= cost + margin:
        return None
    paid, rest_t, ratios, amounts = 0.0, rows.total_t(), rows.ratios, rows.amounts
    counts, values = rows.counts, rows.values
    for poor, ratio in enumerate(ratios):
        share = (cost - paid) / rest_t
        error = 4 * (2 * poor + 4) * EPSILON * (paid + cost) / rest_t + 16 * EPSILON * share
        if abs(share - ratio) <= error + 4 * EPSILON * ratio:
            return None
        if share < ratio:
            return Quote(project, rows, share / g, error / g, poor)
        paid += amounts[poor]
        rest_t -= counts[poor] if values is None else counts[poor] * values[poor]
    return None


def exact_total(purses: Purses, rows: Holdings) -> int:
    """What the supporters hold together, over the current denominator."""
    return sum(map(mul, _numerators(purses, rows), rows.counts))


def _numerators(purses: Purses, rows: Holdings) -> list[int]:
    numerator, made_in, scale = purses.numerator, purses.made_in, purses.scale
    return [numerator[level] * scale[made_in[level]] for level in rows.levels]


def exact_quote(
    purses: Purses, project: int, cost: int, g: int, rows: Holdings, guess
) -> ExactQuote:
    """The exact price, starting from a float ``guess`` of who pays their whole purse (the
    first ``guess`` groups) and checking it; sorting exactly only if the guess was wrong."""
    numerators = _numerators(purses, rows)
    if guess is not None:
        found = _price_for(purses, project, cost, g, rows, numerators, guess)
        if found is not None:
            return found
    return _price_sorted_exactly(purses, project, cost, g, rows, numerators)


def _price_for(purses, project, cost, g, rows: Holdings, numerators, poor_count):
    denominator = purses.denominator
    paid = sum(map(mul, numerators[:poor_count], rows.counts[:poor_count]))
    rest_num = cost * denominator - paid
    rest_t = rows.total_t(poor_count)
    if rest_t == 0 or rest_num <= 0:
        return None
    share = rest_num / (denominator * rest_t)  # float, correctly rounded from exact numbers
    low, high = share * (1 - CLOSE), share * (1 + CLOSE)
    for i, ratio in enumerate(rows.ratios):
        poor = i < poor_count
        if (poor and ratio < low) or (not poor and ratio > high):
            continue  # the floats are far enough apart to be sure
        left, right = numerators[i] * rest_t, rest_num * rows.t(i)
        if left != right and poor != (left < right):
            return None
    rho = Fraction(rest_num, denominator * rest_t * g)
    return ExactQuote(project, rho, rows, poor_count, numerators, rest_num, rest_t)


def _price_sorted_exactly(purses, project, cost, g, rows: Holdings, numerators) -> ExactQuote:
    def by_ratio(i: int, j: int) -> int:
        left, right = numerators[i] * rows.t(j), numerators[j] * rows.t(i)
        return (left > right) - (left < right)

    order = sorted(range(len(numerators)), key=cmp_to_key(by_ratio))
    rows = _reordered(rows, order)
    numerators = [numerators[i] for i in order]
    denominator, paid, rest_t = purses.denominator, 0, rows.total_t()
    for poor_count, numerator in enumerate(numerators):
        rest_num = cost * denominator - paid
        if rest_num * rows.t(poor_count) <= numerator * rest_t:
            rho = Fraction(rest_num, denominator * rest_t * g)
            return ExactQuote(project, rho, rows, poor_count, numerators, rest_num, rest_t)
        paid += numerator * rows.counts[poor_count]
        rest_t -= rows.t(poor_count) * rows.counts[poor_count]
    raise ValueError("the supporters cannot afford this project")  # callers check first


def _reordered(rows: Holdings, order: list[int]) -> Holdings:
    def pick(items):
        return None if items is None else [items[i] for i in order]

    return Holdings(
        pick(rows.levels),
        pick(rows.values),
        pick(rows.counts),
        pick(rows.ratios),
        pick(rows.amounts),
    )


def pay(purses: Purses, price: ExactQuote, supporters: list[int], values: list[int] | None) -> None:
    """The supporters pay for the project at its exact price: those who cannot pay their part
    give their whole purse, the others their part."""
    rows, rest_t = price.holdings, price.rest_t
    new_denominator = purses.denominator * rest_t
    moves: defaultdict = defaultdict(int)  # old level (and value) -> new level; 0 if emptied
    keys = rows.levels if values is None else list(zip(rows.levels, rows.values, strict=True))
    ts = rows.values or [1] * len(keys)
    first, cut = len(purses.numerator), price.poor_count
    paying = zip(price.numerators[cut:], ts[cut:], strict=True)
    lefts = [numerator * rest_t - price.rest_num * t for numerator, t in paying]
    for key, left in zip(keys[cut:], lefts, strict=True):
        if left:
            moves[key] = first
            first += 1
    kept = list(filter(None, lefts))
    purses.numerator += kept
    purses.made_in += [len(purses.denominators)] * len(kept)
    purses.amount += [left / new_denominator for left in kept]
    purses.scale = [factor * rest_t for factor in purses.scale]
    purses.scale.append(1)
    purses.denominators.append(new_denominator)
    _move(purses.level, moves, supporters, values)


def _move(level: list[int], moves: defaultdict, supporters: list[int], values) -> None:
    old = map(level.__getitem__, supporters)
    keys = old if values is None else zip(old, values, strict=True)
    new = list(map(moves.__getitem__, keys))
    deque(map(level.__setitem__, supporters, new), maxlen=0)  # assign in C, not in a loop
