"""Following and unfollowing; who follows what; the participants of a space."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g
from sqlalchemy import Select, delete, false, select

from brique.clock import now
from brique.db import db
from brique.jobs.sql import insert_ignore
from brique.models import Follow, Notification, SpaceParticipant, User


def follow(user_id: int, target_type: str, target_id: int, space_id: int | None) -> bool:
    """Make ``user_id`` follow the target; ``False`` if they already did. Not committed."""
    created = insert_ignore(
        Follow,
        [
            {
                "user_id": user_id,
                "target_type": target_type,
                "target_id": target_id,
                "space_id": space_id,
                "created_at": now(),
            }
        ],
    )
    if space_id is not None:
        record_participants(space_id, [user_id])
    _forget_cache()
    return created == 1


def unfollow(user_id: int, target_type: str, target_id: int) -> bool:
    """Stop following; ``False`` if the user did not follow the target. Not committed."""
    removed = db.session.execute(
        delete(Follow).where(
            Follow.user_id == user_id,
            Follow.target_type == target_type,
            Follow.target_id == target_id,
        )
    )
    _forget_cache()
    return bool(removed.rowcount)


def is_following(user: Any, target_type: str, target_id: int) -> bool:
    """Whether ``user`` (maybe anonymous) follows the target; one query per page and target."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache = g.setdefault("_brique_follows", {})
    key = (user.id, target_type, target_id)
    if key not in cache:
        cache[key] = (
            db.session.scalar(
                select(Follow.id).where(
                    Follow.user_id == user.id,
                    Follow.target_type == target_type,
                    Follow.target_id == target_id,
                )
            )
            is not None
        )
    return cache[key]


def follow_state(target_type: str, target_id: int) -> bool | None:
    """Whether the person browsing follows the target; ``None`` for visitors (templates)."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return None
    return is_following(current_user, target_type, target_id)


def _forget_cache() -> None:
    g.pop("_brique_follows", None)


def followers_query(targets: Iterable[tuple[str, int]]) -> Select:
    """The ids of the active people following any of ``targets`` (``(type, id)`` pairs)."""
    condition = None
    for target_type, target_id in targets:
        match = (Follow.target_type == target_type) & (Follow.target_id == target_id)
        condition = match if condition is None else condition | match
    statement = (
        select(Follow.user_id)
        .join(User, User.id == Follow.user_id)
        .where(User.deleted_at.is_(None))
        .distinct()
    )
    return statement.where(condition) if condition is not None else statement.where(false())


def followers_of(*targets: tuple[str, int]) -> list[int]:
    """Ids of the people following any of ``targets``: ``("space", 3)``, ``("user", 8)``,
    ``("proposals.proposal", 12)``; deleted accounts left out."""
    return list(db.session.scalars(followers_query(targets)))


def record_participants(space_id: int, user_ids: Iterable[int]) -> None:
    """Remember that these people followed or contributed to the space. Not committed."""
    rows = [
        {"space_id": space_id, "user_id": user_id, "since": now()}
        for user_id in sorted(set(user_ids))
    ]
    insert_ignore(SpaceParticipant, rows)


def forget_user(user_id: int) -> None:
    """Delete the follows by and of a deleted account, its participations and its
    notifications. Not committed."""
    db.session.execute(delete(Notification).where(Notification.user_id == user_id))
    db.session.execute(delete(Follow).where(Follow.user_id == user_id))
    db.session.execute(
        delete(Follow).where(Follow.target_type == "user", Follow.target_id == user_id)
    )
    db.session.execute(delete(SpaceParticipant).where(SpaceParticipant.user_id == user_id))


def forget_target(target_type: str, target_id: int) -> None:
    """Delete the follows of something deleted. Not committed."""
    db.session.execute(
        delete(Follow).where(Follow.target_type == target_type, Follow.target_id == target_id)
    )
