"""What can be reported: resources of reportable types, comments and people.

A target is named ``(type_name, id)``; :func:`resolve` finds it and what moderation
needs to know of it (its space, title, address and authors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from sqlalchemy import update

from brique.db import db
from brique.models import Component, Space, User
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


def resolve(type_name: str, target_id: int) -> ReportTarget | None:
    """The target ``(type_name, target_id)``; ``None`` if missing or not reportable."""
    if type_name == USER:
        return _user(target_id)
    if type_name == COMMENT:
        return _comment(target_id)
    rtype = current_app.extensions["brique"].resource_types.get(type_name)
    if rtype is None or not rtype.reportable:
        return None
    resource = rtype.get(target_id)
    if resource is None:
        return None
    return _resource(rtype, resource)


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


def _comment(comment_id: int) -> ReportTarget | None:
    model = comment_model()
    comment = db.session.get(model, comment_id) if model is not None else None
    if comment is None or comment.deleted_at is not None:
        return None
    rtype = current_app.extensions["brique"].resource_types.get(comment.resource_type)
    resource = rtype.get(comment.resource_id) if rtype is not None else None
    if resource is None:
        return None
    return ReportTarget(
        type=COMMENT,
        id=comment.id,
        title=excerpt(comment.body),
        url=f"{rtype.url(resource)}#comment-{comment.id}",
        space=comment.space,
        component=comment.component,
        author_ids=(comment.author_id,) if comment.author_id is not None else (),
        is_public=rtype.is_public(resource),
    )


def _user(user_id: int) -> ReportTarget | None:
    person = db.session.get(User, user_id)
    if person is None or not person.is_active:
        return None
    return ReportTarget(
        type=USER,
        id=person.id,
        title=person.nickname,
        url=url_for("admin.user", user_id=person.id),
        space=None,
        component=None,
        author_ids=(person.id,),
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
