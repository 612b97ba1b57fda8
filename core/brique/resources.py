"""Resource types: what components hold, reachable by other components without imports.

A plugin registers a :class:`ResourceType` per kind of resource. Another
component (budgets importing accepted proposals, sortition drawing from
them) asks the core for the type by name and uses this small interface.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import current_app
from sqlalchemy import or_, select

from brique.db import db
from brique.models import Component, ResourceLink


@dataclass(frozen=True)
class ResourceRef:
    """A resource seen from outside its plugin."""

    type: str
    id: int
    title: str
    url: str
    state: str | None
    fingerprint: str
    #: Whether everyone may see it (a project not put to the vote yet is not).
    public: bool = True


class ResourceType:
    """Subclass per kind of resource and return an instance from ``register_resource_types``.

    ``model`` must have an integer ``id`` and a ``component_id`` column.
    """

    #: Unique name, ``"<plugin>.<kind>"``: ``"proposals.proposal"``.
    name: ClassVar[str] = ""
    #: Shown to admins ("Proposal").
    label: ClassVar[str] = ""
    #: The component type holding these resources.
    component_type: ClassVar[str] = ""
    #: The SQLAlchemy model.
    model: ClassVar[type]

    # What the core's participation services may do with these resources. Off by
    # default: a component opts in per resource type.
    #: Participants comment on them (``comment`` action of the component, see ``can()``).
    commentable: ClassVar[bool] = False
    #: Participants report them to the space's moderators.
    reportable: ClassVar[bool] = False
    #: Participants follow them and are notified of what happens to them.
    followable: ClassVar[bool] = False
    #: They appear in the site's search (see :meth:`search_document`).
    searchable: ClassVar[bool] = False
    #: They go into the space's open data (see :meth:`export_row`).
    exportable: ClassVar[bool] = False

    def title(self, resource: Any) -> str:
        """The resource's title as shown elsewhere; the ``title`` column by default."""
        return str(resource.title)

    def url(self, resource: Any) -> str:
        """The public address of the resource; every resource type must define it."""
        raise NotImplementedError(f"{type(self).__name__}.url")

    def state(self, resource: Any) -> str | None:
        """The resource's state (``"accepted"``...); the ``state`` column if there is one."""
        return getattr(resource, "state", None)

    def body(self, resource: Any) -> str:
        """The resource's main text (Markdown); the ``body`` column if there is one."""
        return str(getattr(resource, "body", "") or "")

    # Where a resource stands and what it costs: another component taking it over (budgets
    # importing accepted proposals as projects) keeps them. Each reads the column of the
    # same name by default, so that a model with the usual columns needs no override.

    def cost(self, resource: Any) -> int | None:
        """What the resource costs, in whole units of its component's currency; the ``cost``
        column if there is one. ``None``: no cost (not known, or not to be taken over)."""
        return getattr(resource, "cost", None)

    def category_id(self, resource: Any) -> int | None:
        """The id of the resource's :class:`~brique.plugin_api.Category` (a theme of its space);
        the ``category_id`` column if there is one."""
        return getattr(resource, "category_id", None)

    def scope_id(self, resource: Any) -> int | None:
        """The id of the resource's :class:`~brique.plugin_api.Scope` (its territory); the
        ``scope_id`` column if there is one."""
        return getattr(resource, "scope_id", None)

    def address(self, resource: Any) -> str:
        """The resource's postal address, ``""`` if it has none; the ``address`` column."""
        return str(getattr(resource, "address", "") or "")

    def location(self, resource: Any) -> tuple[float, float] | None:
        """Where the resource is on a map, ``(latitude, longitude)`` in degrees (WGS 84);
        the ``latitude`` and ``longitude`` columns, ``None`` unless both are set."""
        latitude = getattr(resource, "latitude", None)
        longitude = getattr(resource, "longitude", None)
        if latitude is None or longitude is None:
            return None
        return float(latitude), float(longitude)

    def component_of(self, resource: Any) -> Component:
        """The component holding ``resource``."""
        return db.session.get(Component, resource.component_id)

    def authors(self, resource: Any) -> list[int]:
        """Ids of the users who wrote ``resource`` (they follow it automatically).

        The ``author_id`` column by default; override for coauthors.
        """
        author_id = getattr(resource, "author_id", None)
        return [author_id] if author_id is not None else []

    def created_at(self, resource: Any) -> Any:
        """When the resource was created; the ``created_at`` column if there is one."""
        return getattr(resource, "created_at", None)

    def is_public(self, resource: Any) -> bool:
        """Whether anyone who can see the component may see ``resource`` (not a draft...).

        Search, open data and notifications leave out resources that are not public.
        """
        return True

    def search_document(self, resource: Any) -> dict[str, str] | None:
        """What search indexes: ``{"title": ..., "body": ...}``; ``None`` to leave it out."""
        if not self.is_public(resource):
            return None
        return {"title": self.title(resource), "body": self.body(resource)}

    def export_row(self, resource: Any) -> dict[str, Any]:
        """One row of the open data: public fields only, never a participant's identity."""
        return {
            "id": resource.id,
            "title": self.title(resource),
            "state": self.state(resource),
            "url": self.url(resource),
            "created_at": self.created_at(resource),
            "fingerprint": self.fingerprint(resource),
        }

    def content(self, resource: Any) -> dict[str, Any]:
        """The public content the fingerprint covers; override to add fields."""
        return {"type": self.name, "id": resource.id, "title": self.title(resource)}

    def fingerprint(self, resource: Any) -> str:
        """SHA-256 of the canonical JSON of :meth:`content`."""
        canonical = json.dumps(
            self.content(resource),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def query(self, component: Component) -> Any:
        """The select statement of the resources of ``component``; filter it further."""
        return select(self.model).where(self.model.component_id == component.id)

    def list(
        self, component: Component, *, state: str | None = None, limit: int | None = None
    ) -> list[Any]:
        """The resources of ``component`` in creation order, optionally in one ``state``."""
        statement = self.query(component).order_by(self.model.id)
        if state is not None:
            statement = statement.where(self.model.state == state)
        if limit is not None:
            statement = statement.limit(limit)
        return list(db.session.scalars(statement))

    def get(self, resource_id: int) -> Any | None:
        """The resource with this id, or ``None``."""
        return db.session.get(self.model, resource_id)

    def ref(self, resource: Any) -> ResourceRef:
        """The :class:`ResourceRef` other components see of ``resource``."""
        return ResourceRef(
            self.name,
            resource.id,
            self.title(resource),
            self.url(resource),
            self.state(resource),
            self.fingerprint(resource),
            self.is_public(resource),
        )


def resource_types() -> dict[str, ResourceType]:
    return current_app.extensions["brique"].resource_types


def resource_type(name: str) -> ResourceType:
    """The registered resource type ``name``; ``KeyError`` names what is installed."""
    types = resource_types()
    if name not in types:
        raise KeyError(f"no resource type {name!r}; registered: {', '.join(sorted(types))}")
    return types[name]


def resource_types_of(component: Component) -> list[ResourceType]:
    return [rtype for rtype in resource_types().values() if rtype.component_type == component.type]


def link(source: tuple[str, int], target: tuple[str, int], name: str) -> ResourceLink:
    """Link two resources (``(type, id)`` pairs) under ``name``; idempotent."""
    existing = db.session.scalar(
        select(ResourceLink).filter_by(
            from_type=source[0], from_id=source[1], to_type=target[0], to_id=target[1], name=name
        )
    )
    if existing is not None:
        return existing
    created = ResourceLink(
        from_type=source[0], from_id=source[1], to_type=target[0], to_id=target[1], name=name
    )
    db.session.add(created)
    return created


def linked(
    resource: tuple[str, int], name: str | None = None, public_only: bool = False
) -> Sequence[ResourceRef]:
    """References of every resource linked to or from ``resource``, oldest link first;
    with ``public_only``, only those everyone may see (for public pages).

    One query for the links, then one per resource type, however many links there are.
    """
    rtype, rid = resource
    statement = select(ResourceLink).where(
        or_(
            (ResourceLink.from_type == rtype) & (ResourceLink.from_id == rid),
            (ResourceLink.to_type == rtype) & (ResourceLink.to_id == rid),
        )
    )
    if name is not None:
        statement = statement.where(ResourceLink.name == name)
    others = [
        (row.to_type, row.to_id)
        if row.from_type == rtype and row.from_id == rid
        else (row.from_type, row.from_id)
        for row in db.session.scalars(statement.order_by(ResourceLink.id))
    ]
    found = _load_by_type(others)
    refs = [
        resource_types()[type_name].ref(found[type_name, resource_id])
        for type_name, resource_id in others
        if (type_name, resource_id) in found
    ]
    return [ref for ref in refs if ref.public] if public_only else refs


def _load_by_type(wanted: list[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    """The resources still existing among ``(type, id)`` pairs of registered types."""
    ids_by_type: dict[str, set[int]] = {}
    for type_name, resource_id in wanted:
        ids_by_type.setdefault(type_name, set()).add(resource_id)
    found = {}
    for type_name, ids in ids_by_type.items():
        rtype = resource_types().get(type_name)
        if rtype is None:
            continue  # its plugin was uninstalled or disabled
        rows = db.session.scalars(select(rtype.model).where(rtype.model.id.in_(ids)))
        found.update({(type_name, row.id): row for row in rows})
    return found
