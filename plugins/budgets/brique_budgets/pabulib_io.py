"""Pabulib files in and out of the database.

Export: a budget's selected projects and cast ballots, voter ids being the fingerprints of
the receipts (anyone finds their own ballot; nobody learns whose a line is). Import: a file
becomes a new budgets component of a process, its votes paper ballots, so that a city can
rehearse a vote, train its staff or show the platform on real data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import insert, select

from brique.plugin_api import Component, Space, User, db, log_action, now, settings_of
from brique_budgets.models import Ballot, BallotItem, Budget, Project
from brique_budgets.results import collect_votes
from brique_budgets.schemas import BudgetsSettings, BudgetsStepSettings
from brique_budgets.voting import Instance, Profile, read_pabulib, write_pabulib

#: Our ballot settings from Pabulib's vote type.
VOTE_TYPES = {"approval": "approval", "cumulative": "cumulative", "ordinal": "ordinal"}
CHUNK = 5_000


def pabulib_meta(component: Component, budget: Budget) -> dict[str, str]:
    """The META lines that describe the ballot's rules, as Pabulib names them."""
    settings = settings_of(component)
    meta = {"description": budget.title, "currency": settings["currency"], "rule": settings["rule"]}
    if settings["vote_type"] == "knapsack":
        meta["max_sum_cost"] = str(budget.amount)
    if settings["vote_type"] == "cumulative":
        meta["max_sum_points"] = str(settings["points"])
    if settings["minimum_projects"]:
        meta["min_length"] = str(settings["minimum_projects"])
    if settings["maximum_projects"]:
        meta["max_length"] = str(settings["maximum_projects"])
    return meta


def export_budget(budget_id: int, target: Path, profile_fields: Sequence[str] = ()) -> int:
    """Write budget ``budget_id`` as a Pabulib file at ``target``; the number of ballots.

    ``profile_fields`` (keys of the platform's profile fields: ``age_band``, ``district``)
    become VOTES columns, from online voters' answers (empty for paper ballots).
    """
    budget = db.session.get(Budget, budget_id)
    if budget is None:
        raise ValueError(f"no budget has the id {budget_id}")
    component = db.session.get(Component, budget.component_id)
    votes = collect_votes(component, budget)
    instance = replace(votes.instance, meta={**pabulib_meta(component, budget)})
    profile = votes.profile
    if profile_fields:
        profile = with_fields(budget, profile, list(profile_fields))
    write_pabulib(instance, profile, target)
    return profile.total_weight


def with_fields(budget: Budget, profile: Profile, keys: list[str]) -> Profile:
    """``profile`` whose ballots carry their online voters' answers to ``keys``."""
    answers = dict(
        db.session.execute(
            select(Ballot.receipt_hash, User.profile)
            .join(User, User.id == Ballot.user_id)
            .where(Ballot.budget_id == budget.id, Ballot.cast_at.is_not(None))
        ).all()
    )
    ballots = [
        replace(
            ballot,
            fields={key: str((answers.get(ballot.voter_id) or {}).get(key) or "") for key in keys},
        )
        for ballot in profile.ballots
    ]
    return Profile.of(profile.vote_type, ballots)


def import_file(source: Path, space_slug: str, name: str | None = None) -> tuple[Component, int]:
    """A new budgets component of the process ``space_slug`` holding the file's budget,
    projects and votes (as paper ballots). Committed."""
    space = db.session.scalar(select(Space).where(Space.slug == space_slug))
    if space is None:
        raise ValueError(f"no process has the slug {space_slug!r}")
    instance, profile = read_pabulib(source)
    component = _new_component(space, instance, profile, name or source.stem)
    budget = Budget(
        component_id=component.id,
        title=instance.meta.get("description") or source.stem,
        amount=int(instance.budget),
    )
    db.session.add(budget)
    db.session.flush()
    projects = _projects(component, budget, instance)
    count = _ballots(component, budget, profile, projects)
    log_action(
        None, "budgets.import_pabulib", budget, after={"file": source.name, "ballots": count}
    )
    db.session.commit()
    return component, count


def _new_component(space: Space, instance: Instance, profile: Profile, name: str) -> Component:
    vote_type = VOTE_TYPES.get(profile.vote_type, "approval")
    if vote_type == "approval" and instance.meta.get("max_sum_cost"):
        vote_type = "knapsack"
    if profile.vote_type == "choose-1":
        vote_type = "choose-1"
    step = BudgetsStepSettings().load({})
    component = Component(
        space_id=space.id,
        type="budgets",
        name=name[:120],
        position=len(space.components),
        settings=BudgetsSettings().load({"vote_type": vote_type, "currency": currency(instance)}),
        default_step_settings=step,
        step_settings={str(s.id): dict(step) for s in space.steps},
        permissions={},
    )
    db.session.add(component)
    db.session.flush()
    return component


def currency(instance: Instance) -> str:
    """The file's currency: its ``currency`` META line, else the country's."""
    if instance.meta.get("currency"):
        return instance.meta["currency"][:8]
    countries = {"poland": "PLN", "switzerland": "CHF", "us": "USD", "united states": "USD"}
    return countries.get(instance.meta.get("country", "").strip().lower(), "EUR")


def _projects(component: Component, budget: Budget, instance: Instance) -> dict[str, int]:
    ids = {}
    for item in instance.projects:
        project = Project(
            budget_id=budget.id,
            component_id=component.id,
            title=(item.name or item.id)[:200],
            description=_("Project %(id)s of the Pabulib file.", id=item.id),
            cost=int(item.cost),
            selected=True,
            feasibility="feasible",
        )
        db.session.add(project)
        db.session.flush()
        ids[item.id] = project.id
    return ids


def _ballots(
    component: Component, budget: Budget, profile: Profile, projects: dict[str, int]
) -> int:
    """Insert the file's ballots in bulk, as paper ballots (the file's voter id, hashed)."""
    cast_at, count, items = now(), 0, []
    for number, ballot in enumerate(profile.ballots, 1):
        for copy in range(ballot.weight):
            voter = f"{ballot.voter_id or number}#{copy}"
            digest = hashlib.sha256(f"{budget.id}:{voter}".encode()).hexdigest()
            ballot_id = db.session.execute(
                insert(Ballot)
                .values(
                    budget_id=budget.id,
                    component_id=component.id,
                    origin="paper",
                    voter_hash=digest,
                    station="Pabulib",
                    receipt_hash=hashlib.sha256(f"receipt:{digest}".encode()).hexdigest(),
                    total_cost=0,
                    cast_at=cast_at,
                    version=0,
                    created_at=cast_at,
                )
                .returning(Ballot.id)
            ).scalar_one()
            points = ballot.points or (1,) * len(ballot.projects)
            items += [
                {"ballot_id": ballot_id, "project_id": projects[pid], "points": p, "position": n}
                for n, (pid, p) in enumerate(zip(ballot.projects, points, strict=True), 1)
            ]
            count += 1
            if len(items) >= CHUNK:
                db.session.execute(insert(BallotItem), items)
                items = []
    if items:
        db.session.execute(insert(BallotItem), items)
    return count
