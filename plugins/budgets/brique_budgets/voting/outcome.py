"""What a rule returns: the funded projects in order and, for every project, what happened to it
(enough for a results page to explain each line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction


class Reason(StrEnum):
    """Why a project was not funded."""

    #: The organisers took it out of the vote (not feasible, withdrawn, incompatible...).
    EXCLUDED = "excluded"
    #: Its score is below the minimum score a project needs to be funded.
    BELOW_THRESHOLD = "below-threshold"
    #: Nobody gave it a positive score.
    NO_SUPPORT = "no-support"
    #: Its turn came but it cost more than the money left.
    DID_NOT_FIT = "did-not-fit"
    #: Equal Shares: its supporters' remaining shares of the budget could not pay for it.
    UNAFFORDABLE = "unaffordable"
    #: The rule stopped before its turn came (greedy without skipping, Phragmén), or the rule
    #: does not consider it (Equal Shares with cost satisfaction gives nobody any satisfaction
    #: from a free project).
    NOT_REACHED = "not-reached"


class Stage(StrEnum):
    """How a project came to be funded."""

    #: The organisers decided to fund it whatever the votes: it is paid for first.
    FORCED = "forced"
    #: The rule chose it.
    RULE = "rule"
    #: The completion chose it, after the rule stopped with money left.
    COMPLETION = "completion"


@dataclass(frozen=True, slots=True)
class ProjectResult:
    """One project's line on the results page.

    ``rank`` is its place in the order of funding (1 for the first funded), ``None`` when it is
    not funded, and then ``reason`` says why. ``effective_votes`` (Equal Shares only) is how many
    voters paying equal shares its price amounted to when it was chosen: the cost divided by
    what each full-paying supporter paid per point of score.
    """

    project_id: str
    score: int
    selected: bool
    rank: int | None = None
    stage: Stage | None = None
    reason: Reason | None = None
    effective_votes: float | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a rule: ``selected`` project ids in the order they were funded, their
    total ``cost``, the ``budget`` limit and one ``ProjectResult`` per project, in the order of
    the instance. ``voter_budget`` is, for Equal Shares, each voter's share of the budget the
    outcome was computed with (the add-one completion raises it).
    """

    rule: str
    completion: str | None
    selected: tuple[str, ...]
    cost: Fraction
    budget: Fraction
    projects: tuple[ProjectResult, ...]
    voter_budget: Fraction | None = None
    _by_id: dict[str, ProjectResult] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {line.project_id: line for line in self.projects})

    def result(self, project_id: str) -> ProjectResult:
        """The line of project ``project_id``."""
        return self._by_id[project_id]


@dataclass(slots=True)
class Selection:
    """A rule's raw result, in project numbers (see ``Tally``): what it chose, in order, and
    why it left the others out."""

    order: list[int] = field(default_factory=list)
    stages: dict[int, Stage] = field(default_factory=dict)
    reasons: dict[int, Reason] = field(default_factory=dict)
    effective_votes: dict[int, float] = field(default_factory=dict)
    voter_budget: Fraction | None = None

    def add(self, project: int, stage: Stage = Stage.RULE) -> None:
        """Fund ``project``."""
        self.order.append(project)
        self.stages[project] = stage
        self.reasons.pop(project, None)
