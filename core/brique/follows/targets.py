"""What can be followed: a space, a followable resource, a person; found by type and id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from brique.db import db
from brique.models import Space, User
from brique.models.notifications import SPACE, USER
from brique.permissions import ALLOWED, Decision, can, refuse
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
    return FollowTarget(
        SPACE, space.id, space.title, url_for("spaces.show", slug=space.slug), space.id
    )


def _person(user_id: int) -> FollowTarget | None:
    person = db.session.get(User, user_id)
    if person is None or person.deleted_at is not None:
        return None
    return FollowTarget(USER, person.id, person.nickname, "", None)


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
        type_name, resource.id, rtype.title(resource), rtype.url(resource), component.space_id
    )


def may_follow(user: Any, target: FollowTarget) -> Decision:
    """Logged-in people follow what they see; nobody follows themselves."""
    if not getattr(user, "is_authenticated", False):
        return refuse(
            _l("Log in to follow."), "login_required", url_for("auth.login"), _l("Log in")
        )
    if target.type == USER and target.id == user.id:
        return refuse(_l("You cannot follow yourself."), "forbidden")
    return ALLOWED
