"""Settings of a budgets component: the ballot, the workflow, the rule of the result."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

#: Pabulib's vote types, plus ``knapsack`` (approval within the budget's amount).
VOTE_TYPES = ("knapsack", "approval", "cumulative", "ordinal", "choose-1")
WORKFLOWS = ("all", "one", "district")
RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equal-shares",
    "equal-shares-cardinality",
    "phragmen",
)
COMPLETIONS = ("none", "add1", "greedy")


def _count(label: str, default: int = 0, maximum: int = 10_000, **meta: object) -> fields.Integer:
    return fields.Integer(
        load_default=default,
        validate=validate.Range(min=0, max=maximum),
        metadata={"label": label, **meta},
    )


class BudgetsSettings(Schema):
    """Global settings of a budgets component."""

    vote_type = fields.String(
        load_default="knapsack",
        validate=validate.OneOf(
            VOTE_TYPES,
            labels=[
                _l("Projects within the budget (knapsack)"),
                _l("Approve projects (approval)"),
                _l("Share points among projects (cumulative)"),
                _l("Rank projects (ordinal)"),
                _l("Choose one project"),
            ],
        ),
        metadata={"label": _l("Ballot")},
    )
    workflow = fields.String(
        load_default="all",
        validate=validate.OneOf(
            WORKFLOWS,
            labels=[
                _l("Vote in every budget"),
                _l("Vote in one budget of the participant's choice"),
                _l("Vote only in the budget of the participant's verified district"),
            ],
        ),
        metadata={"label": _l("Which budgets a participant votes in")},
    )
    minimum_projects = _count(_l("Fewest projects on a ballot"), help=_l("0: no minimum."))
    maximum_projects = _count(_l("Most projects on a ballot"), help=_l("0: no maximum."))
    minimum_spend_percent = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=100),
        metadata={
            "label": _l("Share of the budget a ballot spends at least (%)"),
            "help": _l("Knapsack ballots only. 0: no minimum."),
        },
    )
    points = _count(_l("Points each voter shares out"), 10, help=_l("Cumulative ballots."))
    maximum_points_per_project = _count(
        _l("Most points on one project"), 0, help=_l("Cumulative ballots. 0: no maximum.")
    )
    ranks = _count(_l("Projects to rank"), 3, maximum=100, help=_l("Ordinal ballots."))
    per_category_limit = _count(
        _l("Most projects of one category on a ballot"), help=_l("0: no limit.")
    )
    ballots_final = fields.Boolean(
        load_default=True,
        metadata={
            "label": _l("A cast ballot is final"),
            "help": _l("Otherwise voters may cancel it and vote again while the vote is open."),
        },
    )
    inverted = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Inverted budget: projects are savings to reach a target"),
            "help": _l("Ballots must reach the amount instead of staying under it."),
        },
    )
    currency = fields.String(
        load_default="EUR",
        validate=validate.Length(min=1, max=8),
        metadata={"label": _l("Currency")},
    )
    rule = fields.String(
        load_default="greedy",
        validate=validate.OneOf(
            RULES,
            labels=[
                _l("Greedy: most votes first, skipping what no longer fits"),
                _l("Greedy, stopping at the first project that does not fit"),
                _l("Greedy, only projects above a minimum of votes"),
                _l("Method of Equal Shares (cost)"),
                _l("Method of Equal Shares (number of projects)"),
                _l("Sequential Phragmén"),
            ],
        ),
        metadata={
            "label": _l("Rule that decides the winners"),
            "help": _l("Announce it before the vote."),
        },
    )
    completion = fields.String(
        load_default="none",
        validate=validate.OneOf(
            COMPLETIONS,
            labels=[
                _l("None"),
                _l("Add-one (raise the voters' budgets)"),
                _l("Greedy on what is left"),
            ],
        ),
        metadata={"label": _l("Completion of Equal Shares")},
    )
    threshold = _count(_l("Minimum votes for greedy with a threshold"), 0, maximum=10_000_000)
    analytics_public = fields.Boolean(
        load_default=False,
        metadata={"label": _l("Everyone sees the votes by profile (age band, district...)")},
    )
    analytics_fields = fields.List(
        fields.String(validate=validate.Length(max=60)),
        load_default=list,
        metadata={
            "label": _l("Profile fields the analytics break votes down by"),
            "help": _l("Names of the platform's profile fields, one per line."),
        },
    )

    @validates_schema
    def _coherent(self, data: dict, **kwargs: object) -> None:
        low, high = data.get("minimum_projects", 0), data.get("maximum_projects", 0)
        if high and low > high:
            raise ValidationError(
                str(_l("The fewest projects cannot be more than the most projects.")),
                "minimum_projects",
            )
        if data.get("vote_type") == "cumulative" and not data.get("points"):
            raise ValidationError(str(_l("Give the points each voter shares out.")), "points")
        if data.get("vote_type") == "ordinal" and not data.get("ranks"):
            raise ValidationError(str(_l("Give how many projects voters rank.")), "ranks")


class BudgetsStepSettings(Schema):
    """What a budgets component allows in one step."""

    announcement = fields.String(
        load_default="",
        validate=validate.Length(max=2000),
        metadata={"label": _l("Announcement shown at the top"), "widget": "textarea"},
    )
    projects_shown = fields.Boolean(load_default=True, metadata={"label": _l("Projects are shown")})
    votes_open = fields.Boolean(load_default=False, metadata={"label": _l("Voting is open")})
    vote_counts_shown = fields.Boolean(
        load_default=False, metadata={"label": _l("Vote counts are shown before the results")}
    )
