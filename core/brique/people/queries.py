"""Reading a public profile: the person, their follows and their public comments.

Whatever the number of comments, a page takes the same queries: the components
the person commented in, the commented resources of each resource type (and what
moderation hides of them), then the count and the page of comments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from brique.db import db
from brique.models import Comment, Component, Follow, User
from brique.models.notifications import USER
from brique.moderation.visibility import hidden_ids
from brique.permissions import can
from brique.resources import resource_types

#: Comments per page of a profile.
PER_PAGE = 20


def person_named(nickname: str) -> User | None:
    """The account called ``nickname``, whatever its case: "Ana" and "ana" are one nickname."""
    found = db.session.scalar(select(User).where(User.nickname == nickname))
    if found is not None:
        return found
    same = func.lower(User.nickname) == func.lower(nickname)
    return db.session.scalar(select(User).where(same).limit(1))


@dataclass(frozen=True)
class FollowCounts:
    """How many people follow the person, and how many people they follow."""

    followers: int
    following: int


def follow_counts(person: User) -> FollowCounts:
    """Both counts in one query; deleted accounts are not counted."""
    follower, followed = aliased(User), aliased(User)
    followers = (
        select(func.count())
        .select_from(Follow)
        .join(follower, follower.id == Follow.user_id)
        .where(Follow.target_type == USER, Follow.target_id == person.id)
        .where(follower.deleted_at.is_(None))
    )
    following = (
        select(func.count())
        .select_from(Follow)
        .join(followed, followed.id == Follow.target_id)
        .where(Follow.target_type == USER, Follow.user_id == person.id)
        .where(followed.deleted_at.is_(None))
    )
    row = db.session.execute(select(followers.scalar_subquery(), following.scalar_subquery())).one()
    return FollowCounts(row[0] or 0, row[1] or 0)


@dataclass(frozen=True)
class PublicComment:
    """A comment as its author's profile lists it, with the resource it is about."""

    comment: Comment
    title: str
    url: str


@dataclass(frozen=True)
class CommentsPage:
    items: list[PublicComment]
    total: int
    page: int
    pages: int


def public_comments(viewer: Any, person: User, page: int) -> CommentsPage:
    """The comments of ``person`` that ``viewer`` may read, newest first, one page of them.

    Left out: deleted and hidden comments, and those on resources the viewer cannot
    see (unpublished components, drafts, private processes they are not a member of)
    or that moderation hides.
    """
    # Held until the page is built: resources find their component (and its space) in
    # the session instead of loading it again.
    components = _visible_components(viewer, person)
    resources = _shown_resources(person, list(components))
    if not resources:
        return CommentsPage([], 0, 1, 1)
    where = and_(
        Comment.author_id == person.id,
        Comment.deleted_at.is_(None),
        Comment.hidden_at.is_(None),
        _on_any(resources),
    )
    total = db.session.scalar(select(func.count()).select_from(Comment).where(where)) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        select(Comment)
        .where(where)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    items = [_listed(comment, resources) for comment in rows]
    return CommentsPage(items, total, page, pages)


def _listed(comment: Comment, resources: dict[str, dict[int, Any]]) -> PublicComment:
    rtype = resource_types()[comment.resource_type]
    resource = resources[comment.resource_type][comment.resource_id]
    return PublicComment(comment, rtype.title(resource), rtype.url(resource))


def _visible_components(viewer: Any, person: User) -> dict[int, Component]:
    """The components the person commented in that ``viewer`` may see, by id."""
    commented_in = select(Comment.component_id).where(Comment.author_id == person.id).distinct()
    components = db.session.scalars(
        select(Component).where(Component.id.in_(commented_in)).options(joinedload(Component.space))
    )
    return {component.id: component for component in components if can(viewer, "view", component)}


def _shown_resources(person: User, components: list[int]) -> dict[str, dict[int, Any]]:
    """The public, not hidden resources the person commented on, by resource type's name."""
    if not components:
        return {}
    mine = (Comment.author_id == person.id) & Comment.component_id.in_(components)
    names = db.session.scalars(select(Comment.resource_type).where(mine).distinct())
    found: dict[str, dict[int, Any]] = {}
    for name in names:
        rtype = resource_types().get(name)
        if rtype is None or not rtype.commentable:
            continue
        ids = select(Comment.resource_id).where(mine, Comment.resource_type == name)
        public = [
            resource
            for resource in db.session.scalars(select(rtype.model).where(rtype.model.id.in_(ids)))
            if rtype.is_public(resource)
        ]
        hidden = hidden_ids(name, [resource.id for resource in public])
        shown = {resource.id: resource for resource in public if resource.id not in hidden}
        if shown:
            found[name] = shown
    return found


def _on_any(resources: dict[str, dict[int, Any]]) -> ColumnElement[bool]:
    conditions = [
        (Comment.resource_type == name) & Comment.resource_id.in_(list(by_id))
        for name, by_id in resources.items()
    ]
    return or_(false(), *conditions)
