"""Helpers shared by the tests of comments (tests/test_comments*.py); holds no test.

Comments are tested on the tiny component's notes, as a third-party component would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from brique.clock import now
from brique.db import db
from brique.models import Comment, SpaceRole


def open_notes(create_component: Any, space: Any, **options: Any) -> Any:
    """A tiny component in ``space``, its notes open in the current step."""
    steps = {space.steps[1]: {"notes_open": True}} if space.steps else {}
    return create_component(space, "tiny", step_settings=steps, **options)


def add_note(component: Any, author: Any, title: str = "Plus de bancs au parc") -> Any:
    from brique_tiny.models import Note

    note = Note(component_id=component.id, author_id=author.id, title=title, created_at=now())
    db.session.add(note)
    db.session.commit()
    return note


def note_path(note: Any, query: str = "") -> str:
    space = note.component.space
    return f"/processes/{space.slug}/c/{note.component_id}/notes/{note.id}{query}"


def comment_path(note: Any) -> str:
    return f"/comments/tiny.note/{note.id}"


def post_comment(client: Any, note: Any, body: str, **fields: str) -> Any:
    data = {"comment-body": body, **{f"comment-{name}": value for name, value in fields.items()}}
    return client.post(comment_path(note), data=data)


def post_reply(client: Any, parent: Any, body: str, **fields: str) -> Any:
    prefix = f"reply-{parent.id}-"
    data = {prefix + "body": body, **{prefix + name: value for name, value in fields.items()}}
    return client.post(f"/comments/{parent.id}/reply", data=data)


def vote(client: Any, comment: Any, value: str, next_path: str | None = None) -> Any:
    data = {"vote": value, **({"next": next_path} if next_path else {})}
    return client.post(f"/comments/{comment.id}/vote", data=data)


def add_comment(note: Any, author: Any, body: str = "Bonne idée", **columns: Any) -> Comment:
    """A comment stored directly (no request, no signal), for tests about reading."""
    parent = columns.pop("parent", None)
    comment = Comment(
        resource_type="tiny.note",
        resource_id=note.id,
        component_id=note.component_id,
        space_id=note.component.space_id,
        author_id=author.id,
        body=body,
        created_at=columns.pop("created_at", now()),
        **columns,
    )
    if parent is not None:
        comment.parent_id, comment.root_id = parent.id, parent.thread_id
        comment.depth = parent.depth + 1
        parent_root = db.session.get(Comment, parent.thread_id)
        parent_root.replies_count += 1
    db.session.add(comment)
    db.session.commit()
    return comment


def give_role(user: Any, space: Any, role: str) -> Any:
    db.session.add(SpaceRole(space_id=space.id, user_id=user.id, role=role))
    db.session.commit()
    return user


def text_of(response: Any) -> str:
    return response.get_data(as_text=True)


def article_ids(html: str) -> list[int]:
    """Ids of the comments shown, in page order."""
    return [
        int(found)
        for found in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', html)
    ]


def newest_comment() -> Comment:
    from sqlalchemy import select

    return db.session.scalars(select(Comment).order_by(Comment.id.desc()).limit(1)).one()


@contextmanager
def received(signal: Any) -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    """Record ``(sender id, kwargs)`` of each sending inside the block; objects (which
    the request's session lets go of) become their ids."""
    calls: list[tuple[Any, dict[str, Any]]] = []

    def as_id(value: Any) -> Any:
        return getattr(value, "id", value)

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append((as_id(sender), {key: as_id(value) for key, value in kwargs.items()}))

    signal.connect(receiver)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)
