"""Reading notifications: a person's page of them and their unread count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g
from flask_login import current_user
from sqlalchemy import func, select

from brique.db import db
from brique.models import Notification
from brique.notifications.kinds import render_message

PAGE_SIZE = 30


@dataclass(frozen=True)
class NotificationItem:
    """A notification ready for the list."""

    id: int
    message: str
    url: str
    excerpt: str
    created_at: datetime
    unread: bool


def unread_notifications() -> int:
    """The current person's unread notifications (0 for visitors); one query per request."""
    if not current_user.is_authenticated:
        return 0
    if "_brique_unread" not in g:
        g._brique_unread = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        )
    return g._brique_unread


def notification_page(user: Any, page: int) -> tuple[Any, list[NotificationItem]]:
    """A page of notifications, newest first, and its items: two queries, whatever its length."""
    pagination = db.paginate(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return pagination, [_item(row) for row in pagination.items]


def _item(row: Notification) -> NotificationItem:
    return NotificationItem(
        row.id,
        render_message(row.kind, row.data),
        row.url,
        str(row.data.get("excerpt", "")),
        row.created_at,
        row.read_at is None,
    )
