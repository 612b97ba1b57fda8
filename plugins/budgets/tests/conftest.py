"""The reference the vote count is checked against: pabutools, and the real Pabulib files.

pabutools is a test dependency only (``pip install brique-budgets[test]``); the tests that
need it skip cleanly without it, as do those that need the Pabulib files (a ``shared/pabulib``
folder beside the repository checkout, or the folder ``BRIQUE_PABULIB_DIR`` names).
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest

from brique_budgets.voting import Instance, Profile


def pabulib_folders() -> list[Path]:
    """Where the real Pabulib files may be: ``BRIQUE_PABULIB_DIR``, then beside the checkout."""
    named = os.environ.get("BRIQUE_PABULIB_DIR")
    beside = (Path(__file__).parents[3] / ".." / "shared" / "pabulib").resolve()
    return [Path(named), beside] if named else [beside]


@pytest.fixture
def pabulib_file():
    """``pabulib_file("Poland_Lodz_2022")``: the path of that real file, or a skip."""

    def find(name: str) -> Path:
        for folder in pabulib_folders():
            if (folder / f"{name}.pb").is_file():
                return folder / f"{name}.pb"
        pytest.skip(f"the Pabulib file {name}.pb is not available")

    return find


@pytest.fixture(scope="session")
def pabutools():
    """The reference implementation (see ``Reference``)."""
    pytest.importorskip("pabutools")
    return Reference()


class Reference:
    """pabutools run with the definitions ``compute_outcome`` documents: the same rules, the
    same satisfactions, forced projects paid first and excluded ones removed."""

    def __init__(self) -> None:
        from pabutools.election import (
            Additive_Borda_Sat,
            Additive_Cardinal_Sat,
            AdditiveSatisfaction,
            Cardinality_Sat,
            Cost_Sat,
        )
        from pabutools.election.satisfaction.positionalsatisfaction import borda_sat_func

        class PointsCostSat(AdditiveSatisfaction):
            def __init__(self, instance, profile, ballot):
                def func(_i, _p, ballot, project, _v):
                    return ballot.get(project, 0) * project.cost

                super().__init__(instance, profile, ballot, func)

        class BordaCostSat(AdditiveSatisfaction):
            def __init__(self, instance, profile, ballot):
                def func(_i, _p, ballot, project, _v):
                    return borda_sat_func(ballot, project) * project.cost

                super().__init__(instance, profile, ballot, func)

        self.cost_sat = {"approval": Cost_Sat, "cumulative": PointsCostSat, "ordinal": BordaCostSat}
        self.cardinality_sat = {
            "approval": Cardinality_Sat,
            "cumulative": Additive_Cardinal_Sat,
            "ordinal": Additive_Borda_Sat,
        }

    def convert(self, instance: Instance, profile: Profile, drop=(), budget=None, grouped=False):
        """pabutools' instance and profile for ours, without the ``drop`` projects; identical
        ballots ``grouped`` in a multiprofile (faster, same results) if asked."""
        from gmpy2 import mpq
        from pabutools.election import Instance as PInstance
        from pabutools.election import Project as PProject

        # Dropped projects stay on the ballots (they keep their place in rankings) but are
        # not in the instance, so no rule considers them.
        projects = {p.id: PProject(p.id, _exact(p.cost)) for p in instance.projects}
        kept = [projects[p.id] for p in instance.projects if p.id not in set(drop)]
        limit = instance.budget if budget is None else budget
        pinstance = PInstance(kept, budget_limit=mpq(limit.numerator, limit.denominator))
        pprofile = self._profile(profile, projects, pinstance)
        return pinstance, pprofile.as_multiprofile() if grouped else pprofile

    def _profile(self, profile: Profile, projects, pinstance):
        from pabutools.election import (
            ApprovalBallot,
            ApprovalProfile,
            CumulativeBallot,
            CumulativeProfile,
            OrdinalBallot,
            OrdinalProfile,
        )

        ballots = []
        for ballot in profile.ballots:
            named = [projects[pid] for pid in ballot.projects]
            if profile.vote_type == "cumulative":
                made = CumulativeBallot(dict(zip(named, ballot.points, strict=True)))
            elif profile.vote_type == "ordinal":
                made = OrdinalBallot(named)
            else:
                made = ApprovalBallot(named)
            ballots.extend([made] * ballot.weight)
        kinds = {"cumulative": CumulativeProfile, "ordinal": OrdinalProfile}
        return kinds.get(profile.vote_type, ApprovalProfile)(ballots, instance=pinstance)

    def outcome(self, instance, profile, rule, completion=None, *, grouped=False, **choices):
        """The project ids pabutools funds, in order (forced ones first); ``choices`` are
        ``compute_outcome``'s ``threshold``, ``forced`` and ``excluded``."""
        threshold = choices.get("threshold")
        forced, excluded = choices.get("forced", ()), choices.get("excluded", ())
        kind = "approval" if profile.vote_type in ("approval", "choose-1") else profile.vote_type
        scores = self.scores(instance, profile)
        below = {p for p, s in scores.items() if threshold is not None and s < threshold}
        drop = set(forced) | set(excluded) | (below - set(forced))
        left = instance.budget - sum(instance.project(p).cost for p in forced)
        pinstance, pprofile = self.convert(instance, profile, drop, left, grouped)
        chosen = self._run(pinstance, pprofile, kind, rule, completion)
        return [*forced, *(p.name for p in chosen)]

    def scores(self, instance: Instance, profile: Profile) -> dict[str, int]:
        """Each project's score, counted independently of ``Tally``."""
        scores = dict.fromkeys((p.id for p in instance.projects), 0)
        for ballot in profile.ballots:
            for i, pid in enumerate(ballot.projects):
                if profile.vote_type == "cumulative":
                    value = ballot.points[i]
                elif profile.vote_type == "ordinal":
                    value = len(ballot.projects) - i - 1
                else:
                    value = 1
                scores[pid] += value * ballot.weight
        return scores

    def _run(self, pinstance, pprofile, kind, rule, completion):
        from pabutools.rules import (
            completion_by_rule_combination,
            greedy_utilitarian_welfare,
            method_of_equal_shares,
            sequential_phragmen,
        )

        greedy_params = {"sat_class": self.cost_sat[kind]}
        if rule in ("greedy", "greedy-threshold"):
            return greedy_utilitarian_welfare(pinstance, pprofile, **greedy_params)
        if rule == "greedy-no-skip":
            return self._greedy_no_skip(pinstance, pprofile, greedy_params)
        if rule == "phragmen":
            return sequential_phragmen(pinstance, pprofile)
        sats = self.cardinality_sat if rule.endswith("cardinality") else self.cost_sat
        mes_params = {"sat_class": sats[kind]}
        if completion in ("add1", "add1-greedy"):
            mes_params["voter_budget_increment"] = 1
        if completion in ("greedy", "add1-greedy"):
            return completion_by_rule_combination(
                pinstance,
                pprofile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [mes_params, greedy_params],
            )
        return method_of_equal_shares(pinstance, pprofile, **mes_params)

    def _greedy_no_skip(self, pinstance, pprofile, params):
        """pabutools' greedy order (its outcome with room for everything), cut at the first
        project that does not fit."""
        from pabutools.election import Instance as PInstance
        from pabutools.rules import greedy_utilitarian_welfare

        roomy = PInstance(pinstance, budget_limit=sum(p.cost for p in pinstance) + 1)
        order, chosen, left = greedy_utilitarian_welfare(roomy, pprofile, **params), [], None
        left = pinstance.budget_limit
        for project in order:
            if project.cost > left:
                break
            chosen.append(project)
            left -= project.cost
        return chosen


