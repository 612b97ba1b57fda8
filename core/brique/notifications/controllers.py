"""Views: the list of notifications, marking them read, and unsubscribing by e-mailed link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import update

from brique.clock import now
from brique.db import db
from brique.models import Notification, User
from brique.models.users import DEFAULT_NOTIFICATIONS
from brique.notifications.mailing import read_unsubscribe_token
from brique.notifications.queries import notification_page


@login_required
def index() -> str:
    pagination, items = notification_page(current_user, request.args.get("page", 1, type=int))
    return render_template("notifications/index.html", pagination=pagination, items=items)


@login_required
def mark_read(notification_id: int) -> object:
    _mark_read(Notification.id == notification_id)
    return redirect(url_for("notifications.index", page=request.form.get("page", type=int)))


@login_required
def mark_all_read() -> object:
    count = _mark_read()
    if count:
        flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


def _mark_read(*conditions: object) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None), *conditions)
        .values(read_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def unsubscribe(token: str) -> object:
    """GET shows a button (mail scanners open links: reading must change nothing); POST,
    from that button or from the mail client (RFC 8058 one-click), unsubscribes."""
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None or user.deleted_at is not None:
        abort(404)
    purpose = found[1]
    if request.method == "POST":
        stop_emails(user, purpose)
        return render_template("notifications/unsubscribed.html", purpose=purpose)
    return render_template("notifications/unsubscribe.html", purpose=purpose, token=token)


def stop_emails(user: User, purpose: str) -> None:
    change = {"email": "none"} if purpose == "notifications" else {"newsletter": False}
    user.notification_settings = {
        **DEFAULT_NOTIFICATIONS,
        **(user.notification_settings or {}),
        **change,
    }
    db.session.commit()
