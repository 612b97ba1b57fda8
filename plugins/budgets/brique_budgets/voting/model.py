"""The votes of a participatory budget as plain data: an instance (the budget and the projects)
and a profile (the ballots).

Money is exact: costs and budgets are ``Fraction`` (``int`` and ``Decimal`` are accepted and
converted; ``float`` is refused because 0.1 + 0.2 != 0.3 would change outcomes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

#: The ballot kinds Pabulib names in its ``vote_type`` field. A knapsack vote is an approval
#: vote whose ballots must fit a cost limit (Pabulib's ``max_sum_cost``), not a kind of its own.
VOTE_TYPES = ("approval", "cumulative", "ordinal", "choose-1")

Money = int | Decimal | Fraction


def as_money(value: Money | str, what: str = "amount") -> Fraction:
    """``value`` as an exact non-negative ``Fraction``; a string may use a decimal comma."""
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    if isinstance(value, float | bool):
        raise TypeError(f"{what} must be exact (int, Decimal, Fraction or text), not {value!r}")
    try:
        amount = Fraction(value)
    except (ValueError, TypeError, ArithmeticError) as error:
        raise ValueError(f"{what} is not a number: {value!r}") from error
    if amount < 0:
        raise ValueError(f"{what} cannot be negative: {value!r}")
    return amount


@dataclass(slots=True)
class Project:
    """A project on the ballot.

    ``id`` identifies it in ballots and breaks ties between equal projects (compared as text,
    as pabutools does); ``category`` is free text, several categories separated by commas as in
    Pabulib; ``extra`` keeps any other Pabulib column (``votes``, ``selected``, ``latitude``...).
    """

    id: str
    cost: Fraction
    name: str = ""
    category: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a project id must be non-empty text, not {self.id!r}")
        self.cost = as_money(self.cost, f"the cost of project {self.id}")

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories listed in ``category``."""
        if not self.category:
            return ()
        return tuple(part.strip() for part in self.category.split(",") if part.strip())


@dataclass(slots=True)
class Instance:
    """What is voted on: the budget limit, the projects in display order, and Pabulib's META
    fields (``description``, ``country``, ``min_project_score_threshold``...) as text."""

    budget: Fraction
    projects: tuple[Project, ...]
    meta: dict[str, str] = field(default_factory=dict)
    _by_id: dict[str, Project] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.budget = as_money(self.budget, "the budget")
        self.projects = tuple(self.projects)
        self._by_id = {project.id: project for project in self.projects}
        if len(self._by_id) != len(self.projects):
            raise ValueError("two projects have the same id")

    def project(self, project_id: str) -> Project:
        """The project with this id (``KeyError`` if there is none)."""
        return self._by_id[project_id]

    def __contains__(self, project_id: object) -> bool:
        return project_id in self._by_id


@dataclass(slots=True)
class Ballot:
    """One voter's ballot, or ``weight`` identical ballots counted together (paper ballots
    totalled per polling station, for instance).

    ``projects`` are project ids: for approval and choose-1 the approved projects, for ordinal
    votes the ranking from most to least preferred, for cumulative votes the projects that
    received points, ``points`` giving their points in the same order. ``fields`` holds what is
    known of the voter (``age``, ``sex``, ``district``... as in Pabulib's VOTES columns).
    """

    projects: tuple[str, ...]
    points: tuple[int, ...] | None = None
    weight: int = 1
    voter_id: str | None = None
    fields: Mapping[str, str] | None = None


@dataclass(slots=True)
class Profile:
    """All the ballots of one vote, of a single ``vote_type`` (one of ``VOTE_TYPES``)."""

    vote_type: str
    ballots: tuple[Ballot, ...]
    #: Whether a ballot counts more than once (found while checking them: the count need not
    #: look at every ballot again).
    weighted: bool = field(init=False)

    def __post_init__(self) -> None:
        if self.vote_type not in VOTE_TYPES:
            raise ValueError(f"unknown vote type {self.vote_type!r}: use one of {VOTE_TYPES}")
        self.ballots = tuple(self.ballots)
        self.weighted = check_ballots(self.vote_type, self.ballots)

    @property
    def total_weight(self) -> int:
        """The number of voters: each ballot counts as many times as its weight."""
        return sum(ballot.weight for ballot in self.ballots)

    @classmethod
    def of(cls, vote_type: str, ballots: Iterable[Ballot]) -> Profile:
        """A profile from any iterable of ballots."""
        return cls(vote_type, tuple(ballots))


def check_ballots(vote_type: str, ballots: tuple[Ballot, ...]) -> bool:
    """Refuse ballots the rules cannot count: bad weights, a project named twice, points
    missing or given outside cumulative votes, two projects on a choose-1 ballot.

    :returns: whether a ballot has a weight other than 1.
    """
    weighted = False
    for number, ballot in enumerate(ballots, 1):
        weight, projects = ballot.weight, ballot.projects
        if type(weight) is not int or weight < 1:
            raise ValueError(f"ballot {number}: the weight must be a whole number >= 1")
        if weight != 1:
            weighted = True
        if len(set(projects)) != len(projects):
            raise ValueError(f"ballot {number} names the same project twice")
        if (ballot.points is not None) != (vote_type == "cumulative"):
            raise ValueError(f"ballot {number}: points go with cumulative ballots, and only them")
        if vote_type == "cumulative":
            _check_points(ballot, number)
        elif vote_type == "choose-1" and len(projects) > 1:
            raise ValueError(f"ballot {number}: a choose-1 ballot names one project at most")
    return weighted


def _check_points(ballot: Ballot, number: int) -> None:
    points = ballot.points or ()
    if len(points) != len(ballot.projects):
        raise ValueError(f"ballot {number}: give one number of points per project")
    if any(type(value) is not int or value < 0 for value in points):
        raise ValueError(f"ballot {number}: points must be whole numbers >= 0")
