"""The words of the results page: each rule in plain language, why a project is not funded."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

RULES = {
    "greedy": _l(
        "Projects are taken from the most voted down. Each one is funded if it still fits in "
        "what is left of the budget; a project too expensive for what is left is skipped and "
        "the next ones are still considered."
    ),
    "greedy-no-skip": _l(
        "Projects are taken from the most voted down and funded while they fit. The count stops "
        "at the first project that does not fit in what is left of the budget."
    ),
    "greedy-threshold": _l(
        "Only projects that reached the minimum number of votes can win. Among them, the most "
        "voted are funded first, skipping those that no longer fit."
    ),
    "equal-shares": _l(
        "The Method of Equal Shares gives every voter an equal share of the budget. A project "
        "is funded when its supporters can pay for it together from their shares; at each "
        "step the project that costs its supporters the least per euro of satisfaction is "
        "chosen. Groups of voters get projects in proportion to their size, not only the "
        "majority."
    ),
    "equal-shares-cardinality": _l(
        "The Method of Equal Shares gives every voter an equal share of the budget. A project "
        "is funded when its supporters can pay for it together from their shares; at each "
        "step the project that costs each supporter the least is chosen. Groups of voters "
        "get projects in proportion to their size, not only the majority."
    ),
    "savings": _l(
        "Savings are adopted from the most voted down until together they reach the target."
    ),
    "phragmen": _l(
        "Sequential Phragmén: voters earn money continuously; a project is funded as soon as "
        "its supporters together have earned its cost, and they spend it. It shares the "
        "projects fairly among groups of voters."
    ),
}

COMPLETIONS = {
    "add1": _l(
        "When the method stops with money left, it is run again with larger shares, one unit "
        "at a time, as long as the budget is not exceeded."
    ),
    "greedy": _l("The money the method leaves funds the most voted remaining projects that fit."),
}

REASONS = {
    "excluded": _l("Taken out of the count by the institution"),
    "below-threshold": _l("Below the minimum number of votes"),
    "no-support": _l("No vote"),
    "did-not-fit": _l("Did not fit in the remaining budget"),
    "unaffordable": _l("Its supporters' shares could not pay for it"),
    "not-reached": _l("The count stopped before its turn"),
    "target-reached": _l("Not needed: the savings target was already reached"),
}

STAGES = {
    "forced": _l("Funded by decision of the institution"),
    "rule": _l("Funded"),
    "completion": _l("Funded with the money left"),
}
