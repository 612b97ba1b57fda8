"""A public space's open data as a ZIP archive.

The archive holds ``space.json`` (metadata), ``steps.json``, ``components.json``,
``statistics.json`` (the public figures) and, per published component, a folder
``components/<id>-<type>/`` with a CSV and a JSON file per table: one table per
exportable resource type (:meth:`~brique.resources.ResourceType.export_row`),
plus the tables the component adds through the ``component_open_data`` hook.
The same content and clock give the same bytes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from flask import current_app, render_template, url_for
from sqlalchemy import func, select

from brique.clock import now
from brique.db import db
from brique.models import Comment, Component, Space
from brique.moderation.visibility import comment_shown, hidden_ids
from brique.opendata.tables import OpenDataTable, csv_text, json_text, public_rows
from brique.permissions import can
from brique.resources import ResourceType, resource_types_of
from brique.statistics.figures import public_statistics

SPACE_FIELDS = ("id", "slug", *Space.METADATA_FIELDS, "published_at")


def is_open(space: Space) -> bool:
    """Whether anyone may download ``space``'s open data: anyone may see the space."""
    return bool(can(None, "view", space))


def archive_name(space: Space) -> str:
    return f"{space.slug}-open-data.zip"


def write_archive(space: Space, target: IO[bytes]) -> None:
    """Write the open data of ``space`` (which must be open) to ``target`` as a ZIP."""
    moment = now()
    stamp = moment.timetuple()[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in archive_files(space, moment):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, text.encode("utf-8"))


def archive_files(space: Space, moment: datetime) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every file of the archive, in a stable order."""
    base_url = current_app.config["BASE_URL"]
    listed = []
    for component in published_components(space):
        folder = f"components/{component.id}-{component.type}"
        files = []
        for table in component_tables(component):
            rows = public_rows(table.rows, base_url)
            for extension, text in (("csv", csv_text(rows)), ("json", json_text(rows))):
                files.append(f"{folder}/{table.name}.{extension}")
                yield files[-1], text
        listed.append(component_entry(component, files, base_url))
    yield "space.json", json_text(public_rows([space_entry(space, moment)], base_url)[0])
    yield "steps.json", json_text(public_rows(step_entries(space), base_url))
    yield "components.json", json_text(listed)
    yield "statistics.json", json_text(statistics_entries(space))
    yield "README.txt", render_template("open_data/README.txt", space=space, moment=moment)


def published_components(space: Space) -> list[Component]:
    return [component for component in space.components if component.is_published]


def space_entry(space: Space, moment: datetime) -> dict[str, Any]:
    entry = {name: getattr(space, name) for name in SPACE_FIELDS}
    entry["scope"] = space.scope.name if space.scope else None
    entry["url"] = url_for("spaces.show", slug=space.slug)
    entry["exported_at"] = moment
    return entry


def step_entries(space: Space) -> list[dict[str, Any]]:
    return [
        {
            "id": step.id,
            "position": step.position,
            "title": step.title,
            "description": step.description,
            "start_at": step.start_at,
            "end_at": step.end_at,
        }
        for step in space.steps
    ]


def component_entry(component: Component, files: list[str], base_url: str) -> dict[str, Any]:
    return {
        "id": component.id,
        "type": component.type,
        "name": component.name,
        "position": component.position,
        "published_at": component.published_at.isoformat() if component.published_at else None,
        "files": files,
    }


def statistics_entries(space: Space) -> list[dict[str, Any]]:
    return [
        {
            "key": statistic.key,
            "label": str(statistic.label),
            "value": statistic.value,
            "component_id": statistic.component.id if statistic.component else None,
        }
        for statistic in public_statistics(space)
    ]


# --- The tables of a component --------------------------------------------------------------


def component_tables(component: Component) -> list[OpenDataTable]:
    """The component's exportable resources, then what its plugin adds by hook."""
    tables = [
        resource_table(rtype, component)
        for rtype in resource_types_of(component)
        if rtype.exportable
    ]
    hook = current_app.extensions["brique"].hook
    for contributed in hook.component_open_data(component=component):
        tables.extend(as_table(item) for item in contributed or [])
    names = [table.name for table in tables]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(
            f"component {component.id} ({component.type}): two open data tables are named "
            f"{', '.join(duplicates)}; give each table of component_open_data its own name"
        )
    return tables


def as_table(item: Any) -> OpenDataTable:
    """A hook's contribution: an :class:`OpenDataTable` or a ``(name, rows)`` pair."""
    if isinstance(item, OpenDataTable):
        return item
    name, rows = item
    return OpenDataTable(name, list(rows))


def resource_table(rtype: ResourceType, component: Component) -> OpenDataTable:
    """Rows of the public resources of one type, with their count of visible comments."""
    resources = [
        resource
        for resource in db.session.scalars(rtype.query(component).order_by(rtype.model.id))
        if rtype.is_public(resource)
    ]
    hidden = hidden_ids(rtype.name, [resource.id for resource in resources])
    comments = comment_counts(rtype, component) if rtype.commentable else None
    rows = []
    for resource in resources:
        if resource.id in hidden:
            continue
        row = dict(rtype.export_row(resource))
        if comments is not None:
            row["comments_count"] = comments.get(resource.id, 0)
        rows.append(row)
    return OpenDataTable(rtype.name, rows)


def comment_counts(rtype: ResourceType, component: Component) -> dict[int, int]:
    """Comments shown on each resource of ``component`` (not deleted or hidden, author not
    blocked), in one query.

    By component rather than by list of ids: an export may hold thousands of resources.
    """
    statement = (
        select(Comment.resource_id, func.count())
        .where(
            Comment.component_id == component.id,
            Comment.resource_type == rtype.name,
            comment_shown(),
        )
        .group_by(Comment.resource_id)
    )
    return {row[0]: row[1] for row in db.session.execute(statement)}