def _exact(amount: Fraction):
    from gmpy2 import mpq

    return (
        amount.numerator if amount.denominator == 1 else mpq(amount.numerator, amount.denominator)
    )


# The fixtures of the tests on the site: components, budgets and projects.
from budgets_fixtures import app_config, component, make_budget, make_component  # noqa: E402, F401

# --- Admin pages (test_admin_*.py) -------------------------------------------------------------


@pytest.fixture
def grant_role(db):
    """``grant_role(space, user, "admin")``: give ``user`` a role in ``space``."""
    from brique.plugin_api import SpaceRole

    def grant(space, user, role):
        db.session.add(SpaceRole(space_id=space.id, user_id=user.id, role=role))
        db.session.commit()
        return user

    return grant


@pytest.fixture
def as_admin(login, admin_user):
    """The test client, logged in as a platform administrator."""
    return login(admin_user)


@pytest.fixture
def log_entries(db):
    """``log_entries("budgets.add_budget")``: the action log's entries with that verb, oldest
    first."""
    from sqlalchemy import select

    from brique.models import ActionLogEntry

    def entries(verb):
        statement = select(ActionLogEntry).where(ActionLogEntry.verb == verb)
        return list(db.session.scalars(statement.order_by(ActionLogEntry.id)))

    return entries


@pytest.fixture
def cast_ballot(db, create_user):
    """``cast_ballot(budget, [project, ...])``: a new participant's ballot, cast, holding the
    projects; ``cast=False`` leaves it a cart."""
    from brique.plugin_api import now
    from brique_budgets.models import Ballot, BallotItem

    def cast(budget, projects=(), *, cast=True):
        ballot = Ballot(budget_id=budget.id, component_id=budget.component_id)
        ballot.user_id = create_user().id
        ballot.cast_at = now() if cast else None
        db.session.add(ballot)
        db.session.flush()
        for position, project in enumerate(projects, start=1):
            db.session.add(
                BallotItem(ballot_id=ballot.id, project_id=project.id, position=position)
            )
        db.session.commit()
        return ballot

    return cast
