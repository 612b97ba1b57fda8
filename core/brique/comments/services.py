"""Writing comments: publish, reply, edit, delete, vote, hide. One transaction each.

Signals are sent after the commit, so that receivers (notifications, the action log,
search) see what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from brique import signals
from brique.clock import now
from brique.db import db
from brique.models import Comment, CommentVersion, CommentVote, Component, User
from brique.models.comments import NEUTRAL, wilson_score
from brique.resources import ResourceType, resource_types


@dataclass(frozen=True)
class Commented:
    """A commentable resource, with its type and component."""

    rtype: ResourceType
    resource: Any
    component: Component


class CommentRemoved(Exception):
    """The comment was deleted or hidden while the request was under way."""


def find_commented(type_name: str, resource_id: int) -> Commented | None:
    """The commentable, public resource ``(type_name, resource_id)``, or ``None``."""
    rtype = resource_types().get(type_name)
    if rtype is None or not rtype.commentable:
        return None
    resource = rtype.get(resource_id)
    if resource is None or not rtype.is_public(resource):
        return None
    return Commented(rtype, resource, rtype.component_of(resource))


def commented_by(comment: Comment) -> Commented | None:
    """The resource ``comment`` is about, if it is still there and public."""
    return find_commented(comment.resource_type, comment.resource_id)


def publish_comment(
    target: Commented, author: User, data: dict[str, Any], parent: Comment | None = None
) -> Comment:
    """Store a comment on ``target`` (or a reply to ``parent``) and announce it.

    ``data`` is what :class:`~brique.comments.schemas.CommentSchema` loaded; the
    caller decided with ``can()`` and cleared ``official`` for non-staff.
    """
    comment = Comment(
        resource_type=target.rtype.name,
        resource_id=target.resource.id,
        component_id=target.component.id,
        space_id=target.component.space_id,
        author_id=author.id,
        body=data["body"],
        alignment=data["alignment"] if parent is None else NEUTRAL,
        is_official=data["official"],
        created_at=now(),
    )
    if parent is not None:
        comment.parent_id, comment.root_id = parent.id, parent.thread_id
        comment.depth = parent.depth + 1
        db.session.execute(
            update(Comment)
            .where(Comment.id == parent.thread_id)
            .values(replies_count=Comment.replies_count + 1)
            .execution_options(synchronize_session=False)
        )
    db.session.add(comment)
    db.session.commit()
    signals.comment_created.send(
        comment,
        resource_type=target.rtype.name,
        resource_id=target.resource.id,
        resource=target.resource,
        component=target.component,
        author=author,
        parent=parent,
    )
    return comment


def edit_comment(comment: Comment, editor: User, data: dict[str, Any]) -> bool:
    """Replace the comment's text, keeping the former one as a version.

    :returns: whether anything changed. Raises :class:`CommentRemoved` if the comment
        was deleted or hidden meanwhile.
    """
    db.session.refresh(comment, with_for_update=True)  # parallel edits queue up
    if comment.is_removed:
        db.session.rollback()
        raise CommentRemoved
    alignment = data["alignment"] if comment.is_top_level else NEUTRAL
    wanted = (data["body"], alignment, data["official"])
    if wanted == (comment.body, comment.alignment, comment.is_official):
        db.session.rollback()
        return False
    previous_body, moment = comment.body, now()
    db.session.add(
        CommentVersion(
            comment_id=comment.id,
            body=comment.body,
            alignment=comment.alignment,
            written_at=comment.edited_at or comment.created_at,
            replaced_at=moment,
        )
    )
    comment.body, comment.alignment, comment.is_official = wanted
    comment.edited_at = moment
    db.session.commit()
    signals.comment_edited.send(comment, user=editor, previous_body=previous_body)
    return True


def delete_comment(comment: Comment, user: User) -> None:
    """Erase the comment's text and its versions; its place in the thread stays."""
    db.session.refresh(comment, with_for_update=True)
    if comment.deleted_at is not None:
        db.session.rollback()
        return
    comment.deleted_at, comment.body = now(), ""
    comment.alignment, comment.is_official = NEUTRAL, False
    db.session.execute(delete(CommentVersion).where(CommentVersion.comment_id == comment.id))
    db.session.commit()
    signals.comment_deleted.send(comment, user=user)


def set_vote(comment: Comment, user: User, value: int) -> int:
    """Make ``user``'s vote on ``comment`` be ``value``: 1 (up), -1 (down) or 0 (none).

    Idempotent, and safe under parallel requests: the unique constraint keeps one
    vote per person, and the counts move only by what this request changed.

    :returns: the vote before (same terms).
    """
    previous = _store_vote(comment.id, user.id, value)
    if previous != value:
        _count_vote(comment.id, previous, value)
    db.session.commit()
    if previous != value:
        signals.comment_voted.send(comment, user=user, value=value, previous=previous)
    return previous


def _store_vote(comment_id: int, user_id: int, value: int) -> int:
    mine = (CommentVote.comment_id == comment_id) & (CommentVote.user_id == user_id)
    if value == 0:
        removed = delete(CommentVote).where(mine).returning(CommentVote.value)
        return db.session.execute(_raw(removed)).scalar() or 0
    changed = update(CommentVote).where(mine, CommentVote.value != value).values(value=value)
    if db.session.execute(_raw(changed.returning(CommentVote.id))).scalar() is not None:
        return -value
    if _insert_vote(comment_id, user_id, value):
        return 0
    # A parallel request of the same person voted first; its vote is visible now.
    if db.session.execute(_raw(changed.returning(CommentVote.id))).scalar() is not None:
        return -value
    return value


def _insert_vote(comment_id: int, user_id: int, value: int) -> bool:
    """Insert the vote unless one exists (waiting for a parallel insert to settle)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(CommentVote)
        .values(comment_id=comment_id, user_id=user_id, value=value, created_at=now())
        .on_conflict_do_nothing(index_elements=["comment_id", "user_id"])
        .returning(CommentVote.id)
    )
    return db.session.execute(statement).scalar() is not None


def _count_vote(comment_id: int, previous: int, value: int) -> None:
    up = int(value == 1) - int(previous == 1)
    down = int(value == -1) - int(previous == -1)
    counted = (
        update(Comment)
        .where(Comment.id == comment_id)
        .values(upvotes=Comment.upvotes + up, downvotes=Comment.downvotes + down)
        .returning(Comment.upvotes, Comment.downvotes)
    )
    upvotes, downvotes = db.session.execute(_raw(counted)).one()
    # The row stays locked until the commit: the score matches these counts.
    scored = update(Comment).where(Comment.id == comment_id)
    db.session.execute(_raw(scored.values(score=wilson_score(upvotes, downvotes))))


def _raw(statement: Any) -> Any:
    """Leave objects in the session alone: the commit expires them anyway."""
    return statement.execution_options(synchronize_session=False)


def hide_comment(comment: Comment) -> None:
    """Hide ``comment`` for moderation: a placeholder shows instead. The caller commits."""
    if comment.hidden_at is None:
        comment.hidden_at = now()


def unhide_comment(comment: Comment) -> None:
    """Show ``comment`` again after moderation. The caller commits."""
    comment.hidden_at = None


def forget_comments(sender: str, *, resource_id: int, **kwargs: Any) -> None:
    """Receiver of ``resource-deleted``: the resource's comments go with it, and out of
    the search index."""
    from brique.search.comments import forget_comments_on

    forget_comments_on(sender, resource_id)
    statement = delete(Comment).where(
        Comment.resource_type == sender, Comment.resource_id == resource_id
    )
    db.session.execute(statement)
    db.session.commit()
