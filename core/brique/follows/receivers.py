"""Follows kept current from signals: authors follow what they create; deletions clean up.

The signals are sent after the sender's commit: each receiver commits its own
small transaction.
"""

from __future__ import annotations

from typing import Any

from blinker import Signal

from brique import signals
from brique.db import db
from brique.follows.service import follow, forget_target, forget_user, record_participants
from brique.notifications.kinds import notifications_active
from brique.resources import resource_types


def on_resource_created(sender: str, resource: Any = None, user: Any = None, **kwargs: Any) -> None:
    """Authors follow the resource they created and become participants of its space."""
    rtype = resource_types().get(sender) if notifications_active() else None
    if rtype is None or resource is None:
        return
    component = rtype.component_of(resource)
    authors = set(rtype.authors(resource))
    if user is not None and getattr(user, "id", None) is not None:
        authors.add(user.id)
    for author_id in sorted(authors):
        if rtype.followable:
            follow(author_id, rtype.name, resource.id, component.space_id)
    record_participants(component.space_id, authors)
    db.session.commit()


def on_comment_created(
    sender: Any,
    resource_type: str = "",
    resource_id: int | None = None,
    component: Any = None,
    author: Any = None,
    **kwargs: Any,
) -> None:
    """Commenters follow the resource they commented on."""
    rtype = resource_types().get(resource_type) if notifications_active() else None
    if rtype is None or author is None or component is None or resource_id is None:
        return
    if rtype.followable:
        follow(author.id, resource_type, resource_id, component.space_id)
    else:
        record_participants(component.space_id, [author.id])
    db.session.commit()


def on_resource_deleted(sender: str, resource_id: int | None = None, **kwargs: Any) -> None:
    if not notifications_active() or resource_id is None:
        return
    forget_target(sender, resource_id)
    db.session.commit()


def on_user_deleted(sender: Any, **kwargs: Any) -> None:
    """A deleted account follows nothing, and nobody follows it any more."""
    if not notifications_active():
        return
    forget_user(sender.id)
    db.session.commit()


#: Signal name in :mod:`brique.signals` -> receiver; absent signals are skipped.
RECEIVERS = {
    "resource_created": on_resource_created,
    "comment_created": on_comment_created,
    "resource_deleted": on_resource_deleted,
    "user_deleted": on_user_deleted,
}


def connect_follow_receivers() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    for name, receiver in RECEIVERS.items():
        signal = getattr(signals, name, None)
        if isinstance(signal, Signal):
            signal.connect(receiver)
