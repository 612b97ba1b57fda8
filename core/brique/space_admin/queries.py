"""Reading what the space administration shows, with a bounded number of queries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from brique.db import db
from brique.models import Category, Component, Scope, Space, SpaceRole, User
from brique.permissions import can


@dataclass(frozen=True)
class SpaceRow:
    """A line of the list of processes."""

    space: Space
    components: int


def administered_spaces(user: User) -> list[SpaceRow]:
    """The spaces ``user`` may administer, newest first, with their steps and counts."""
    components = (
        select(func.count(Component.id))
        .where(Component.space_id == Space.id)
        .correlate(Space)
        .scalar_subquery()
    )
    statement = (
        select(Space, components)
        .options(selectinload(Space.steps))
        .order_by(Space.created_at.desc(), Space.id.desc())
    )
    return [
        SpaceRow(space, count)
        for space, count in db.session.execute(statement)
        if can(user, "admin", space)
    ]


def space_by_slug(slug: str) -> Space | None:
    return db.session.scalar(select(Space).where(Space.slug == slug))


def slug_owner(slug: str, ignore: Space | None = None) -> Space | None:
    """The space already using ``slug`` (other than ``ignore``), if any."""
    statement = select(Space).where(Space.slug == slug)
    if ignore is not None and ignore.id is not None:
        statement = statement.where(Space.id != ignore.id)
    return db.session.scalar(statement)


def slugify(title: str) -> str:
    """A web address made from a title: "Budget participatif 2026" -> "budget-participatif-2026"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:70].rstrip("-") or "process"


def free_slug(title: str) -> str:
    """A slug from ``title`` that no space uses yet (numbered when needed)."""
    base = slugify(title)
    taken = set(db.session.scalars(select(Space.slug).where(Space.slug.startswith(base))))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def scope_choices() -> list[tuple[int, str]]:
    """Every scope as ``(id, name)``, in tree order, children indented under their parent."""
    scopes = db.session.scalars(select(Scope).order_by(Scope.name)).all()
    children: dict[int | None, list[Scope]] = {}
    for scope in scopes:
        children.setdefault(scope.parent_id, []).append(scope)
    choices: list[tuple[int, str]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for scope in children.get(parent_id, []):
            choices.append((scope.id, "\u2003" * depth + scope.name))
            walk(scope.id, depth + 1)

    walk(None, 0)
    return choices


def category_tree(space: Space) -> list[tuple[Category, list[Category]]]:
    """The space's main categories, each with its subcategories, by name."""
    categories = db.session.scalars(
        select(Category).where(Category.space_id == space.id).order_by(Category.name)
    ).all()
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    return [(parent, children.get(parent.id, [])) for parent in children.get(None, [])]


def roles_of(space: Space) -> list[SpaceRole]:
    """The space's roles with their people, by role then nickname."""
    return db.session.scalars(
        select(SpaceRole)
        .join(SpaceRole.user)
        .where(SpaceRole.space_id == space.id)
        .options(selectinload(SpaceRole.user))
        .order_by(SpaceRole.role, User.nickname)
    ).all()


def person(identifier: str) -> User | None:
    """The active user with this e-mail address or nickname (case-insensitive)."""
    wanted = identifier.strip().lower()
    return db.session.scalar(
        select(User).where(
            User.deleted_at.is_(None),
            (func.lower(User.email) == wanted) | (func.lower(User.nickname) == wanted),
        )
    )
