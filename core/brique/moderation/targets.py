"""What can be reported: resources of reportable types, comments and people.

A target is named ``(type_name, id)``; :func:`find` finds the object, :func:`describe`
what moderation needs to know of it (its space, title, address and authors), and
:func:`resolve` both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from sqlalchemy import update

from brique.db import db
from brique.models import Component, Space, User
from brique.moderation.accounts import is_blocked
from brique.text import render_markdown

COMMENT, USER = "comment", "user"
TITLE_LENGTH = 120


@dataclass(frozen=True)
class ReportTarget:
    """Something reported: its name, where it lives and who wrote it."""

    type: str
    id: int
    title: str
    url: str
    #: ``None`` for people: platform administrators handle their reports.
    space: Space | None
    #: The component to ask ``can(user, "view", ...)``; ``None`` for people.
    component: Component | None
    author_ids: tuple[int, ...] = ()
    is_public: bool = True
    #: Whether it shows as hidden, when the target itself tells (comments, people);
    #: ``None``: ask moderation (see :func:`brique.moderation.visibility.shows_hidden`).
    hidden: bool | None = None

    @property
    def author_id(self) -> int | None:
        return self.author_ids[0] if self.author_ids else None


def comment_model() -> type | None:
    """The comments service's model, when it is there."""
    try:
        from brique.models.comments import Comment
    except ImportError:
        return None
    return Comment


def find(type_name: str, target_id: int) -> Any | None:
    """The object named ``(type_name, target_id)``: a resource of a reportable type, a
    comment or a person; ``None`` if there is none."""
    if type_name == USER:
        return db.session.get(User, target_id)
    if type_name == COMMENT:
        model = comment_model()
        return db.session.get(model, target_id) if model is not None else None
    rtype = current_app.extensions["brique"].resource_types.get(type_name)
    if rtype is None or not rtype.reportable:
        return None
    return rtype.get(target_id)


def describe(target: Any) -> ReportTarget | None:
    """What moderation needs to know of ``target`` (a resource, a comment or a person);
    ``None`` if it cannot be reported: not of a reportable type, deleted, gone."""
    if isinstance(target, User):
        return _user(target)
    model = comment_model()
    if model is not None and isinstance(target, model):
        return _comment(target)
    for rtype in current_app.extensions["brique"].resource_types.values():
        if rtype.reportable and isinstance(target, rtype.model):
            return _resource(rtype, target)
    return None


def resolve(type_name: str, target_id: int) -> ReportTarget | None:
    """The target ``(type_name, target_id)``; ``None`` if missing or not reportable."""
    found = find(type_name, target_id)
    return describe(found) if found is not None else None


def _resource(rtype: Any, resource: Any) -> ReportTarget | None:
    component = rtype.component_of(resource)
    if component is None:
        return None
    return ReportTarget(
        type=rtype.name,
        id=resource.id,
        title=rtype.title(resource)[:TITLE_LENGTH],
        url=rtype.url(resource),
        space=component.space,
        component=component,
        author_ids=tuple(rtype.authors(resource)),
        is_public=rtype.is_public(resource),
    )


def _comment(comment: Any) -> ReportTarget | None:
    if comment.deleted_at is not None:
        return None
    rtype = current_app.extensions["brique"].resource_types.get(comment.resource_type)
    resource = rtype.get(comment.resource_id) if rtype is not None else None
    if resource is None:
        return None
    author = comment.author
    return ReportTarget(
        type=COMMENT,
        id=comment.id,
        title=excerpt(comment.body),
        url=f"{rtype.url(resource)}#comment-{comment.id}",
        space=comment.space,
        component=comment.component,
        author_ids=(comment.author_id,) if comment.author_id is not None else (),
        is_public=rtype.is_public(resource),
        hidden=comment.hidden_at is not None or (author is not None and is_blocked(author)),
    )


def _user(person: User) -> ReportTarget | None:
    if not person.is_active:
        return None
    return ReportTarget(
        type=USER,
        id=person.id,
        title=person.nickname,
        url=url_for("admin.user", user_id=person.id),
        space=None,
        component=None,
        author_ids=(person.id,),
        hidden=is_blocked(person),
    )


def excerpt(markdown: str) -> str:
    """The start of a Markdown text as plain text."""
    plain = " ".join(render_markdown(markdown).striptags().split())
    return plain if len(plain) <= TITLE_LENGTH else plain[: TITLE_LENGTH - 1] + "…"


def mark_hidden(type_name: str, target_id: int, hidden_at: Any) -> None:
    """Mirror the decision on targets that keep their own ``hidden_at`` (comments)."""
    model = comment_model() if type_name == COMMENT else None
    if model is not None:
        db.session.execute(
            update(model)
            .where(model.id == target_id)
            .values(hidden_at=hidden_at)
            .execution_options(synchronize_session=False)
        )
