"""Paper and in-person ballots: entered one by one by staff, or counted per polling station.

A paper ballot's voter is known only by a keyed hash of the identifier staff read from
their card (never stored in clear): a second paper ballot with the same identifier in the
same budget is refused by the database. The same rules as online apply; the voter gets a
receipt code on a slip, to check their ballot in the published data like everyone.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import Component, User, db, log_action, now
from brique_budgets.ballot_rules import Line, problems
from brique_budgets.ballots import BallotRefused, Cast, new_receipt, receipt_hash, rules_of
from brique_budgets.models import Ballot, BallotItem, Budget, Project, StationCount


def voter_hash(budget: Budget, identifier: str) -> str:
    """A keyed hash of a paper voter's identifier: equal for the same person in the same
    budget, useless to anyone without the site's secret key."""
    normal = " ".join(identifier.casefold().split())
    key = f"{current_app.config['SECRET_KEY']}:budgets:{budget.id}".encode()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def votable_projects(budget: Budget) -> list[Project]:
    return list(
        db.session.scalars(
            select(Project)
            .where(Project.budget_id == budget.id, Project.selected.is_(True))
            .order_by(Project.title, Project.id)
        )
    )


def paper_lines(budget: Budget, choices: Mapping[int, int]) -> list[Line]:
    """The ballot's lines from ``{project_id: points}`` (ranks order ordinal ballots)."""
    projects = {project.id: project for project in votable_projects(budget)}
    unknown = [project_id for project_id in choices if project_id not in projects]
    if unknown:
        raise BallotRefused(_("This project is not on the ballot."))
    return [
        Line(p.id, p.title, p.cost, p.category_id, points)
        for p, points in ((projects[project_id], points) for project_id, points in choices.items())
    ]


def enter_paper_ballot(
    component: Component,
    budget: Budget,
    identifier: str,
    station: str,
    choices: Mapping[int, int],
    staff: User,
) -> Cast:
    """Record a paper ballot; ``choices`` maps project ids to points (1 unless cumulative),
    in the ballot's order (ranks of ordinal ballots). Logged, not committed.

    :raises BallotRefused: the ballot breaks the rules, or this voter already has one.
    """
    if not identifier.strip():
        raise BallotRefused(_("Give the voter's identifier: it prevents voting twice."))
    lines = paper_lines(budget, choices)
    reasons = problems(rules_of(component, budget), lines)
    if reasons:
        raise BallotRefused(*reasons)
    receipt = new_receipt()
    ballot = Ballot(
        budget_id=budget.id,
        component_id=component.id,
        origin="paper",
        voter_hash=voter_hash(budget, identifier),
        station=station.strip()[:120],
        receipt_code=receipt,
        receipt_hash=receipt_hash(receipt),
        total_cost=sum(line.cost for line in lines),
        cast_at=now(),
        entered_by_id=staff.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(ballot)
            db.session.flush()
    except IntegrityError:
        raise BallotRefused(_("This voter already has a paper ballot in this budget.")) from None
    for position, line in enumerate(lines, start=1):
        db.session.add(
            BallotItem(
                ballot_id=ballot.id,
                project_id=line.project_id,
                points=line.points,
                position=position,
            )
        )
    log_action(staff, "budgets.enter_paper_ballot", budget, after={"station": ballot.station})
    return Cast(ballot, receipt)


def record_station_counts(
    budget: Budget, station: str, counts: Mapping[int, int], staff: User
) -> int:
    """Set the votes counted for each project at ``station`` (replacing what was entered
    for it before). Returns the total of votes. Logged, not committed."""
    station = station.strip()[:120]
    if not station:
        raise BallotRefused(_("Give the polling station's name."))
    projects = {project.id for project in votable_projects(budget)}
    if any(project_id not in projects for project_id in counts):
        raise BallotRefused(_("This project is not on the ballot."))
    if any(votes < 0 for votes in counts.values()):
        raise BallotRefused(_("A number of votes cannot be negative."))
    before = station_counts(budget, station)
    db.session.execute(
        delete(StationCount).where(
            StationCount.budget_id == budget.id, StationCount.station == station
        )
    )
    for project_id, votes in counts.items():
        if votes:
            db.session.add(
                StationCount(
                    budget_id=budget.id,
                    station=station,
                    project_id=project_id,
                    votes=votes,
                    entered_by_id=staff.id,
                )
            )
    db.session.flush()
    log_action(
        staff,
        "budgets.record_station_counts",
        budget,
        before={"station": station, "counts": {str(k): v for k, v in before.items()}},
        after={"station": station, "counts": {str(k): v for k, v in counts.items() if v}},
    )
    return sum(counts.values())


def station_counts(budget: Budget, station: str) -> dict[int, int]:
    rows = db.session.execute(
        select(StationCount.project_id, StationCount.votes).where(
            StationCount.budget_id == budget.id, StationCount.station == station
        )
    )
    return dict(rows.all())


def stations(budget: Budget) -> list[str]:
    """The polling stations with counts or paper ballots in ``budget``, by name."""
    counted = select(StationCount.station).where(StationCount.budget_id == budget.id)
    entered = select(Ballot.station).where(
        Ballot.budget_id == budget.id, Ballot.origin == "paper", Ballot.station != ""
    )
    names = set(db.session.scalars(counted)) | set(db.session.scalars(entered))
    return sorted(names, key=str.casefold)


def parse_choices(form: Mapping[str, str], projects: Sequence[Project]) -> dict[int, int]:
    """``{project_id: points}`` from a form with ``points-<id>`` fields (empty or 0: not
    chosen; checkboxes send 1), ordered by ``rank-<id>`` when ranks are given."""
    chosen: list[tuple[int, int, int]] = []
    for project in projects:
        points = whole_number(form.get(f"points-{project.id}", ""))
        if points:
            rank = whole_number(form.get(f"rank-{project.id}", "")) or 10_000
            chosen.append((rank, project.id, points))
    return {project_id: points for _, project_id, points in sorted(chosen)}


def whole_number(text: str) -> int:
    try:
        return max(0, int(str(text).strip() or 0))
    except ValueError:
        raise BallotRefused(_("Write whole numbers.")) from None
