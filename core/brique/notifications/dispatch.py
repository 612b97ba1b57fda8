"""From a signal to notifications: who is told, in the site and by e-mail.

Two steps, so that a signal reaching thousands of followers never slows the
request that sent it:

#. the receiver, in the request, asks each kind for its :class:`Notice` (it
   needs the signal's objects: a few queries) and enqueues ``notifications.fan-out``
   jobs, one per ``FAN_OUT_CHUNK`` people, in a transaction of its own (signals
   are sent after the sender's commit);
#. each job, in a worker, creates those people's notifications and the jobs
   e-mailing them, and marks itself done in the same transaction: a job run twice
   notifies nobody twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from blinker import Signal
from flask import current_app, has_app_context, has_request_context
from sqlalchemy import select

from brique.db import db
from brique.jobs.queue import enqueue, finish_in_transaction
from brique.models import Notification, Space, User
from brique.models.users import DEFAULT_NOTIFICATIONS
from brique.notifications.kinds import Notice, NotificationKind, NotificationRegistry
from brique.permissions import can

#: People notified by one fan-out job: bounds its transaction and its payload.
FAN_OUT_CHUNK = 500


def connect_kinds(registry: NotificationRegistry) -> None:
    """Connect one receiver per signal; it only acts in the app owning ``registry``."""
    for signal in registry.signals():
        receiver = _receiver(registry, signal)
        registry.receivers.append(receiver)  # blinker's reference is weak: keep it alive
        signal.connect(receiver)


def _receiver(registry: NotificationRegistry, signal: Signal) -> Callable[..., None]:
    def receive(sender: Any, **kwargs: Any) -> None:
        if not has_app_context() or _registry_of_app() is not registry:
            return  # signals are shared by every app of the process
        try:
            with _request_context():
                notify(registry.for_signal(signal), sender, kwargs)
        except Exception:
            # The participant's contribution is saved: an error page would say otherwise.
            db.session.rollback()
            if current_app.testing:
                raise
            current_app.logger.exception("notifications of %s failed", signal.name)

    return receive


def _request_context() -> AbstractContextManager[Any]:
    """Notices build links with ``url_for``: signals sent by commands (``brique demo``...)
    get a request to ``BASE_URL``, as jobs do."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["BASE_URL"])


def _registry_of_app() -> NotificationRegistry | None:
    state = current_app.extensions.get("brique")
    return state.notifications if state is not None else None


# --- In the request: notices, then fan-out jobs ---------------------------------------------


def notify(kinds: list[NotificationKind], sender: Any, kwargs: dict[str, Any]) -> int:
    """Enqueue the notifications of one signal; commit. Returns how many people may be
    notified (before the job leaves out deleted accounts and people who may not see)."""
    notices = [
        notice_payload(kind, notice)
        for kind in kinds
        if (notice := kind.notice(sender, **kwargs)) is not None
    ]
    people = sorted({person for notice in notices for person in notice["recipients"]})
    for start in range(0, len(people), FAN_OUT_CHUNK):
        chunk = people[start : start + FAN_OUT_CHUNK]
        enqueue("notifications.fan-out", {"notices": _for_chunk(notices, chunk)})
    db.session.commit()
    return len(people)


def notice_payload(kind: NotificationKind, notice: Notice) -> dict[str, Any]:
    """What the fan-out job needs of a notice, as JSON: ids and the message's values."""
    recipients = set(notice.recipients)
    if notice.actor is not None:
        recipients.discard(notice.actor.id)  # nobody is notified of their own action
    target_type, target_id = notice.target or ("", None)
    return {
        "kind": kind.name,
        "recipients": sorted(recipients),
        "url": str(notice.url)[:500],
        "actor_id": notice.actor.id if notice.actor is not None else None,
        "space_id": notice.space.id if notice.space is not None else None,
        "target_type": target_type,
        "target_id": target_id,
        "data": message_data(notice),
    }


def _for_chunk(notices: list[dict[str, Any]], chunk: list[int]) -> list[dict[str, Any]]:
    """The notices, each with only its recipients among ``chunk``: every kind naming a
    person is in the same job, so that the first one naming them wins."""
    wanted = set(chunk)
    found = []
    for notice in notices:
        recipients = [person for person in notice["recipients"] if person in wanted]
        if recipients:
            found.append({**notice, "recipients": recipients})
    return found


def message_data(notice: Notice) -> dict[str, str]:
    return {
        "title": str(notice.title),
        "actor": notice.actor.nickname if notice.actor is not None else "",
        "space": notice.space.title if notice.space is not None else "",
        **{key: str(value) for key, value in notice.data.items()},
    }


# --- In a worker: the notifications -------------------------------------------------------


def fan_out(payload: dict[str, Any]) -> None:
    """Job ``notifications.fan-out``: notify the people of one chunk, at most once each,
    from the first notice naming them."""
    notified: set[int] = set()
    for notice in payload["notices"]:
        users = recipients_of(notice, exclude=notified)
        create_notifications(notice, users)
        notified |= {user.id for user in users}
    if not finish_in_transaction():
        db.session.rollback()  # another worker runs it
        return
    db.session.commit()


def recipients_of(notice: dict[str, Any], exclude: set[int]) -> list[User]:
    """The active people of ``notice`` not in ``exclude``, who may see its space."""
    users = _active_users(sorted(set(notice["recipients"]) - exclude))
    if notice["space_id"] is None:
        return users
    space = db.session.get(Space, notice["space_id"])
    if space is None:
        return []  # deleted since
    if not space.is_published or space.is_private:
        users = [user for user in users if can(user, "view", space)]
    return users


def _active_users(ids: list[int]) -> list[User]:
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.deleted_at.is_(None))))


def create_notifications(notice: dict[str, Any], users: Iterable[User]) -> None:
    """Add the notifications and the jobs of those to e-mail at once. Not committed."""
    created = [_notification(notice, user) for user in users]
    db.session.add_all(created)
    db.session.flush()  # ids for the e-mail jobs
    for notification in created:
        if notification.email_status == "queued":
            enqueue("notifications.email", {"notification_id": notification.id})


def _notification(notice: dict[str, Any], user: User) -> Notification:
    return Notification(
        user_id=user.id,
        kind=notice["kind"],
        actor_id=notice["actor_id"],
        space_id=notice["space_id"],
        target_type=notice["target_type"],
        target_id=notice["target_id"],
        url=notice["url"],
        data=notice["data"],
        email_status=email_status(user),
    )


def email_status(user: User) -> str:
    """``queued`` (at once), ``digest`` (daily) or ``none``, from the person's choice."""
    if not user.email or not user.email_confirmed:
        return "none"
    choice = {**DEFAULT_NOTIFICATIONS, **(user.notification_settings or {})}["email"]
    return {"immediate": "queued", "daily": "digest"}.get(choice, "none")
