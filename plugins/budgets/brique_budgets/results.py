"""Results: the ballots of a budget counted by the rule announced, kept as plain data.

The count runs in :mod:`brique_budgets.voting` (the same outcomes as pabutools); this module
turns the database into its input (online and paper ballots, polling-station counts) and its
output into what the results page shows. A result is computed by staff, stored on the budget
with the moment it was computed, then published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from brique.plugin_api import (
    Chart,
    Component,
    User,
    db,
    log_action,
    now,
    render_chart,
    settings_of,
)
from brique_budgets.analytics import breakdown
from brique_budgets.models import Ballot, BallotItem, Budget, Project, StationCount
from brique_budgets.voting import Ballot as VotingBallot
from brique_budgets.voting import Instance, Profile, compute_outcome
from brique_budgets.voting import Project as VotingProject

#: Pabulib's vote type of each of our ballots.
PABULIB_TYPES = {
    "knapsack": "approval",
    "approval": "approval",
    "choose-1": "choose-1",
    "cumulative": "cumulative",
    "ordinal": "ordinal",
}


@dataclass(frozen=True)
class Votes:
    """A budget's votes, ready for the count: per-project figures and the profile."""

    instance: Instance
    profile: Profile
    online: dict[int, int]
    paper: dict[int, int]


def budget_projects(budget: Budget) -> list[Project]:
    return list(
        db.session.scalars(
            select(Project)
            .where(Project.budget_id == budget.id, Project.selected.is_(True))
            .order_by(Project.id)
        )
    )


def instance_of(budget: Budget, projects: list[Project]) -> Instance:
    return Instance(
        budget=budget.amount,
        projects=tuple(VotingProject(id=str(p.id), cost=p.cost, name=p.title) for p in projects),
        meta={"description": budget.title},
    )


def collect_votes(component: Component, budget: Budget) -> Votes:
    """Every cast ballot (online and paper) and every polling-station count of ``budget``.

    A station's count for a project enters the count as that many ballots approving that
    project alone: exact for the greedy rules, which add up votes; Equal Shares and
    Phragmén, which look at who supports what together, are exact only with ballots
    entered one by one.
    """
    vote_type = PABULIB_TYPES[settings_of(component)["vote_type"]]
    projects = budget_projects(budget)
    wanted = {p.id for p in projects}
    ballots, online, paper = _cast_ballots(budget, vote_type, wanted)
    for project_id, votes in _station_totals(budget).items():
        if project_id in wanted and votes:
            paper[project_id] += votes
            ballots.append(
                VotingBallot(
                    projects=(str(project_id),),
                    points=(1,) if vote_type == "cumulative" else None,
                    weight=votes,
                )
            )
    profile = Profile.of(vote_type, ballots)
    return Votes(instance_of(budget, projects), profile, dict(online), dict(paper))


def _cast_ballots(
    budget: Budget, vote_type: str, wanted: set[int]
) -> tuple[list[VotingBallot], defaultdict[int, int], defaultdict[int, int]]:
    rows = db.session.execute(
        select(
            Ballot.id, Ballot.origin, Ballot.receipt_hash, BallotItem.project_id, BallotItem.points
        )
        .join(BallotItem, BallotItem.ballot_id == Ballot.id)
        .where(Ballot.budget_id == budget.id, Ballot.cast_at.is_not(None))
        .order_by(Ballot.id, BallotItem.position, BallotItem.id)
    )
    grouped: dict[int, tuple[str, str, list[tuple[int, int]]]] = {}
    for ballot_id, origin, digest, project_id, points in rows:
        if project_id in wanted:
            grouped.setdefault(ballot_id, (origin, digest or "", []))[2].append(
                (project_id, points)
            )
    online: defaultdict[int, int] = defaultdict(int)
    paper: defaultdict[int, int] = defaultdict(int)
    ballots = []
    for origin, digest, items in grouped.values():
        counted = online if origin == "online" else paper
        for project_id, points in items:
            counted[project_id] += points if vote_type == "cumulative" else 1
        ballots.append(
            VotingBallot(
                projects=tuple(str(project_id) for project_id, _ in items),
                points=tuple(p for _, p in items) if vote_type == "cumulative" else None,
                voter_id=digest,
            )
        )
    return ballots, online, paper


def _station_totals(budget: Budget) -> dict[int, int]:
    totals: defaultdict[int, int] = defaultdict(int)
    rows = db.session.execute(
        select(StationCount.project_id, StationCount.votes).where(
            StationCount.budget_id == budget.id
        )
    )
    for project_id, votes in rows:
        totals[project_id] += votes
    return totals


