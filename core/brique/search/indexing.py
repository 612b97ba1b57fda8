"""Keeping ``search_documents`` current: what each space and resource puts in the index.

Resources are indexed from the ``resource-created``, ``resource-updated`` and
``resource-deleted`` signals, and those of a person leave the index when they are
blocked and come back when unblocked (``user-blocked``, ``user-unblocked``); comments
from their own signals (:mod:`brique.search.comments`).
Spaces are indexed whenever a space row is written (created, edited,
published...), in the same transaction, by mapper events: the administration
has no "space edited" signal, and an index written with the change cannot
disagree with it. Deleting a space or a component
deletes its documents through the foreign keys.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from flask import has_app_context
from sqlalchemy import delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from brique import signals
from brique.clock import now
from brique.db import db
from brique.models import Component, SearchDocument, Space, User
from brique.models.search import SPACE_DOCUMENT
from brique.moderation.accounts import blocked_ids
from brique.resources import ResourceType, resource_types
from brique.search.backends import backend_for
from brique.search.text import plain_text, terms

log = logging.getLogger(__name__)

#: Writes refused because SQLite's database was locked are tried again this many times.
LOCKED_RETRIES = 3

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


def resource_values(
    rtype: ResourceType, resource: Any, blocked: set[int] | None = None
) -> dict[str, Any] | None:
    """The document of ``resource``, or ``None`` when it should not be found: not
    searchable, not public, or written by a blocked person.

    :param blocked: ids of the blocked people, when the caller read them already.
    """
    document = rtype.search_document(resource) if rtype.searchable else None
    if document is None or _by_blocked_person(rtype.authors(resource), blocked):
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


def _by_blocked_person(authors: list[int], blocked: set[int] | None) -> bool:
    if not authors:
        return False
    if blocked is not None:
        return bool(blocked & set(authors))
    found = select(User.id).where(User.id.in_(authors), User.blocked_at.is_not(None))
    return db.session.scalar(found.limit(1)) is not None


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
    _index(rtype, resource)
    db.session.commit()


def _index(rtype: ResourceType, resource: Any, blocked: set[int] | None = None) -> None:
    values = resource_values(rtype, resource, blocked)
    connection = db.session.connection()
    if values is None:
        forget(connection, rtype.name, resource.id)
    else:
        upsert(connection, values)


def index_resources_of(person: User) -> None:
    """Put what ``person`` wrote in the index as it is now, or take it out (they were
    blocked or unblocked), and commit."""
    blocked = blocked_ids()
    for rtype in resource_types().values():
        if rtype.searchable:
            for resource in _written_by(rtype, person.id):
                _index(rtype, resource, blocked)
    db.session.commit()


def _written_by(rtype: ResourceType, person_id: int) -> list[Any]:
    """The resources of ``rtype`` ``person_id`` wrote: through their ``author_id`` column
    when they have one, else by asking ``rtype.authors()`` of each (coauthors...)."""
    statement = select(rtype.model).order_by(rtype.model.id)
    column = getattr(rtype.model, "author_id", None)
    if column is not None:
        return list(db.session.scalars(statement.where(column == person_id)))
    every = db.session.scalars(statement.execution_options(yield_per=500))
    return [resource for resource in every if person_id in rtype.authors(resource)]


# --- Signals and mapper events --------------------------------------------------------------


def on_resource_changed(sender: str, resource: Any = None, **kwargs: Any) -> None:
    if has_app_context() and resource is not None:
        index_safely(index_resource, sender, resource)


def on_resource_deleted(sender: str, resource_id: int | None = None, **kwargs: Any) -> None:
    if has_app_context() and resource_id is not None:
        index_safely(_forget_and_commit, sender, resource_id)


def on_author_blocked(sender: User, **kwargs: Any) -> None:
    """``user-blocked`` and ``user-unblocked``: what they wrote leaves or comes back."""
    if has_app_context():
        index_safely(index_resources_of, sender)


def _forget_and_commit(kind: str, key: int) -> None:
    forget(db.session.connection(), kind, key)
    db.session.commit()


def index_safely(function: Any, *args: Any) -> None:
    """The change is already committed: a failed index write must not fail the request.
    It is logged; ``brique search reindex`` repairs the index. SQLite refuses a write at
    once when another connection is upgrading its lock ("database is locked", whatever the
    busy timeout): such a write is tried again a few times first."""
    for attempt in range(LOCKED_RETRIES + 1):
        try:
            function(*args)
            return
        except Exception as error:
            db.session.rollback()
            locked = isinstance(error, OperationalError) and "database is locked" in str(error)
            if not locked or attempt == LOCKED_RETRIES:
                log.exception("search: indexing %s failed", args[:2])
                return
            time.sleep(0.05 * (attempt + 1))


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
    signals.user_blocked.connect(on_author_blocked)
    signals.user_unblocked.connect(on_author_blocked)
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
    blocked = blocked_ids()
    for rtype in resource_types().values():
        if not rtype.searchable:
            continue
        statement = select(rtype.model).order_by(rtype.model.id).execution_options(yield_per=500)
        for resource in db.session.scalars(statement):
            values = resource_values(rtype, resource, blocked)
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
