"""What the action log hears from signals: participants' actions and the space administration.

Signals sent after a commit get their entry in a transaction of their own; the entry of
``component-removed`` (sent before the deletion) joins the deletion's transaction.
Changes the administration already logged with their values before and after (space,
step and component settings forms) are not logged twice.
"""

from __future__ import annotations

from typing import Any

from blinker import Signal
from flask import has_app_context

from brique import signals
from brique.actionlog.log import acting_user, already_logged, log_action
from brique.db import db
from brique.models import Component

DEFAULT = object()


def _record(
    verb: str, target: Any, user: Any = DEFAULT, commit: bool = True, **options: Any
) -> None:
    if not has_app_context() or already_logged(verb, target):
        return
    log_action(acting_user() if user is DEFAULT else user, verb, target, **options)
    if commit:
        db.session.commit()


def on_user_registered(sender: Any, **kwargs: Any) -> None:
    _record("user.register", sender, user=sender)


def on_user_confirmed(sender: Any, **kwargs: Any) -> None:
    _record("user.confirm", sender, user=sender)


def on_user_deleted(sender: Any, **kwargs: Any) -> None:
    _record("user.delete", sender, user=sender)


def on_user_authorized(sender: Any, handler: str = "", **kwargs: Any) -> None:
    _record("user.authorize", sender, user=sender, after={"handler": handler})


def on_resource_created(sender: str, resource: Any, user: Any = None, **kwargs: Any) -> None:
    _record("resource.create", resource, user=user)


def on_resource_updated(
    sender: str, resource: Any, user: Any = None, changes: Any = None, **kwargs: Any
) -> None:
    changes = changes or {}
    before = {key: pair[0] for key, pair in changes.items()}
    after = {key: pair[1] for key, pair in changes.items()}
    _record("resource.update", resource, user=user, before=before or None, after=after or None)


def on_resource_deleted(
    sender: str, resource_id: int, component_id: int | None = None, user: Any = None, **kwargs: Any
) -> None:
    component = db.session.get(Component, component_id) if component_id else None
    space = component.space_id if component is not None else None
    _record("resource.delete", (sender, resource_id), user=user, space=space)


def on_space_created(sender: Any, **kwargs: Any) -> None:
    _record("space.create", sender)


def on_space_published(sender: Any, **kwargs: Any) -> None:
    _record("space.publish", sender)


def on_space_unpublished(sender: Any, **kwargs: Any) -> None:
    _record("space.unpublish", sender)


def on_step_activated(sender: Any, **kwargs: Any) -> None:
    _record("step.pin", sender)


def on_component_added(sender: Any, **kwargs: Any) -> None:
    _record("component.add", sender)


def on_component_published(sender: Any, **kwargs: Any) -> None:
    _record("component.publish", sender)


def on_component_removed(sender: Any, **kwargs: Any) -> None:
    _record("component.remove", sender, commit=False)


def on_settings_changed(sender: Any, part: str = "settings", **kwargs: Any) -> None:
    _record(f"component.{part}", sender)


def on_comment_created(sender: Any, author: Any = None, **kwargs: Any) -> None:
    _record("comment.create", sender, user=author)


def on_comment_edited(
    sender: Any, user: Any = None, previous_body: str | None = None, **kwargs: Any
) -> None:
    _record(
        "comment.update",
        sender,
        user=user,
        before={"body": previous_body},
        after={"body": sender.body},
    )


def on_comment_deleted(sender: Any, user: Any = None, **kwargs: Any) -> None:
    _record("comment.delete", sender, user=user)


def on_comment_voted(sender: Any, user: Any = None, value: int = 0, **kwargs: Any) -> None:
    _record("comment.vote", sender, user=user, after={"value": value})


#: Signal name -> receiver. Signals of services that may be absent are looked up by name.
RECEIVERS = {
    "user_registered": on_user_registered,
    "user_confirmed": on_user_confirmed,
    "user_deleted": on_user_deleted,
    "user_authorized": on_user_authorized,
    "resource_created": on_resource_created,
    "resource_updated": on_resource_updated,
    "resource_deleted": on_resource_deleted,
    "space_created": on_space_created,
    "space_published": on_space_published,
    "space_unpublished": on_space_unpublished,
    "step_activated": on_step_activated,
    "component_added": on_component_added,
    "component_published": on_component_published,
    "component_removed": on_component_removed,
    "settings_changed": on_settings_changed,
    "comment_created": on_comment_created,
    "comment_edited": on_comment_edited,
    "comment_deleted": on_comment_deleted,
    "comment_voted": on_comment_voted,
}


def connect_receivers() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    for name, receiver in RECEIVERS.items():
        signal = getattr(signals, name, None)
        if isinstance(signal, Signal):
            signal.connect(receiver)
