"""Participation over time and by profile field, for the administration's charts.

Both read the contributions of :func:`brique.statistics.participation.events`
(resources and comments) of one space, or of every space, whatever their
state: administrators see everything. Days are the institution's days.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from brique.charts import Chart
from brique.db import db
from brique.forms import to_local
from brique.models import ProfileField, Space, User
from brique.statistics.participation import events

PERIODS = ("day", "week")
#: Beyond this many days, "auto" counts per week.
DAYS_SHOWN_PER_DAY = 62
NOT_GIVEN = _l("Not given")
OTHER = _l("Other values")
#: A text or number field shows its most frequent values, the rest grouped.
MOST_VALUES = 12


@dataclass(frozen=True)
class Timeline:
    """Participants and contributions per period."""

    period: str
    participants: Chart
    contributions: Chart


def _scoped(statement: Any, found: Any, space: Space | None) -> Any:
    return statement if space is None else statement.where(found.c.space_id == space.id)


def timeline(space: Space | None, period: str = "auto") -> Timeline:
    """Distinct participants and contributions per day or week (``auto``: by the span)."""
    found = events()
    rows = db.session.execute(_scoped(select(found.c.user_id, found.c.at), found, space)).all()
    days = [(user_id, to_local(at).date()) for user_id, at in rows]
    if period not in PERIODS:
        span = (max(day for _, day in days) - min(day for _, day in days)).days if days else 0
        period = "day" if span <= DAYS_SHOWN_PER_DAY else "week"
    people: dict[date, set[Any]] = {}
    actions: Counter[date] = Counter()
    for user_id, day in days:
        start = _period_start(day, period)
        actions[start] += 1
        if user_id is not None:
            people.setdefault(start, set()).add(user_id)
    starts = _every_period(sorted(actions), period)
    labels = [_period_label(start, period) for start in starts]
    short = tuple(format_date(start, format="d MMM") for start in starts)
    participants = [len(people.get(start, ())) for start in starts]
    contributions = [actions[start] for start in starts]
    return Timeline(
        period,
        _time_chart("participants", TITLES[period, "participants"], labels, short, participants),
        _time_chart("contributions", TITLES[period, "contributions"], labels, short, contributions),
    )


TITLES = {
    ("day", "participants"): _l("Participants per day"),
    ("week", "participants"): _l("Participants per week"),
    ("day", "contributions"): _l("Contributions per day"),
    ("week", "contributions"): _l("Contributions per week"),
}
HEADERS = {"participants": _l("Participants"), "contributions": _l("Contributions")}


def _time_chart(
    key: str, title: Any, labels: list[str], short: tuple[str, ...], values: list[int]
) -> Chart:
    points = list(zip(labels, values, strict=True))
    header = str(HEADERS[key])
    return Chart(key, str(title), points, gettext("Period"), header, "columns", short)


def _period_start(day: date, period: str) -> date:
    return day if period == "day" else day - timedelta(days=day.weekday())


def _every_period(starts: list[date], period: str) -> list[date]:
    """Every period from the first to the last, those without contributions included."""
    if not starts:
        return []
    step = timedelta(days=1 if period == "day" else 7)
    found, current = [], starts[0]
    while current <= starts[-1]:
        found.append(current)
        current += step
    return found


def _period_label(start: date, period: str) -> str:
    if period == "day":
        return format_date(start, format="medium")
    return gettext("Week of %(date)s", date=format_date(start, format="medium"))


def participants_by_field(space: Space | None) -> list[Chart]:
    """For each profile field, how many participants gave each value."""
    fields = db.session.scalars(
        select(ProfileField).order_by(ProfileField.position, ProfileField.id)
    ).all()
    if not fields:
        return []
    found = events()
    people = (
        _scoped(select(found.c.user_id), found, space)
        .where(found.c.user_id.is_not(None))
        .distinct()
    )
    profiles = list(db.session.scalars(select(User.profile).where(User.id.in_(people))))
    return [_field_chart(field, profiles) for field in fields]


def _field_chart(field: ProfileField, profiles: list[dict[str, Any]]) -> Chart:
    counts = Counter(_value_of((profile or {}).get(field.key)) for profile in profiles)
    not_given = counts.pop("", 0)
    if field.type == "choice" and field.choices:
        points = [(choice, counts.pop(choice, 0)) for choice in field.choices]
    else:
        points = []
    common = counts.most_common()
    points += common[:MOST_VALUES]
    rest = sum(count for _, count in common[MOST_VALUES:])
    if rest:
        points.append((str(OTHER), rest))
    if not_given:
        points.append((str(NOT_GIVEN), not_given))
    title = gettext("Participants by %(field)s", field=field.label)
    return Chart(f"field-{field.key}", title, points, field.label, gettext("Participants"))


def _value_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value).strip()
