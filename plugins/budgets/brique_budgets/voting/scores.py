"""The ballots counted per project, in exact whole numbers, ready for the rules.

How a ballot scores a project depends on the vote type, as in pabutools:

- approval and choose-1: 1 point for each approved project;
- cumulative: the points the voter gave it;
- ordinal: Borda points: on a ballot ranking k projects, the first gets k - 1 points, the
  second k - 2, ... and the last 0.

A ballot of weight w counts w times. A project's *score* is the sum over the ballots.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from itertools import chain
from math import lcm
from operator import attrgetter

from brique_budgets.voting.model import Ballot, Instance, Profile


class Tally:
    """An instance and its profile turned into numbers: money in whole *units* (the smallest
    fraction of the currency any cost or the budget uses) and, per project, who supports it.

    Projects are numbered in the order of ``instance.projects``; voters (ballots) in the
    order of ``profile.ballots``. Build it once to compute several rules on the same votes.
    """

    def __init__(self, instance: Instance, profile: Profile) -> None:
        self.instance = instance
        self.profile = profile
        self.ids = [project.id for project in instance.projects]
        self.index = {project_id: number for number, project_id in enumerate(self.ids)}
        #: How many units make one unit of currency (100 when costs are given in cents).
        self.unit = lcm(
            instance.budget.denominator, *(p.cost.denominator for p in instance.projects)
        )
        self.costs = [int(p.cost * self.unit) for p in instance.projects]
        self.budget = int(instance.budget * self.unit)
        ballots = profile.ballots
        #: The weight of each ballot, or ``None`` when every ballot counts once.
        self.weights = [ballot.weight for ballot in ballots] if profile.weighted else None
        self.voters = sum(self.weights) if self.weights is not None else len(ballots)

    @cached_property
    def scores(self) -> list[int]:
        """Each project's score."""
        if self.profile.vote_type in ("approval", "choose-1") and self.weights is None:
            counts = Counter(chain.from_iterable(map(attrgetter("projects"), self.profile.ballots)))
            self._check_known(counts)
            return [counts.get(project_id, 0) for project_id in self.ids]
        return [self._score(number) for number in range(len(self.ids))]

    def _score(self, number: int) -> int:
        supporters, values = self.supporters[number], self.values[number]
        if self.weights is None:
            return len(supporters) if values is None else sum(values)
        weights = map(self.weights.__getitem__, supporters)
        return sum(weights) if values is None else sum(map(int.__mul__, weights, values))

    @cached_property
    def supporters(self) -> list[list[int]]:
        """Per project, the voters (ballot numbers) who give it a positive score."""
        return self._supports[0]

    @cached_property
    def values(self) -> list[list[int] | None]:
        """Per project, what each of its supporters gives it (points, Borda points), in the
        order of ``supporters``; ``None`` for approval votes, where it is always 1."""
        return self._supports[1]

    @cached_property
    def _supports(self) -> tuple[list[list[int]], list[list[int] | None]]:
        vote_type = self.profile.vote_type
        if vote_type in ("approval", "choose-1"):
            return self._approval_supports(), [None] * len(self.ids)
        return self._valued_supports(_values_of(vote_type))

    def _approval_supports(self) -> list[list[int]]:
        supporters: list[list[int]] = [[] for _ in self.ids]
        appenders = {pid: supporters[n].append for pid, n in self.index.items()}
        try:
            for voter, ballot in enumerate(self.profile.ballots):
                for project_id in ballot.projects:
                    appenders[project_id](voter)
        except KeyError as error:
            raise _unknown(error.args[0]) from None
        return supporters

    def _valued_supports(self, values_of) -> tuple[list[list[int]], list[list[int] | None]]:
        supporters: list[list[int]] = [[] for _ in self.ids]
        values: list[list[int] | None] = [[] for _ in self.ids]
        index = self.index
        for voter, ballot in enumerate(self.profile.ballots):
            for project_id, value in zip(ballot.projects, values_of(ballot), strict=True):
                number = index.get(project_id)
                if number is None:
                    raise _unknown(project_id)
                if value > 0:
                    supporters[number].append(voter)
                    values[number].append(value)  # type: ignore[union-attr]
        return supporters, values

    def _check_known(self, counts: Counter) -> None:
        for project_id in counts.keys() - self.index.keys():
            raise _unknown(project_id)


def _values_of(vote_type: str):
    if vote_type == "cumulative":
        return attrgetter("points")
    return _borda_points


def _borda_points(ballot: Ballot) -> range:
    return range(len(ballot.projects) - 1, -1, -1)


def _unknown(project_id: str) -> ValueError:
    return ValueError(f"a ballot names project {project_id!r}, which is not in the instance")
