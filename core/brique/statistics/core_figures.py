"""The core's own figures, given through the statistics hooks like any plugin's.

Only published components count, and for the platform only public processes:
what the figures count is what anyone may see. Each function runs a fixed
number of queries.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, distinct, func, select

from brique.db import db
from brique.models import Comment, Component, Participation, Space
from brique.statistics.figures import Statistic
from brique.statistics.participation import RESOURCE, events

PARTICIPANTS = _l("Participants")
CONTRIBUTIONS = _l("Contributions")
COMMENTS = _l("Comments")
PROCESSES = _l("Processes")


def space_figures(space: Space) -> list[Statistic]:
    """Participants, contributions and comments of ``space``, then contributions per component."""
    per_component = _contributions_by_component(space)
    published = {
        component.id: component for component in space.components if component.is_published
    }
    figures = [
        Statistic(PARTICIPANTS, _participants(Space.id == space.id), key="participants"),
        Statistic(
            CONTRIBUTIONS, sum(per_component.get(key, 0) for key in published), key="contributions"
        ),
        Statistic(COMMENTS, _comments(Space.id == space.id), key="comments"),
    ]
    figures += [
        Statistic(CONTRIBUTIONS, per_component[component_id], component, key="contributions")
        for component_id, component in published.items()
        if per_component.get(component_id)
    ]
    return figures


def platform_figures() -> list[Statistic]:
    """Public processes, and their participants, contributions and comments."""
    public = Space.published_at.is_not(None) & Space.is_private.is_(False)
    processes = db.session.scalar(select(func.count()).select_from(Space).where(public))
    contributions = db.session.scalar(
        _published(select(func.count()).select_from(Participation), Participation).where(
            Participation.kind == RESOURCE, public
        )
    )
    return [
        Statistic(PROCESSES, processes or 0, key="processes"),
        Statistic(PARTICIPANTS, _participants(public), key="participants"),
        Statistic(CONTRIBUTIONS, contributions or 0, key="contributions"),
        Statistic(COMMENTS, _comments(public), key="comments"),
    ]


def _published(statement: Select, source: Any) -> Select:
    """``statement`` limited to rows of published components (joined with their space)."""
    return (
        statement.join(Component, Component.id == source.component_id)
        .join(Space, Space.id == Component.space_id)
        .where(Component.published_at.is_not(None))
    )


def _participants(where: Any) -> int:
    found = events()
    statement = _published(
        select(func.count(distinct(found.c.user_id))).select_from(found), found.c
    )
    return db.session.scalar(statement.where(where)) or 0


def _comments(where: Any) -> int:
    statement = _published(select(func.count()).select_from(Comment), Comment).where(
        Comment.deleted_at.is_(None), Comment.hidden_at.is_(None), where
    )
    return db.session.scalar(statement) or 0


def _contributions_by_component(space: Space) -> dict[int, int]:
    statement = (
        select(Participation.component_id, func.count())
        .where(Participation.space_id == space.id, Participation.kind == RESOURCE)
        .group_by(Participation.component_id)
    )
    return {row[0]: row[1] for row in db.session.execute(statement)}
