"""Keeping ``search_documents`` current: what each space and resource puts in the index.

Resources are indexed from the ``resource-created``, ``resource-updated`` and
``resource-deleted`` signals; comments from theirs (:mod:`brique.search.comments`).
Spaces are indexed whenever a space row is written (created, edited,
published...), in the same transaction, by mapper events: the administration
has no "space edited" signal, and an index written with the change cannot
disagree with it. Deleting a space or a component
deletes its documents through the foreign keys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from flask import has_app_context
from sqlalchemy import delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from brique import signals
from brique.clock import now
from brique.db import db
from brique.models import Component, SearchDocument, Space
from brique.models.search import SPACE_DOCUMENT
from brique.resources import ResourceType, resource_types
from brique.search.backends import backend_for
from brique.search.text import plain_text, terms

log = logging.getLogger(__name__)

TITLE_LENGTH = 300
SPACE_TEXT_FIELDS = ("subtitle", "short_description", "organiser", "reference")
SPACE_MARKDOWN_FIELDS = ("description", "objectives", "participants", "decision_making")


def document_values(kind: str, key: int, title: str, body: str, **columns: Any) -> dict[str, Any]:
    """The column values of the document of ``(kind, key)``; ``body`` is plain text."""
    title = " ".join(title.split())[:TITLE_LENGTH]
    return {
        "resource_type": kind,
        "resource_id": key,
        "title": title,
        "body": body,
        "title_terms": terms(title),
        "body_terms": terms(body),
        "indexed_at": now(),
        **columns,
    }


def space_values(space: Space) -> dict[str, Any]:
    parts = [getattr(space, name) or "" for name in SPACE_TEXT_FIELDS]
    parts += [plain_text(getattr(space, name) or "") for name in SPACE_MARKDOWN_FIELDS]
    return document_values(
        SPACE_DOCUMENT,
        space.id,
        space.title,
        " ".join(part for part in parts if part),
        space_id=space.id,
        component_id=None,
        created_at=space.created_at or now(),
    )


def resource_values(rtype: ResourceType, resource: Any) -> dict[str, Any] | None:
    """The document of ``resource``, or ``None`` when it should not be found."""
    document = rtype.search_document(resource) if rtype.searchable else None
    if document is None:
        return None
    component = rtype.component_of(resource)
    return document_values(
        rtype.name,
        resource.id,
        str(document.get("title") or ""),
        plain_text(str(document.get("body") or "")),
        space_id=component.space_id,
        component_id=component.id,
        created_at=rtype.created_at(resource) or now(),
    )


def upsert(connection: Connection, values: dict[str, Any]) -> None:
    """Insert or replace one document, safe against a parallel write of the same one."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[connection.dialect.name]
    statement = dialect.insert(SearchDocument).values(values)
    changed = {
        key: value for key, value in values.items() if key not in {"resource_type", "resource_id"}
    }
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["resource_type", "resource_id"], set_=changed
        )
    )


def forget(connection: Connection, kind: str, key: int) -> None:
    connection.execute(
        delete(SearchDocument).where(
            SearchDocument.resource_type == kind, SearchDocument.resource_id == key
        )
    )


def index_resource(type_name: str, resource: Any) -> None:
    """Put ``resource`` in the index as it is now (or take it out), and commit.

    Components need not call it: the resource signals do. Call it after
    changing what a resource shows without sending ``resource-updated``.
    """
    rtype = resource_types().get(type_name)
    if rtype is None or not rtype.searchable:
        return
    values = resource_values(rtype, resource)
    connection = db.session.connection()
    if values is None:
        forget(connection, type_name, resource.id)
    else:
        upsert(connection, values)
    db.session.commit()


# --- Signals and mapper events --------------------------------------------------------------


def on_resource_changed(sender: str, resource: Any = None, **kwargs: Any) -> None:
    if has_app_context() and resource is not None:
        index_safely(index_resource, sender, resource)


def on_resource_deleted(sender: str, resource_id: int | None = None, **kwargs: Any) -> None:
    if has_app_context() and resource_id is not None:
        index_safely(_forget_and_commit, sender, resource_id)


def _forget_and_commit(kind: str, key: int) -> None:
    forget(db.session.connection(), kind, key)
    db.session.commit()


def index_safely(function: Any, *args: Any) -> None:
    """The change is already committed: a failed index write must not fail the request.
    It is logged; ``brique search reindex`` repairs the index."""
    try:
        function(*args)
    except Exception:
        db.session.rollback()
        log.exception("search: indexing %s failed", args[:2])


def on_space_written(mapper: Any, connection: Connection, space: Space) -> None:
    upsert(connection, space_values(space))


def connect_receivers() -> None:
    """Listen to the resource and comment signals and to space writes (connecting twice
    changes nothing)."""
    from brique.search.comments import connect_comment_receivers

    connect_comment_receivers()
    signals.resource_created.connect(on_resource_changed)
    signals.resource_updated.connect(on_resource_changed)
    signals.resource_deleted.connect(on_resource_deleted)
    for name in ("after_insert", "after_update"):
        if not event.contains(Space, name, on_space_written):
            event.listen(Space, name, on_space_written)


# --- Re-indexing everything -----------------------------------------------------------------


def all_documents() -> Iterator[dict[str, Any]]:
    """The documents of every space and searchable resource, as they should be."""
    for space in db.session.scalars(select(Space).order_by(Space.id)):
        yield space_values(space)
    # Loaded once and kept referenced: component_of() then reads the identity map.
    components = db.session.scalars(select(Component)).all()
    for rtype in resource_types().values():
        if not rtype.searchable:
            continue
        statement = select(rtype.model).order_by(rtype.model.id).execution_options(yield_per=500)
        for resource in db.session.scalars(statement):
            values = resource_values(rtype, resource)
            if values is not None:
                yield values
    from brique.search.comments import all_comment_documents

    yield from all_comment_documents()
    del components


def reindex() -> int:
    """Rebuild the whole index in one transaction; returns how many documents it holds."""
    documents = list(all_documents())
    connection = db.session.connection()
    connection.execute(delete(SearchDocument))
    for values in documents:
        upsert(connection, values)
    backend_for(connection.dialect.name).optimize(connection)
    db.session.commit()
    return len(documents)
