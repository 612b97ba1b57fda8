"""``comments-counted``: the core tells components when what a resource's comment count
shows may have changed, whatever changed it (a comment, moderation, a blocked author)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from brique import signals
from brique.db import db
from brique.models import Comment


def announce(pairs: set[tuple[str, int]]) -> None:
    """Send ``comments-counted`` once per resource type of ``(type, id)`` pairs."""
    by_type: defaultdict[str, set[int]] = defaultdict(set)
    for type_name, resource_id in pairs:
        by_type[type_name].add(resource_id)
    for type_name, ids in by_type.items():
        signals.comments_counted.send(type_name, resource_ids=sorted(ids))


def on_comment_created(
    sender: Any, resource_type: str = "", resource_id: int = 0, **kw: Any
) -> None:
    announce({(resource_type, resource_id)})


def on_comment_deleted(sender: Any, **kwargs: Any) -> None:
    announce({(sender.resource_type, sender.resource_id)})


def on_moderated(sender: Any, target_id: int = 0, **kwargs: Any) -> None:
    """A comment hidden or restored by moderation (other content is not a comment)."""
    if sender != "comment":
        return
    comment = db.session.get(Comment, target_id)
    if comment is not None:
        announce({(comment.resource_type, comment.resource_id)})


def on_author_blocked_or_unblocked(sender: Any, **kwargs: Any) -> None:
    """A blocked person's comments stop counting everywhere (and count again when
    unblocked): every resource they commented on."""
    rows = db.session.execute(
        select(Comment.resource_type, Comment.resource_id)
        .where(Comment.author_id == sender.id)
        .distinct()
    )
    announce({(type_name, resource_id) for type_name, resource_id in rows})


def connect_count_receivers() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    signals.comment_created.connect(on_comment_created)
    signals.comment_deleted.connect(on_comment_deleted)
    signals.content_hidden.connect(on_moderated)
    signals.content_unhidden.connect(on_moderated)
    signals.user_blocked.connect(on_author_blocked_or_unblocked)
    signals.user_unblocked.connect(on_author_blocked_or_unblocked)
