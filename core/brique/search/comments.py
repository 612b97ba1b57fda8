"""Comments in the search index: one document per comment people can read.

A comment's document is titled with the commented resource's title (what a
result shows) but matched on the comment's own words only: searching a
resource's title finds the resource, not every comment under it. Comments
hidden by moderation, deleted, written by a blocked person or under a resource
that is not public are left out, and taken out when that happens. Whether the
space and component are published is read at query time, as for resources.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import has_app_context
from sqlalchemy import delete, select

from brique import signals
from brique.comments.services import Commented, commented_by
from brique.db import db
from brique.models import Comment, SearchDocument, User
from brique.search.indexing import document_values, forget, index_safely, upsert
from brique.search.text import plain_text

#: ``resource_type`` of comment documents (the name moderation uses too).
COMMENT_DOCUMENT = "comment"


def comment_values(comment: Comment, target: Commented | None = None) -> dict[str, Any] | None:
    """The document of ``comment``, or ``None`` when nobody should find it."""
    if comment.deleted_at is not None or comment.hidden_at is not None:
        return None
    if comment.author is not None and comment.author.blocked_at is not None:
        return None
    target = target or commented_by(comment)
    if target is None:
        return None
    return document_values(
        COMMENT_DOCUMENT,
        comment.id,
        target.rtype.title(target.resource),
        plain_text(comment.body),
        title_terms="",
        space_id=comment.space_id,
        component_id=comment.component_id,
        created_at=comment.created_at,
    )


def index_comments(comments: list[Comment]) -> None:
    """Put ``comments`` in the index as they are now (or take them out), and commit."""
    connection = db.session.connection()
    for comment in comments:
        values = comment_values(comment)
        if values is None:
            forget(connection, COMMENT_DOCUMENT, comment.id)
        else:
            upsert(connection, values)
    db.session.commit()


def forget_comments_on(type_name: str, resource_id: int) -> None:
    """Take the comments on a resource out of the index, before they are deleted with it.
    Not committed: the caller deletes the comments in the same transaction."""
    ids = select(Comment.id).where(
        Comment.resource_type == type_name, Comment.resource_id == resource_id
    )
    db.session.execute(
        delete(SearchDocument).where(
            SearchDocument.resource_type == COMMENT_DOCUMENT, SearchDocument.resource_id.in_(ids)
        )
    )


def all_comment_documents() -> Iterator[dict[str, Any]]:
    """The documents of every comment that should be found, for ``brique search reindex``;
    each commented resource is looked up once."""
    targets: dict[tuple[str, int], Commented | None] = {}
    statement = select(Comment).order_by(Comment.id).execution_options(yield_per=500)
    for comment in db.session.scalars(statement):
        key = (comment.resource_type, comment.resource_id)
        if key not in targets:
            targets[key] = commented_by(comment)
        if targets[key] is not None:
            values = comment_values(comment, targets[key])
            if values is not None:
                yield values


# --- Signals --------------------------------------------------------------------------------


def on_comment_changed(sender: Comment, **kwargs: Any) -> None:
    """``comment-created``, ``comment-edited``, ``comment-deleted``."""
    _safely(index_comments, [sender])


def on_moderation(sender: str, target_id: int | None = None, **kwargs: Any) -> None:
    """``content-hidden`` and ``content-unhidden`` of a comment."""
    if sender == COMMENT_DOCUMENT and target_id is not None:
        comment = db.session.get(Comment, target_id) if has_app_context() else None
        if comment is not None:
            _safely(index_comments, [comment])


def on_author_blocked(sender: User, **kwargs: Any) -> None:
    """``user-blocked`` and ``user-unblocked``: their comments leave or come back."""
    if has_app_context():
        comments = db.session.scalars(select(Comment).where(Comment.author_id == sender.id))
        _safely(index_comments, list(comments))


def on_resource_updated(sender: str, resource: Any = None, **kwargs: Any) -> None:
    """A resource's title or visibility changed: its comments' documents follow."""
    if has_app_context() and resource is not None:
        comments = db.session.scalars(
            select(Comment).where(
                Comment.resource_type == sender, Comment.resource_id == resource.id
            )
        )
        _safely(index_comments, list(comments))


def _safely(function: Any, comments: list[Comment]) -> None:
    if has_app_context() and comments:
        index_safely(function, comments)


def connect_comment_receivers() -> None:
    """Listen to the comment, moderation and resource signals (twice changes nothing)."""
    for signal in (signals.comment_created, signals.comment_edited, signals.comment_deleted):
        signal.connect(on_comment_changed)
    signals.content_hidden.connect(on_moderation)
    signals.content_unhidden.connect(on_moderation)
    signals.user_blocked.connect(on_author_blocked)
    signals.user_unblocked.connect(on_author_blocked)
    signals.resource_updated.connect(on_resource_updated)
