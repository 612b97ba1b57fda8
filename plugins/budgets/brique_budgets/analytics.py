"""Vote analytics: the votes of each project broken down by participant profile fields.

Computed with the result (one pass over the cast ballots) and stored with it. Paper
ballots and people who did not answer count under "not known". Cells of fewer than
:data:`SMALLEST_SHOWN` votes are not shown to the public: a district's only voter over 80
must not be recognisable.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from brique.plugin_api import ProfileField, User, db
from brique_budgets.models import Ballot, BallotItem, Budget

#: Public analytics show cells of at least this many votes.
SMALLEST_SHOWN = 5
#: The key of the column of people whose answer is not known.
UNKNOWN = ""


def profile_fields(keys: list[str]) -> list[ProfileField]:
    """The platform's profile fields named in ``keys``, in that order."""
    found = {
        f.key: f for f in db.session.scalars(select(ProfileField).where(ProfileField.key.in_(keys)))
    }
    return [found[key] for key in keys if key in found]


def breakdown(budget: Budget, keys: list[str]) -> dict[str, Any]:
    """``{key: {"label", "values", "voters": {value: n}, "votes": {project_id: {value: n}}}}``
    for each profile field of ``keys``."""
    fields = profile_fields(keys)
    if not fields:
        return {}
    profiles = _voter_profiles(budget)
    result = {}
    for field in fields:
        values = list(field.choices or [])
        voters = Counter(_value(profile, field.key, values) for profile in profiles.values())
        votes: defaultdict[int, Counter] = defaultdict(Counter)
        for ballot_id, project_id in _items(budget):
            votes[project_id][_value(profiles.get(ballot_id), field.key, values)] += 1
        result[field.key] = {
            "label": field.label,
            "values": [*values, UNKNOWN],
            "voters": dict(voters),
            "votes": {str(pid): dict(counts) for pid, counts in votes.items()},
        }
    return result


def _value(profile: dict | None, key: str, values: list[str]) -> str:
    value = str((profile or {}).get(key) or "")
    return value if value in values else UNKNOWN


def _voter_profiles(budget: Budget) -> dict[int, dict | None]:
    rows = db.session.execute(
        select(Ballot.id, User.profile)
        .outerjoin(User, User.id == Ballot.user_id)
        .where(Ballot.budget_id == budget.id, Ballot.cast_at.is_not(None))
    )
    return dict(rows.all())


def _items(budget: Budget) -> list[tuple[int, int]]:
    rows = db.session.execute(
        select(BallotItem.ballot_id, BallotItem.project_id)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.budget_id == budget.id, Ballot.cast_at.is_not(None))
    )
    return [tuple(row) for row in rows]


def shown(count: int, public: bool) -> int | None:
    """What a cell shows: the count, or ``None`` ("fewer than 5") for the public."""
    return None if public and 0 < count < SMALLEST_SHOWN else count
