"""``log_action``: what the core and components call to record a state change."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_app_context, has_request_context
from flask_login import current_user

from brique.actionlog.chain import append
from brique.clock import now
from brique.db import db
from brique.models import ActionLogEntry, Component, Space, User

#: Type names of the core's own models in the log, by table.
CORE_TYPES = {
    "spaces": "space",
    "steps": "step",
    "components": "component",
    "users": "user",
    "comments": "comment",
    "categories": "category",
    "scopes": "scope",
    "profile_fields": "profile_field",
    "site_settings": "site_settings",
}


@dataclass(frozen=True)
class Target:
    """What an entry names: a type, an id, a title and the space it belongs to."""

    type: str = ""
    id: int | None = None
    summary: str = ""
    space_id: int | None = None


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON (dates and other objects as text), as it will read back."""
    return json.loads(json.dumps(value, default=str))


def snapshot(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    """The attributes ``names`` of ``obj``, ready for ``before=`` or ``after=``."""
    return {name: jsonable(getattr(obj, name, None)) for name in names}


def describe(target: Any) -> Target:
    """Name ``target``: a model instance, a ``(type_name, id)`` pair or ``None``."""
    if target is None:
        return Target()
    if isinstance(target, tuple):
        return Target(str(target[0]), int(target[1]))
    rtype = _resource_type_of(target)
    if rtype is not None:
        component = rtype.component_of(target)
        space_id = component.space_id if component is not None else None
        return Target(rtype.name, target.id, rtype.title(target)[:200], space_id)
    table = getattr(target, "__tablename__", type(target).__name__.lower())
    return Target(CORE_TYPES.get(table, table), target.id, _title(target), _space_id(target))


def _resource_type_of(target: Any) -> Any:
    types = current_app.extensions["brique"].resource_types.values()
    return next((rtype for rtype in types if isinstance(target, rtype.model)), None)


def _title(target: Any) -> str:
    if isinstance(target, User):
        return target.nickname
    for name in ("title", "name"):
        value = getattr(target, name, None)
        if isinstance(value, str):
            return value[:200]
    return ""


def _space_id(target: Any) -> int | None:
    if isinstance(target, Space):
        return target.id
    if getattr(target, "space_id", None) is not None:
        return target.space_id
    component_id = getattr(target, "component_id", None)
    if isinstance(target, Component) or component_id is None:
        return getattr(target, "space_id", None)
    component = db.session.get(Component, component_id)
    return component.space_id if component is not None else None


def acting_user() -> User | None:
    """The logged-in person of the current request, or ``None`` (commands, jobs)."""
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    return user if isinstance(user, User) else None


def log_action(
    user: User | None,
    verb: str,
    target: Any = None,
    *,
    space: Space | int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> ActionLogEntry | None:
    """Append an entry to the action log, in the current transaction: commit it with the change.

    :param user: who acted; ``None`` for the system (commands, automatic decisions).
    :param verb: what happened, ``"<thing>.<action>"``: ``"proposals.answer"``.
    :param target: the model instance acted on, a ``(type_name, id)`` pair, or ``None``.
    :param space: the space concerned, when ``target`` does not tell it.
    :param before: values before an admin change (``{"title": ...}``); with ``after``,
        only the values that changed are kept, and nothing is logged if none did.
    :param after: values after the change.
    :returns: the new entry, or ``None`` when ``before`` and ``after`` are equal.
    """
    if before is not None and after is not None:
        before, after = only_changes(jsonable(dict(before)), jsonable(dict(after)))
        if not before and not after:
            return None
    named = describe(target)
    space_id = space.id if isinstance(space, Space) else space
    _remember(verb, named)
    return append(
        created_at=now(),
        user_id=user.id if isinstance(user, User) else None,
        verb=verb,
        target_type=named.type,
        target_id=named.id,
        space_id=space_id if space_id is not None else named.space_id,
        summary=named.summary,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )


def only_changes(before: dict, after: dict) -> tuple[dict, dict]:
    """The values of ``before`` and ``after`` that differ, with the same keys."""
    changed = sorted(
        key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
    )
    return {key: before.get(key) for key in changed}, {key: after.get(key) for key in changed}


def _remember(verb: str, target: Target) -> None:
    """Note what this request logged explicitly, so that signal receivers do not log it twice."""
    if has_app_context():
        g.setdefault("_brique_logged", set()).add((verb, target.type, target.id))


def already_logged(verb: str, target: Any) -> bool:
    named = describe(target)
    return has_app_context() and (verb, named.type, named.id) in g.get("_brique_logged", set())
