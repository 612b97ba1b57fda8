"""The rules a ballot follows, from the component's settings, and why a ballot does not.

Kept apart from the database so that the cart page and the checkout explain a refusal with
the same words: "Add at least 3 projects", "12,000 € over the budget".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import format_currency, ngettext
from flask_babel import gettext as _


@dataclass(frozen=True)
class Line:
    """A project on a ballot: its cost and category, the points given to it."""

    project_id: int
    title: str
    cost: int
    category_id: int | None
    points: int = 1
    on_ballot: bool = True


@dataclass(frozen=True)
class BallotRules:
    """What a ballot must be to be cast, in one budget of ``amount``."""

    vote_type: str
    amount: int
    currency: str = "EUR"
    minimum_projects: int = 0
    maximum_projects: int = 0
    minimum_spend_percent: int = 0
    points: int = 0
    maximum_points_per_project: int = 0
    ranks: int = 0
    per_category_limit: int = 0
    inverted: bool = False

    @classmethod
    def from_settings(cls, settings: dict[str, Any], amount: int) -> BallotRules:
        return cls(
            vote_type=settings["vote_type"],
            amount=amount,
            currency=settings["currency"],
            minimum_projects=settings["minimum_projects"],
            maximum_projects=settings["maximum_projects"],
            minimum_spend_percent=settings["minimum_spend_percent"],
            points=settings["points"],
            maximum_points_per_project=settings["maximum_points_per_project"],
            ranks=settings["ranks"],
            per_category_limit=settings["per_category_limit"],
            inverted=settings["inverted"],
        )

    @property
    def counts_cost(self) -> bool:
        """Whether the ballot is held to the budget's amount (knapsack ballots)."""
        return self.vote_type == "knapsack"

    @property
    def fewest(self) -> int:
        if self.vote_type == "choose-1":
            return 1
        return max(1, self.minimum_projects)

    @property
    def most(self) -> int:
        """The most projects on a ballot; 0: no limit."""
        if self.vote_type == "choose-1":
            return 1
        if self.vote_type == "ordinal":
            return min(filter(None, (self.ranks, self.maximum_projects)), default=0)
        return self.maximum_projects

    @property
    def minimum_spend(self) -> int:
        return -(-self.amount * self.minimum_spend_percent // 100)

    def money(self, value: int) -> str:
        return format_currency(value, self.currency, format="#,##0 ¤", currency_digits=False)


def problems(rules: BallotRules, lines: Sequence[Line]) -> list[str]:
    """Every reason the ballot ``lines`` cannot be cast, in words; empty when it can."""
    found = [
        _("“%(title)s” is no longer on the ballot: remove it.", title=line.title)
        for line in lines
        if not line.on_ballot
    ]
    found += _count_problems(rules, len(lines))
    if rules.counts_cost:
        found += _cost_problems(rules, sum(line.cost for line in lines))
    if rules.vote_type == "cumulative":
        found += _points_problems(rules, lines)
    if rules.per_category_limit:
        found += _category_problems(rules, lines)
    return found


def _count_problems(rules: BallotRules, count: int) -> list[str]:
    if count < rules.fewest:
        missing = rules.fewest - count
        return [
            ngettext("Add at least %(num)d project.", "Add at least %(num)d projects.", missing)
            if count
            else ngettext(
                "Choose at least %(num)d project.",
                "Choose at least %(num)d projects.",
                rules.fewest,
            )
        ]
    if rules.most and count > rules.most:
        return [
            ngettext(
                "Remove %(num)d project: %(most)d at most.",
                "Remove %(num)d projects: %(most)d at most.",
                count - rules.most,
                most=rules.most,
            )
        ]
    return []


def _cost_problems(rules: BallotRules, total: int) -> list[str]:
    if rules.inverted:
        if total < rules.amount:
            return [
                _(
                    "%(amount)s short of the savings target.",
                    amount=rules.money(rules.amount - total),
                )
            ]
        return []
    if total > rules.amount:
        return [_("%(amount)s over the budget.", amount=rules.money(total - rules.amount))]
    if total < rules.minimum_spend:
        return [
            _(
                "Spend at least %(minimum)s: %(amount)s more.",
                minimum=rules.money(rules.minimum_spend),
                amount=rules.money(rules.minimum_spend - total),
            )
        ]
    return []


def _points_problems(rules: BallotRules, lines: Sequence[Line]) -> list[str]:
    found = []
    given = sum(line.points for line in lines)
    if given > rules.points:
        found.append(
            ngettext(
                "%(num)d point too many: you share out %(points)d.",
                "%(num)d points too many: you share out %(points)d.",
                given - rules.points,
                points=rules.points,
            )
        )
    most = rules.maximum_points_per_project
    for line in lines:
        if most and line.points > most:
            found.append(
                ngettext(
                    "“%(title)s”: %(num)d point at most.",
                    "“%(title)s”: %(num)d points at most.",
                    most,
                    title=line.title,
                )
            )
    return found


def _category_problems(rules: BallotRules, lines: Sequence[Line]) -> list[str]:
    counts = Counter(line.category_id for line in lines if line.category_id is not None)
    if any(count > rules.per_category_limit for count in counts.values()):
        return [
            ngettext(
                "%(num)d project per category at most.",
                "%(num)d projects per category at most.",
                rules.per_category_limit,
            )
        ]
    return []


def remaining(rules: BallotRules, lines: Sequence[Line]) -> int:
    """What is left to spend (or, inverted, to save); negative when over."""
    return rules.amount - sum(line.cost for line in lines)
