"""Whether content is hidden: by moderation, or because its author is blocked.

Components ask :func:`is_hidden` for one item and :func:`hidden_ids` for a list (a
bounded number of queries whatever its length), then show a placeholder instead of
the content: hidden content never disappears silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, g, has_request_context, render_template, request
from markupsafe import Markup
from sqlalchemy import ColumnElement, select

from brique.db import db
from brique.models import Comment, Moderation, Report, User
from brique.moderation.accounts import blocked_ids
from brique.moderation.targets import COMMENT, USER, ReportTarget, comment_model


def hidden_ids(type_name: str, ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` of targets of ``type_name`` to show as hidden.

    At most four queries, whatever the number of ids.

    :param type_name: a resource type's name, ``"comment"`` or ``"user"``.
    :param ids: ids of targets of that type.
    :returns: the ids hidden by moderation or written by a blocked person.
    """
    wanted = {int(target_id) for target_id in ids}
    if not wanted:
        return set()
    hidden = set(
        db.session.scalars(
            select(Moderation.target_id).where(
                Moderation.target_type == type_name,
                Moderation.target_id.in_(wanted),
                Moderation.hidden_at.is_not(None),
            )
        )
    )
    rest = wanted - hidden
    if rest and _anyone_blocked():
        hidden |= _by_blocked_authors(type_name, rest)
    return hidden


def is_hidden(type_name: str, target_id: int) -> bool:
    """Whether the target ``(type_name, target_id)`` is hidden (see :func:`hidden_ids`)."""
    return target_id in hidden_ids(type_name, [target_id])


def _anyone_blocked() -> bool:
    """Whether any account is blocked, read once per request: usually nobody is."""
    if has_request_context() and "_brique_anyone_blocked" in g:
        return g._brique_anyone_blocked
    found = db.session.scalar(select(User.id).where(User.blocked_at.is_not(None)).limit(1))
    if has_request_context():
        g._brique_anyone_blocked = found is not None
    return found is not None


def _by_blocked_authors(type_name: str, ids: set[int]) -> set[int]:
    authors = _authors(type_name, ids)
    people = {person for persons in authors.values() for person in persons}
    if not people:
        return set()
    blocked = set(
        db.session.scalars(select(User.id).where(User.id.in_(people), User.blocked_at.is_not(None)))
    )
    return {target_id for target_id, persons in authors.items() if blocked & set(persons)}


def _authors(type_name: str, ids: set[int]) -> dict[int, list[int]]:
    """Who wrote each target, in one query."""
    if type_name == USER:
        return {target_id: [target_id] for target_id in ids}
    model = comment_model() if type_name == COMMENT else None
    if model is not None:
        rows = db.session.execute(select(model.id, model.author_id).where(model.id.in_(ids)))
        return {row.id: [row.author_id] for row in rows if row.author_id is not None}
    rtype = current_app.extensions["brique"].resource_types.get(type_name)
    if rtype is None:
        return {}
    resources = db.session.scalars(select(rtype.model).where(rtype.model.id.in_(ids)))
    return {resource.id: rtype.authors(resource) for resource in resources}


def reported_ids(user: Any, type_name: str, ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` that ``user`` already reported, in one query."""
    wanted = {int(target_id) for target_id in ids}
    if not wanted or not isinstance(user, User):
        return set()
    return set(
        db.session.scalars(
            select(Report.target_id).where(
                Report.reporter_id == user.id,
                Report.target_type == type_name,
                Report.target_id.in_(wanted),
            )
        )
    )


def shows_hidden(target: ReportTarget) -> bool:
    """Whether ``target`` shows as hidden: by moderation, or its author is blocked.

    In a request, the hidden targets of its type and the blocked people are read once,
    so that deciding for each item of a list costs no query.
    """
    if target.hidden is not None:
        return target.hidden
    if not has_request_context():
        return is_hidden(target.type, target.id)
    return target.id in _hidden_of_type(target.type) or bool(
        set(target.author_ids) & _blocked_people()
    )


def _hidden_of_type(type_name: str) -> set[int]:
    cache = g.setdefault("_brique_hidden", {})
    if type_name not in cache:
        cache[type_name] = set(
            db.session.scalars(
                select(Moderation.target_id).where(
                    Moderation.target_type == type_name, Moderation.hidden_at.is_not(None)
                )
            )
        )
    return cache[type_name]


def _blocked_people() -> set[int]:
    if "_brique_blocked_people" not in g:
        g._brique_blocked_people = blocked_ids()
    return g._brique_blocked_people


def has_reported(user: User, target: ReportTarget) -> bool:
    """Whether ``user`` reported ``target``; in a request, what they reported of its type
    is read once: a page of fifty comments costs one query."""
    if has_request_context():
        return target.id in _reported_by(user, target.type)
    return bool(reported_ids(user, target.type, [target.id]))


def _reported_by(user: User, type_name: str) -> set[int]:
    cache = g.setdefault("_brique_reported", {})
    if (user.id, type_name) not in cache:
        cache[user.id, type_name] = set(
            db.session.scalars(
                select(Report.target_id).where(
                    Report.reporter_id == user.id, Report.target_type == type_name
                )
            )
        )
    return cache[user.id, type_name]


def comment_shown() -> ColumnElement[bool]:
    """The SQL condition of the comments a thread shows in full: not deleted, not hidden
    by moderation, not written by a blocked person. Counts of comments use it."""
    blocked_author = (
        select(User.id).where(User.id == Comment.author_id, User.blocked_at.is_not(None)).exists()
    )
    return Comment.deleted_at.is_(None) & Comment.hidden_at.is_(None) & ~blocked_author


def current_path() -> str:
    """The path of the page being shown, to come back to after reporting or logging in."""
    return request.full_path.rstrip("?") if has_request_context() else "/"


def moderation_placeholder(type_name: str = "", blocked: bool = False) -> Markup:
    """The notice shown in place of hidden content.

    :param type_name: the hidden target's type (``"comment"`` says "This comment...").
    :param blocked: the author's account is blocked, rather than the content reported.
    """
    return Markup(
        render_template("moderation/_placeholder.html", type_name=type_name, blocked=blocked)
    )
