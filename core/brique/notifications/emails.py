"""The jobs that e-mail notifications: one e-mail each, or a daily digest per person.

Each job first marks its notifications ``sent`` with a conditional UPDATE, then
sends, then commits: a failed send rolls the mark back and the job is retried;
a second job for the same notifications finds nothing left to mark.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import ngettext
from sqlalchemy import select, update

from brique.db import db
from brique.jobs.queue import enqueue
from brique.mail import send_message
from brique.models import Notification, User
from brique.models.users import DEFAULT_NOTIFICATIONS
from brique.notifications.kinds import render_message
from brique.notifications.mailing import absolute, compose, in_language_of

#: A digest lists this many notifications and links to the rest.
DIGEST_LENGTH = 50


def mail_choice(user: User) -> str:
    """``immediate``, ``daily`` or ``none``; ``none`` without a confirmed address."""
    if user is None or user.deleted_at is not None or not user.email or not user.email_confirmed:
        return "none"
    return {**DEFAULT_NOTIFICATIONS, **(user.notification_settings or {})}["email"]


def _mark(ids: list[int], status: str, new_status: str) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.email_status == status)
        .values(email_status=new_status)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def send_notification_email(payload: dict[str, Any]) -> None:
    """Job ``notifications.email``: e-mail one notification now."""
    notification = db.session.get(Notification, payload["notification_id"])
    if notification is None or _mark([notification.id], "queued", "sent") != 1:
        db.session.rollback()
        return  # deleted, or another worker sent it
    user = db.session.get(User, notification.user_id)
    choice = mail_choice(user)
    if choice != "immediate":  # the person changed their mind since
        _mark([notification.id], "sent", "digest" if choice == "daily" else "skipped")
        db.session.commit()
        return
    with in_language_of(user):
        message = render_message(notification.kind, notification.data)
        send_message(
            compose(
                user,
                message,
                "mail/notification.txt",
                "notifications",
                message=message,
                notification=notification,
                link=absolute(notification.url),
                list_url=absolute(url_for("notifications.index")),
            )
        )
    db.session.commit()


def enqueue_digests(payload: dict[str, Any]) -> None:
    """Periodic job ``notifications.digests``: one digest job per person with news."""
    user_ids = db.session.scalars(
        select(Notification.user_id).where(Notification.email_status == "digest").distinct()
    ).all()
    for user_id in user_ids:
        enqueue("notifications.digest", {"user_id": user_id})
    db.session.commit()


def send_digest(payload: dict[str, Any]) -> None:
    """Job ``notifications.digest``: e-mail a person's waiting notifications in one e-mail."""
    user = db.session.get(User, payload["user_id"])
    waiting = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == payload["user_id"], Notification.email_status == "digest")
        .order_by(Notification.id)
    ).all()
    ids = [notification.id for notification in waiting]
    if not ids or _mark(ids, "digest", "sent") != len(ids):
        db.session.rollback()
        return  # nothing waits, or another worker is sending them
    if mail_choice(user) == "none":
        _mark(ids, "sent", "skipped")
    else:
        _send_digest_mail(user, waiting)
    db.session.commit()


def _send_digest_mail(user: User, notifications: list[Notification]) -> None:
    with in_language_of(user):
        items = [
            (render_message(item.kind, item.data), absolute(item.url), item.data.get("excerpt", ""))
            for item in notifications[-DIGEST_LENGTH:]
        ]
        subject = ngettext(
            "Your news of the day: %(num)s notification",
            "Your news of the day: %(num)s notifications",
            len(notifications),
        )
        send_message(
            compose(
                user,
                subject,
                "mail/digest.txt",
                "notifications",
                items=items,
                more=max(len(notifications) - DIGEST_LENGTH, 0),
                list_url=absolute(url_for("notifications.index")),
            )
        )
