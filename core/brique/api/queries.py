"""Reading what the API shows, with what anyone may see and a bounded number of queries."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import func, select

from brique.api.pagination import Page
from brique.clock import now
from brique.components import component_type
from brique.db import db
from brique.forms import to_local
from brique.models import Component, Space
from brique.opendata.tables import plain_value
from brique.permissions import can
from brique.resources import ResourceType, resource_types_of
from brique.spaces.queries import by_phase, visible_spaces
from brique.timeline import active_step

PHASES = ("in_progress", "upcoming", "past")


def spaces_by_phase() -> list[tuple[Space, str]]:
    """Every space the current user may see, with its phase, promoted first."""
    spaces = visible_spaces(current_user)
    grouped = by_phase(spaces, to_local(now()).date())
    phases = {space.id: phase for phase in PHASES for space in getattr(grouped, phase)}
    return [(space, phases[space.id]) for space in spaces]


def phase_of(space: Space) -> str:
    grouped = by_phase([space], to_local(now()).date())
    return next(phase for phase in PHASES if getattr(grouped, phase))


def space_data(space: Space, phase: str) -> dict[str, Any]:
    return {
        **{key: getattr(space, key) for key in SPACE_FIELDS},
        "scope": space.scope.name if space.scope else None,
        "phase": phase,
        "url": url_for("spaces.show", slug=space.slug, _external=True),
    }


SPACE_FIELDS = ("slug", *Space.METADATA_FIELDS, "promoted")


def steps_data(space: Space) -> list[dict[str, Any]]:
    current = active_step(space)
    return [
        {
            "id": step.id,
            "title": step.title,
            "description": step.description,
            "start_at": step.start_at,
            "end_at": step.end_at,
            "active": current is not None and step.id == current.id,
        }
        for step in space.steps
    ]


def visible_components(space: Space) -> list[Component]:
    return [
        component
        for component in space.components
        if component_type(component.type) is not None and can(current_user, "view", component)
    ]


def component_data(component: Component) -> dict[str, Any]:
    ctype = component_type(component.type)
    url = None
    if ctype.entry_endpoint:
        url = url_for(
            ctype.entry_endpoint,
            space_slug=component.space.slug,
            component_id=component.id,
            _external=True,
        )
    return {
        "id": component.id,
        "type": component.type,
        "name": component.name,
        "position": component.position,
        "url": url,
        "resource_types": [rtype.name for rtype in readable_types(component)],
    }


def readable_types(component: Component) -> list[ResourceType]:
    """The component's resource types that opted in to public data."""
    return [rtype for rtype in resource_types_of(component) if rtype.exportable]


def resources_page(
    rtype: ResourceType, component: Component, state: str | None, page: Page
) -> tuple[list[dict[str, Any]], int]:
    """One page of ``rtype``'s public resources in ``component``, oldest first, and the total."""
    statement = rtype.query(component)
    if state is not None and hasattr(rtype.model, "state"):
        statement = statement.where(rtype.model.state == state)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(
        statement.order_by(rtype.model.id).offset(page.offset).limit(page.per_page)
    )
    return [resource_data(rtype, row) for row in rows if rtype.is_public(row)], total


def resource_data(rtype: ResourceType, resource: Any) -> dict[str, Any]:
    # The open data's own conversion: dates in ISO 8601, as the API document says.
    row = plain_value(dict(rtype.export_row(resource)))
    common = {key: row.pop(key, None) for key in ("title", "state", "url", "created_at")}
    row.pop("id", None)
    fingerprint = row.pop("fingerprint", None) or rtype.fingerprint(resource)
    return {
        "type": rtype.name,
        "id": resource.id,
        **common,
        "fingerprint": fingerprint,
        "data": row,
    }
