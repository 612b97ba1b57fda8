"""What the administration pages read: counts, spaces a person manages, people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from brique.db import db
from brique.models import Component, Space, SpaceRole, User
from brique.moderation.queries import pending_by_space, pending_counts
from brique.permissions import SPACE_ROLES_FOR, can, roles_in, spaces_with_role, staff_spaces

#: How many spaces the dashboard lists before pointing to the full list.
DASHBOARD_SPACES = 20
RECENT_SIGNUPS = 10


@dataclass(frozen=True)
class SiteCounts:
    """The figures on top of the dashboard."""

    participants: int
    confirmed: int
    published_spaces: int
    draft_spaces: int
    components: int


def _count(model: type, *where: object) -> Select:
    return select(func.count()).select_from(model).where(*where).scalar_subquery()


def site_counts() -> SiteCounts:
    """Every figure in one query."""
    alive = User.deleted_at.is_(None)
    row = db.session.execute(
        select(
            _count(User, alive),
            _count(User, alive, User.email_confirmed_at.is_not(None)),
            _count(Space, Space.published_at.is_not(None)),
            _count(Space, Space.published_at.is_(None)),
            _count(Component),
        )
    ).one()
    return SiteCounts(*row)


@dataclass(frozen=True)
class ManagedSpace:
    """A space on the dashboard, with the roles that let the person manage it."""

    space: Space
    roles: list[str]


def managed_spaces(user: User) -> list[ManagedSpace]:
    """Spaces ``user`` manages: all of them for platform admins, else those with a staff role."""
    query = select(Space).order_by(Space.created_at.desc(), Space.id.desc())
    if not can(user, "admin"):
        query = query.where(Space.id.in_(staff_spaces(user)))
    spaces = db.session.scalars(query.limit(DASHBOARD_SPACES)).all()
    return [ManagedSpace(space, sorted(roles_in(user, space) - {"member"})) for space in spaces]


@dataclass(frozen=True)
class ModeratedSpace:
    """A space whose moderation queue the person reads, with what waits there."""

    space: Space
    pending: int


def moderated_spaces(user: User) -> list[ModeratedSpace]:
    """The queues to show on the dashboard, in two queries at most: the spaces ``user``
    moderates (as a moderator or a space administrator); for platform administrators, the
    spaces where content waits for review, most first."""
    if can(user, "admin"):
        return [ModeratedSpace(*row) for row in pending_by_space()[:DASHBOARD_SPACES]]
    ids = spaces_with_role(user, SPACE_ROLES_FOR["moderate"])
    if not ids:
        return []
    pending = pending_counts(ids)
    spaces = db.session.scalars(
        select(Space).where(Space.id.in_(ids)).order_by(Space.created_at.desc(), Space.id.desc())
    ).all()
    found = [ModeratedSpace(space, pending.get(space.id, 0)) for space in spaces]
    return sorted(found, key=lambda item: -item.pending)[:DASHBOARD_SPACES]


def recent_signups() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.deleted_at.is_(None))
            .order_by(User.created_at.desc(), User.id.desc())
            .limit(RECENT_SIGNUPS)
        )
    )


#: The user list's filters: name -> condition on User.
USER_FILTERS = {
    "active": lambda: User.deleted_at.is_(None),
    "admins": lambda: User.is_admin & User.deleted_at.is_(None),
    "unconfirmed": lambda: User.email_confirmed_at.is_(None) & User.deleted_at.is_(None),
    "deleted": lambda: User.deleted_at.is_not(None),
}


def user_search(text: str, status: str = "active") -> Select:
    """People matching ``status`` whose nickname, e-mail or name contains ``text``, newest first."""
    query = select(User).where(USER_FILTERS.get(status, USER_FILTERS["active"])())
    words = text.strip()
    if words:
        pattern = f"%{escape_like(words.lower())}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (User.nickname, User.email, User.name)
                )
            )
        )
    return query.order_by(User.created_at.desc(), User.id.desc())


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def roles_of(user: User) -> list[SpaceRole]:
    """The user's roles with their spaces, in one query."""
    return list(
        db.session.scalars(
            select(SpaceRole)
            .where(SpaceRole.user_id == user.id)
            .options(selectinload(SpaceRole.space))
            .order_by(SpaceRole.space_id, SpaceRole.role)
        )
    )


def platform_admin_count(excluding: int | None = None) -> int:
    query = select(func.count()).select_from(User).where(User.is_admin, User.deleted_at.is_(None))
    if excluding is not None:
        query = query.where(User.id != excluding)
    return db.session.scalar(query) or 0
