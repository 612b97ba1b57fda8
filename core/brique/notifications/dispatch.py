"""From a signal to notifications: who is told, in the site and by e-mail.

Signals are sent after the sender's commit; the notifications of one signal
and their e-mail jobs are saved together in a transaction of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from blinker import Signal
from flask import current_app, has_app_context
from sqlalchemy import select

from brique.db import db
from brique.jobs.queue import enqueue
from brique.models import Notification, User
from brique.models.users import DEFAULT_NOTIFICATIONS
from brique.notifications.kinds import EXTENSION, Notice, NotificationKind, NotificationRegistry
from brique.permissions import can

CHUNK = 500


def connect_kinds(registry: NotificationRegistry) -> None:
    """Connect one receiver per signal; it only acts in the app owning ``registry``."""
    for signal in registry.signals():
        receiver = _receiver(registry, signal)
        registry.receivers.append(receiver)  # blinker's reference is weak: keep it alive
        signal.connect(receiver)


def _receiver(registry: NotificationRegistry, signal: Signal) -> Callable[..., None]:
    def receive(sender: Any, **kwargs: Any) -> None:
        if not has_app_context() or current_app.extensions.get(EXTENSION) is not registry:
            return  # signals are shared by every app of the process
        try:
            notify(registry.for_signal(signal), sender, kwargs)
        except Exception:
            # The participant's contribution is saved: an error page would say otherwise.
            db.session.rollback()
            if current_app.testing:
                raise
            current_app.logger.exception("notifications of %s failed", signal.name)

    return receive


def notify(kinds: list[NotificationKind], sender: Any, kwargs: dict[str, Any]) -> int:
    """Create the notifications of one signal, at most one per person; commit them."""
    notified: set[int] = set()
    for kind in kinds:
        notice = kind.notice(sender, **kwargs)
        if notice is None:
            continue
        users = recipients_of(notice, exclude=notified)
        create_notifications(kind, notice, users)
        notified |= {user.id for user in users}
    db.session.commit()
    return len(notified)


def recipients_of(notice: Notice, exclude: set[int]) -> list[User]:
    """The active people to notify, without the actor and those excluded, who may see the
    space it happened in."""
    ids = set(notice.recipients) - exclude
    if notice.actor is not None:
        ids.discard(notice.actor.id)
    users = _active_users(sorted(ids))
    space = notice.space
    if space is not None and (not space.is_published or space.is_private):
        users = [user for user in users if can(user, "view", space)]
    return users


def _active_users(ids: list[int]) -> list[User]:
    users: list[User] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        users += db.session.scalars(
            select(User).where(User.id.in_(chunk), User.deleted_at.is_(None))
        ).all()
    return users


def create_notifications(kind: NotificationKind, notice: Notice, users: Iterable[User]) -> None:
    """Add the notifications and the jobs of those to e-mail at once. Not committed."""
    data = message_data(notice)
    created = [_notification(kind, notice, data, user) for user in users]
    db.session.add_all(created)
    db.session.flush()  # ids for the e-mail jobs
    for notification in created:
        if notification.email_status == "queued":
            enqueue("notifications.email", {"notification_id": notification.id})


def message_data(notice: Notice) -> dict[str, str]:
    return {
        "title": notice.title,
        "actor": notice.actor.nickname if notice.actor is not None else "",
        "space": notice.space.title if notice.space is not None else "",
        **{key: str(value) for key, value in notice.data.items()},
    }


def _notification(kind: NotificationKind, notice: Notice, data: dict, user: User) -> Notification:
    target_type, target_id = notice.target or ("", None)
    return Notification(
        user_id=user.id,
        kind=kind.name,
        actor_id=notice.actor.id if notice.actor is not None else None,
        space_id=notice.space.id if notice.space is not None else None,
        target_type=target_type,
        target_id=target_id,
        url=notice.url[:500],
        data=data,
        email_status=email_status(user),
    )


def email_status(user: User) -> str:
    """``queued`` (at once), ``digest`` (daily) or ``none``, from the person's choice."""
    if not user.email or not user.email_confirmed:
        return "none"
    choice = {**DEFAULT_NOTIFICATIONS, **(user.notification_settings or {})}["email"]
    return {"immediate": "queued", "daily": "digest"}.get(choice, "none")
