"""Reading comments for the API: the site's threads, one level at a time.

A list is the top-level comments of a resource, or the direct replies of one
comment (``parent_id``), in one of the site's orders. Whatever its length, a page
takes the same queries: the count, the comments with their authors, their replies.
Hidden and deleted comments keep their place, without what the site hides.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from brique.api.errors import not_found, require
from brique.api.pagination import BadArguments, Page
from brique.comments.queries import ORDER_BY, on_resource
from brique.comments.schemas import alignment_name
from brique.comments.services import Commented, commented_by, find_commented
from brique.comments.text import render_comment
from brique.db import db
from brique.models import Comment
from brique.permissions import can

SORTS = tuple(ORDER_BY)
NEEDS_TARGET = _l("Name the resource (resource_type and resource_id) or a comment (parent_id).")


def visible_comment(comment_id: int) -> tuple[Comment, Commented]:
    """The comment and its resource, if the current user may see them; else a 404."""
    comment = db.session.get(Comment, comment_id)
    target = commented_by(comment) if comment is not None else None
    if target is None:
        raise not_found()
    require(can(current_user, "view", target.component))
    return comment, target


def visible_target(type_name: str, resource_id: int) -> Commented:
    """The commentable resource, if the current user may see it; else a 404."""
    target = find_commented(type_name, resource_id)
    if target is None:
        raise not_found()
    require(can(current_user, "view", target.component))
    return target


def listed_level(args: dict[str, Any]) -> tuple[Commented, Comment | None]:
    """The resource and the comment (``None``: the top) whose comments ``args`` ask for."""
    if args.get("parent_id") is not None:
        parent, target = visible_comment(args["parent_id"])
        if names_another_resource(args, target):
            raise not_found()
        return target, parent
    if args.get("resource_type") is None or args.get("resource_id") is None:
        raise BadArguments({"resource_id": [NEEDS_TARGET]})
    return visible_target(args["resource_type"], args["resource_id"]), None


def names_another_resource(args: dict[str, Any], target: Commented) -> bool:
    """Whether ``args`` also name a resource, other than ``target`` (a parent's)."""
    named = (args.get("resource_type"), args.get("resource_id"))
    return named != (None, None) and named != (target.rtype.name, target.resource.id)


def comments_page(
    target: Commented, parent: Comment | None, sort: str, page: Page
) -> tuple[list[dict[str, Any]], int]:
    """One page of the comments under ``parent`` (or at the top) of ``target``, and the total."""
    level = Comment.parent_id == parent.id if parent else Comment.parent_id.is_(None)
    where = on_resource(target.rtype.name, target.resource.id) & level
    total = db.session.scalar(select(func.count()).select_from(Comment).where(where))
    rows = list(
        db.session.scalars(
            select(Comment)
            .where(where)
            .options(joinedload(Comment.author))
            .order_by(*ORDER_BY[sort])
            .offset(page.offset)
            .limit(page.per_page)
        )
    )
    replies = replies_count([row.id for row in rows])
    return [comment_data(row, replies.get(row.id, 0)) for row in rows], total


def replies_count(ids: list[int]) -> dict[int, int]:
    """How many direct replies each comment has (placeholders included), in one query."""
    if not ids:
        return {}
    statement = (
        select(Comment.parent_id, func.count())
        .where(Comment.parent_id.in_(ids))
        .group_by(Comment.parent_id)
    )
    return dict(db.session.execute(statement).all())


def comment_data(comment: Comment, replies: int) -> dict[str, Any]:
    """What the API shows of ``comment``: what the site shows, nothing more."""
    data = {
        "id": comment.id,
        "resource_type": comment.resource_type,
        "resource_id": comment.resource_id,
        "parent_id": comment.parent_id,
        "thread_id": comment.thread_id,
        "depth": comment.depth,
        "state": _state(comment),
        "replies": replies,
        "created_at": comment.created_at,
        "url": url_for("comments.show", comment_id=comment.id, _external=True),
        **dict.fromkeys(("author", "body", "body_html", "alignment", "edited_at")),
        **dict.fromkeys(("upvotes", "downvotes")),
        "official": False,
    }
    if comment.is_removed:
        return data
    return {
        **data,
        "author": _nickname(comment),
        "body": comment.body,
        "body_html": str(render_comment(comment.body)),
        "alignment": alignment_name(comment.alignment),
        "official": comment.is_official,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "edited_at": comment.edited_at,
    }


def _state(comment: Comment) -> str:
    if comment.hidden_at is not None:
        return "hidden"
    return "deleted" if comment.deleted_at is not None else "published"


def _nickname(comment: Comment) -> str | None:
    author = comment.author
    return None if author is None or author.deleted_at is not None else author.nickname
