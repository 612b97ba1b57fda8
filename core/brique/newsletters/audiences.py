"""Who a newsletter goes to, and who may write one.

The audience of a **platform** newsletter: every person with a confirmed
e-mail address who accepted the newsletter (``notification_settings
["newsletter"]``). Of a **space**: those of them who took part in the space —
followed it or something in it, or contributed to it (recorded in
``space_participants``; unfollowing later does not remove them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from brique.db import db
from brique.models import Newsletter, Space, SpaceParticipant, SpaceRole, User
from brique.permissions import can


def audience_query(space_id: int | None) -> Select:
    """The ids of the people a newsletter of ``space_id`` (``None``: the platform) goes to."""
    statement = select(User.id).where(
        User.deleted_at.is_(None),
        User.email.is_not(None),
        User.email_confirmed_at.is_not(None),
        User.notification_settings["newsletter"].as_boolean().is_(True),
    )
    if space_id is not None:
        statement = statement.join(
            SpaceParticipant,
            (SpaceParticipant.user_id == User.id) & (SpaceParticipant.space_id == space_id),
        )
    return statement


def audience_size(space_id: int | None) -> int:
    return db.session.scalar(select(func.count()).select_from(audience_query(space_id).subquery()))


def managed_spaces(user: Any) -> list[Space]:
    """The spaces whose newsletters ``user`` writes: all for platform admins, else those
    they administer."""
    statement = select(Space).order_by(Space.title)
    if not can(user, "admin"):
        statement = statement.join(SpaceRole).where(
            SpaceRole.user_id == user.id, SpaceRole.role == "admin"
        )
    return list(db.session.scalars(statement))


def audience_choices(user: Any) -> list[tuple[str, str]]:
    """``(value, label)`` of the audiences ``user`` may write to: ``"platform"`` or a space id."""
    from flask_babel import gettext as _

    choices = [("platform", _("Everyone on the platform"))] if can(user, "admin") else []
    return choices + [(str(space.id), space.title) for space in managed_spaces(user)]


def may_manage(user: Any, newsletter: Newsletter) -> bool:
    if newsletter.space_id is None:
        return bool(can(user, "admin"))
    space = db.session.get(Space, newsletter.space_id)
    return space is not None and bool(can(user, "admin", space))


def visible_newsletters(user: Any) -> list[Newsletter]:
    """The newsletters ``user`` manages, newest first."""
    statement = select(Newsletter).order_by(Newsletter.id.desc())
    if not can(user, "admin"):
        ids = [space.id for space in managed_spaces(user)]
        statement = statement.where(Newsletter.space_id.in_(ids))
    return list(db.session.scalars(statement))
