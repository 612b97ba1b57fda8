"""What can be followed: a space, a followable resource, a person; found by type and id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for

from brique.db import db
from brique.follows.service import is_following
from brique.models import Space, User
from brique.models.notifications import SPACE, USER
from brique.permissions import can
from brique.resources import resource_types


@dataclass(frozen=True)
class FollowTarget:
    """Something a person may follow, seen by the follow service."""

    type: str
    id: int
    title: str
    url: str
    #: The space it belongs to (``None`` for people).
    space_id: int | None
    #: What is followed: the :class:`~brique.models.Space`, resource or
    #: :class:`~brique.models.User` that ``can(user, "follow", ...)`` decides on.
    subject: Any = field(default=None, compare=False, repr=False)


def find_target(user: Any, target_type: str, target_id: int) -> FollowTarget | None:
    """The target if it exists and ``user`` may see it, else ``None`` (a 404 for views)."""
    if target_type == SPACE:
        return _space(user, target_id)
    if target_type == USER:
        return _person(target_id)
    return _resource(user, target_type, target_id)


def _space(user: Any, space_id: int) -> FollowTarget | None:
    space = db.session.get(Space, space_id)
    if space is None or not can(user, "view", space):
        return None
    url = url_for("spaces.show", slug=space.slug)
    return FollowTarget(SPACE, space.id, space.title, url, space.id, space)


def _person(user_id: int) -> FollowTarget | None:
    person = db.session.get(User, user_id)
    if person is None or person.deleted_at is not None:
        return None
    return FollowTarget(USER, person.id, person.nickname, "", None, person)


def _resource(user: Any, type_name: str, resource_id: int) -> FollowTarget | None:
    rtype = resource_types().get(type_name)
    if rtype is None or not rtype.followable:
        return None
    resource = rtype.get(resource_id)
    if resource is None or not rtype.is_public(resource):
        return None
    component = rtype.component_of(resource)
    if component is None or not can(user, "view", component):
        return None
    return FollowTarget(
        type_name,
        resource.id,
        rtype.title(resource),
        rtype.url(resource),
        component.space_id,
        resource,
    )


def followed_target(user: Any, target_type: str, target_id: int) -> FollowTarget | None:
    """What ``user`` may stop following: what they see, and whatever they follow even if
    they can no longer see it (an unpublished process, a blocked account). ``None``
    otherwise (a 404 for views)."""
    target = find_target(user, target_type, target_id)
    if target is not None or not is_following(user, target_type, target_id):
        return target
    return FollowTarget(target_type, target_id, "", "", None)
