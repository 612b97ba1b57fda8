"""What a participant did with the participation services, for "Download my data".

Only their own content and choices: their comments (with the texts they replaced),
their votes on comments, what they follow, their notifications and their reports.
Other people appear by number at most, never by nickname, name or address; the
excerpts of other people's comments that notifications quote are left out.
A fixed number of queries, however much the participant did.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from brique.db import db
from brique.models import Comment, CommentVersion, CommentVote, Follow, Notification, Report, Space
from brique.models.comments import AGAINST, IN_FAVOUR

ALIGNMENTS = {IN_FAVOUR: "in_favour", AGAINST: "against"}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def participation_data(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """The participant's comments, comment votes, follows, notifications and reports."""
    comments = _own(Comment, Comment.author_id == user_id)
    follows = _own(Follow, Follow.user_id == user_id)
    notifications = _own(Notification, Notification.user_id == user_id)
    spaces = _space_slugs(
        {row.space_id for row in (*comments, *follows, *notifications) if row.space_id}
    )
    return {
        "comments": comments_of(comments, spaces),
        "comment_votes": comment_votes_of(user_id),
        "follows": [_follow(row, spaces) for row in follows],
        "notifications": [_notification(row, spaces) for row in notifications],
        "reports": [_report(row) for row in _own(Report, Report.reporter_id == user_id)],
    }


def _own(model: type, condition: Any) -> list[Any]:
    return list(db.session.scalars(select(model).where(condition).order_by(model.id)))


def _space_slugs(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Space.id, Space.slug).where(Space.id.in_(ids))).all())


def comments_of(comments: list[Comment], spaces: dict[int, str]) -> list[dict[str, Any]]:
    """The comments with their earlier versions (two queries for all of them)."""
    versions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if comments:
        rows = db.session.scalars(
            select(CommentVersion)
            .where(CommentVersion.comment_id.in_([comment.id for comment in comments]))
            .order_by(CommentVersion.id)
        )
        for row in rows:
            versions[row.comment_id].append(
                {"body": row.body, "written_at": _plain(row.written_at)}
            )
    return [_comment(comment, spaces, versions[comment.id]) for comment in comments]


def _comment(comment: Comment, spaces: dict[int, str], versions: list) -> dict[str, Any]:
    return {
        "id": comment.id,
        "on": {"type": comment.resource_type, "id": comment.resource_id},
        "space": spaces.get(comment.space_id),
        "reply_to": comment.parent_id,
        "body": comment.body,
        "position": ALIGNMENTS.get(comment.alignment, "neutral"),
        "official_answer": comment.is_official,
        "votes": {"up": comment.upvotes, "down": comment.downvotes},
        "created_at": _plain(comment.created_at),
        "edited_at": _plain(comment.edited_at),
        "deleted_at": _plain(comment.deleted_at),
        "hidden_by_moderation": comment.hidden_at is not None,
        "earlier_versions": versions,
    }


def comment_votes_of(user_id: int) -> list[dict[str, Any]]:
    rows = _own(CommentVote, CommentVote.user_id == user_id)
    return [
        {
            "comment": row.comment_id,
            "vote": "up" if row.value > 0 else "down",
            "voted_at": _plain(row.created_at),
        }
        for row in rows
    ]


def _follow(row: Follow, spaces: dict[int, str]) -> dict[str, Any]:
    return {
        "type": row.target_type,
        "id": row.target_id,
        "space": spaces.get(row.space_id),
        "since": _plain(row.created_at),
    }


def _notification(row: Notification, spaces: dict[int, str]) -> dict[str, Any]:
    """Who acted and what they wrote stay out: that is other people's data."""
    return {
        "kind": row.kind,
        "about": (row.data or {}).get("title", ""),
        "space": spaces.get(row.space_id),
        "url": row.url,
        "created_at": _plain(row.created_at),
        "read_at": _plain(row.read_at),
    }


def _report(row: Report) -> dict[str, Any]:
    return {
        "type": row.target_type,
        "id": row.target_id,
        "reason": row.reason,
        "details": row.details,
        "created_at": _plain(row.created_at),
    }
