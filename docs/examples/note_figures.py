"""Example of ``space_statistics``, ``platform_statistics`` and ``component_open_data``.

Figures and open data about the notes of the ``tiny`` component. A component
would implement these hooks in its own plugin; here a separate plugin reads
the notes through their resource type, as any plugin may.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from brique.plugin_api import (
    Component,
    OpenDataTable,
    Plugin,
    Space,
    Statistic,
    db,
    hookimpl,
    resource_type,
)


def notes_by_component(component_ids: list[int]) -> dict[int, int]:
    """How many notes each component holds, in one query."""
    note = resource_type("tiny.note").model
    statement = (
        select(note.component_id, func.count().label("notes"))
        .where(note.component_id.in_(component_ids))
        .group_by(note.component_id)
    )
    return {row.component_id: row.notes for row in db.session.execute(statement)}


class NoteFiguresPlugin(Plugin):
    name = "note_figures"
    api_version = "1.1"

    @hookimpl
    def space_statistics(self, space: Space) -> list[Statistic] | None:
        notes = [component for component in space.components if component.type == "tiny"]
        if not notes:
            return None
        counts = notes_by_component([component.id for component in notes])
        return [
            Statistic("Notes left", counts.get(c.id, 0), component=c, key="note_figures.notes")
            for c in notes
        ]

    @hookimpl
    def platform_statistics(self) -> list[Statistic]:
        note = resource_type("tiny.note").model
        public = (
            select(func.count(note.id))
            .join(Component, Component.id == note.component_id)
            .join(Space, Space.id == Component.space_id)
            .where(Component.published_at.is_not(None), Space.published_at.is_not(None))
            .where(Space.is_private.is_(False))
        )
        return [Statistic("Notes left", db.session.scalar(public) or 0, key="note_figures.notes")]

    @hookimpl
    def component_open_data(self, component: Component) -> list[OpenDataTable] | None:
        if component.type != "tiny":
            return None
        note = resource_type("tiny.note").model
        days = Counter(
            created_at.date().isoformat()
            for created_at in db.session.scalars(
                select(note.created_at).where(note.component_id == component.id)
            )
        )
        rows: list[dict[str, Any]] = [
            {"day": day, "notes": count} for day, count in sorted(days.items())
        ]
        return [OpenDataTable("notes-per-day", rows)]
