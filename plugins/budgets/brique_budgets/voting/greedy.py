"""Greedy rules: fund the projects in decreasing order of score while the money lasts."""

from __future__ import annotations

from collections.abc import Iterable

from brique_budgets.voting.outcome import Reason, Selection, Stage
from brique_budgets.voting.scores import Tally


def greedy_order(tally: Tally, projects: Iterable[int]) -> list[int]:
    """``projects`` from the highest score to the lowest, ties broken by project id (as text).

    As in pabutools (utilitarian greedy with cost satisfaction), a free project counts as if it
    had score 0: it comes last, and is funded anyway since it fits.
    """
    scores, costs, ids = tally.scores, tally.costs, tally.ids
    return sorted(projects, key=lambda n: (-scores[n] if costs[n] > 0 else 0, ids[n]))


def greedy(
    tally: Tally,
    projects: Iterable[int],
    budget: int,
    *,
    skip: bool = True,
    selection: Selection | None = None,
    stage: Stage = Stage.RULE,
) -> Selection:
    """Greedy rule: take the projects from the highest score down and fund each one that still
    fits in the money left; a project that costs more than what is left is passed over and the
    next ones are still tried (``skip=True``, pabutools' ``greedy_utilitarian_welfare``), or the
    count stops there (``skip=False``, "greedy without skipping").

    ``budget`` is in the tally's units; ``selection`` lets a completion continue another rule's
    result, adding its projects with ``stage``.
    """
    selection = selection if selection is not None else Selection()
    costs, left = tally.costs, budget
    order = greedy_order(tally, projects)
    for position, project in enumerate(order):
        if costs[project] <= left:
            selection.add(project, stage)
            left -= costs[project]
            continue
        selection.reasons[project] = Reason.DID_NOT_FIT
        if not skip:
            for later in order[position + 1 :]:
                selection.reasons[later] = Reason.NOT_REACHED
            break
    return selection
