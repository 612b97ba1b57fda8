"""Where participation is read from: the ``participations`` table and the comments.

``participations`` gets one row per resource created (``resource-created``) and
loses it when the resource is deleted (``resource-deleted``), so spam removed by
its component stops counting. Comments are read from their own table. Both are
combined by :func:`events` into ``(user_id, space_id, component_id, kind, at)``
rows: "participants" are the distinct people among them.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import has_app_context
from sqlalchemy import Subquery, delete, insert, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from brique import signals
from brique.clock import now
from brique.db import db
from brique.models import Comment, Component, Participation, User
from brique.resources import ResourceType, resource_types

log = logging.getLogger(__name__)

RESOURCE, COMMENT = "resource", "comment"


def record_resource(type_name: str, resource: Any, user: User | None) -> None:
    """Count ``resource`` as a contribution of ``user`` (or of its first author); commit."""
    rtype = resource_types().get(type_name)
    if rtype is None:
        return
    values = _values(rtype, resource, user)
    connection = db.session.connection()
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[connection.dialect.name]
    # A signal sent twice for one resource still counts it once.
    connection.execute(dialect.insert(Participation).values(values).on_conflict_do_nothing())
    db.session.commit()


def _values(rtype: ResourceType, resource: Any, user: User | None) -> dict[str, Any]:
    authors = rtype.authors(resource)
    component = rtype.component_of(resource)
    return {
        "user_id": user.id if isinstance(user, User) else (authors[0] if authors else None),
        "space_id": component.space_id,
        "component_id": component.id,
        "kind": RESOURCE,
        "target_type": rtype.name,
        "target_id": resource.id,
        "at": rtype.created_at(resource) or now(),
    }


def forget_resource(type_name: str, resource_id: int) -> None:
    db.session.execute(
        delete(Participation).where(
            Participation.target_type == type_name,
            Participation.target_id == resource_id,
            Participation.kind == RESOURCE,
        )
    )
    db.session.commit()


def on_resource_created(sender: str, resource: Any = None, user: Any = None, **kwargs: Any) -> None:
    if has_app_context() and resource is not None:
        _safely(record_resource, sender, resource, user)


def on_resource_deleted(sender: str, resource_id: int | None = None, **kwargs: Any) -> None:
    if has_app_context() and resource_id is not None:
        _safely(forget_resource, sender, resource_id)


def _safely(function: Any, *args: Any) -> None:
    """The contribution is committed already: counting it must not fail the request."""
    try:
        function(*args)
    except Exception:
        db.session.rollback()
        log.exception("statistics: recording %s failed", args[:1])


def connect_receivers() -> None:
    """Listen to the resource signals (connecting twice changes nothing)."""
    signals.resource_created.connect(on_resource_created)
    signals.resource_deleted.connect(on_resource_deleted)


def rebuild() -> int:
    """Count again every resource of every registered type (for data that came in without
    signals: imports, a site older than statistics); returns how many were counted."""
    connection = db.session.connection()
    connection.execute(delete(Participation).where(Participation.kind == RESOURCE))
    # Loaded once and kept referenced: component_of() then reads the identity map.
    components = db.session.scalars(select(Component)).all()
    rows = [
        values
        for rtype in resource_types().values()
        for resource in db.session.scalars(select(rtype.model).order_by(rtype.model.id))
        if (values := _values(rtype, resource, None)) is not None
    ]
    if rows:
        connection.execute(insert(Participation), rows)
    db.session.commit()
    del components
    return len(rows)


def events() -> Subquery:
    """Every contribution still shown: ``user_id, space_id, component_id, kind, at``."""
    resources = select(
        Participation.user_id,
        Participation.space_id,
        Participation.component_id,
        Participation.kind,
        Participation.at,
    )
    comments = select(
        Comment.author_id.label("user_id"),
        Comment.space_id,
        Comment.component_id,
        literal(COMMENT).label("kind"),
        Comment.created_at.label("at"),
    ).where(Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
    return union_all(resources, comments).subquery("events")