def compute_result(
    component: Component,
    budget: Budget,
    user: User | None,
    progress: Callable[[int, int | None], None] | None = None,
) -> dict[str, Any]:
    """Count ``budget``'s votes by the component's rule, store the result on the budget
    (logged, not committed) and return it."""
    settings = settings_of(component)
    votes = collect_votes(component, budget)
    projects = {str(p.id): p for p in budget_projects(budget)}
    forced = [pid for pid, p in projects.items() if p.forced_winner]
    excluded = [pid for pid, p in projects.items() if p.excluded]
    completion = None if settings["completion"] == "none" else settings["completion"]
    if settings["inverted"]:
        return _store(budget, user, _savings(votes, projects, settings, forced, excluded))
    outcome = compute_outcome(
        votes.instance,
        votes.profile,
        settings["rule"],
        completion=completion if settings["rule"].startswith("equal-shares") else None,
        threshold=settings["threshold"] if settings["rule"] == "greedy-threshold" else None,
        forced=forced,
        excluded=excluded,
        progress=progress,
    )
    return _store(budget, user, _as_data(outcome, votes, projects, settings))


def _store(budget: Budget, user: User | None, result: dict[str, Any]) -> dict[str, Any]:
    settings = settings_of(budget.component)
    result["analytics"] = breakdown(budget, settings["analytics_fields"])
    budget.result, budget.result_computed_at = result, now()
    log_action(user, "budgets.compute_result", budget, after={"selected": result["selected"]})
    return result


def _savings(
    votes: Votes, projects: dict[str, Project], settings: dict, forced: list, excluded: list
) -> dict[str, Any]:
    """An inverted budget: the most voted savings are adopted, in the order greedy ranks
    them (ties as pabutools breaks them), until their total reaches the target."""
    everything = replace(votes.instance, budget=sum(p.cost for p in projects.values()) or 1)
    ranked = compute_outcome(everything, votes.profile, "greedy", forced=forced, excluded=excluded)
    data = _as_data(ranked, votes, projects, settings)
    data["amount"] = target = int(votes.instance.budget)
    total, adopted = 0, []
    by_id = {row["project_id"]: row for row in data["projects"]}
    for project_id in data["selected"]:
        row = by_id[project_id]
        if total >= target:
            row.update(selected=False, rank=None, stage=None, reason="target-reached")
            continue
        adopted.append(project_id)
        total += row["cost"]
    data.update(selected=adopted, cost=total, rule="savings")
    return data


def _as_data(outcome: Any, votes: Votes, projects: dict[str, Project], settings: dict) -> dict:
    rows = []
    for item in outcome.projects:
        project = projects[item.project_id]
        pid = project.id
        rows.append(
            {
                "project_id": pid,
                "title": project.title,
                "cost": project.cost,
                "score": item.score,
                "online": votes.online.get(pid, 0),
                "paper": votes.paper.get(pid, 0),
                "selected": item.selected,
                "rank": item.rank,
                "reason": str(item.reason) if item.reason else None,
                "stage": str(item.stage) if item.stage else None,
                "forced": project.forced_winner,
                "excluded": project.excluded,
                "decision_reason": project.decision_reason,
            }
        )
    rows.sort(key=lambda row: (-row["score"], str(row["project_id"])))
    return {
        "rule": settings["rule"],
        "completion": settings["completion"],
        "vote_type": settings["vote_type"],
        "voters": votes.profile.total_weight,
        "selected": [int(pid) for pid in outcome.selected],
        "cost": int(outcome.cost),
        "amount": int(outcome.budget),
        "projects": rows,
    }


def results_chart(budget: Budget, result: dict[str, Any]) -> Markup:
    """The votes of each project as the core's accessible bar chart."""
    return render_chart(
        Chart(
            id=f"budget-{budget.id}-votes",
            title=_("Votes per project"),
            points=[(row["title"], row["score"]) for row in result["projects"]],
            label_header=_("Project"),
            value_header=_("Votes"),
        )
    )


def published_ballots(budget: Budget) -> list[dict[str, Any]]:
    """The cast ballots as anyone may read them: the receipt's fingerprint, online or paper,
    the projects in the ballot's order and their points; nothing about who cast them."""
    rows = db.session.execute(
        select(Ballot.receipt_hash, Ballot.origin, BallotItem.project_id, BallotItem.points)
        .join(BallotItem, BallotItem.ballot_id == Ballot.id)
        .where(Ballot.budget_id == budget.id, Ballot.cast_at.is_not(None))
        .order_by(Ballot.receipt_hash, BallotItem.position, BallotItem.id)
    )
    ballots: dict[str, dict[str, Any]] = {}
    for digest, origin, project_id, points in rows:
        entry = ballots.setdefault(digest, {"receipt_hash": digest, "origin": origin, "votes": []})
        entry["votes"].append((project_id, points))
    return list(ballots.values())
