"""Sending a newsletter: recipients listed once, e-mails sent in batches by jobs.

:func:`start_sending` lists the recipients (one row each) and enqueues the
first ``newsletters.deliver`` job, in the admin's transaction. Each job sends
up to ``NEWSLETTERS_BATCH_SIZE`` e-mails, then enqueues the next job. For each
recipient, a worker first *claims* the row (a conditional UPDATE, committed),
then sends, then records ``sent_at``. So:

* a crashed or failed job is run again and continues with the unclaimed rows;
* a row is claimed once, so nobody ever gets the newsletter twice, even with
  several workers; a send that fails gives its row back for the retry;
* only a worker killed between claiming and sending leaves a row claimed and
  not sent (at most one per worker): it counts as *interrupted*, not resent.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import func, insert, literal, select, update

from brique.clock import now
from brique.db import db
from brique.jobs.queue import enqueue
from brique.mail import send_message
from brique.models import Newsletter, NewsletterRecipient, Space, User
from brique.newsletters.audiences import audience_query
from brique.notifications.mailing import compose, in_language_of
from brique.text import render_markdown


def start_sending(newsletter: Newsletter) -> bool:
    """Turn a draft into ``sending``: list its recipients, enqueue the first batch.

    ``False`` if it was not a draft any more (sent from another tab). Not committed.
    """
    started = db.session.execute(
        update(Newsletter)
        .where(Newsletter.id == newsletter.id, Newsletter.status == "draft")
        .values(status="sending", sent_at=now())
        .execution_options(synchronize_session=False)
    )
    if started.rowcount != 1:
        return False
    people = audience_query(newsletter.space_id).add_columns(literal(newsletter.id))
    db.session.execute(
        insert(NewsletterRecipient).from_select(["user_id", "newsletter_id"], people)
    )
    count = db.session.scalar(
        select(func.count())
        .select_from(NewsletterRecipient)
        .where(NewsletterRecipient.newsletter_id == newsletter.id)
    )
    db.session.execute(
        update(Newsletter)
        .where(Newsletter.id == newsletter.id)
        .values(recipients_count=count)
        .execution_options(synchronize_session=False)
    )
    enqueue("newsletters.deliver", {"newsletter_id": newsletter.id})
    return True


def deliver_newsletter(payload: dict[str, Any]) -> None:
    """Job ``newsletters.deliver``: send one batch, then hand over to the next job."""
    newsletter = db.session.get(Newsletter, payload["newsletter_id"])
    if newsletter is None or newsletter.status != "sending":
        return
    batch = db.session.scalars(
        select(NewsletterRecipient.id)
        .where(
            NewsletterRecipient.newsletter_id == newsletter.id,
            NewsletterRecipient.claimed_at.is_(None),
        )
        .order_by(NewsletterRecipient.id)
        .limit(current_app.config["NEWSLETTERS_BATCH_SIZE"])
    ).all()
    space = db.session.get(Space, newsletter.space_id) if newsletter.space_id else None
    html_body = render_markdown(newsletter.body)
    for recipient_id in batch:
        send_to(newsletter, space, html_body, recipient_id)
    _continue_or_finish(newsletter.id)


def send_to(newsletter: Newsletter, space: Space | None, html_body: str, recipient_id: int) -> None:
    """Claim one recipient's row, send, record; a failed send gives the row back."""
    if not _claim(recipient_id):
        return  # another worker has it
    recipient = db.session.get(NewsletterRecipient, recipient_id)
    user = db.session.get(User, recipient.user_id)
    if not _still_wants_it(user):  # unsubscribed or deleted since the list was made
        db.session.delete(recipient)
        db.session.commit()
        return
    try:
        send_message(_message(newsletter, space, html_body, user))
    except Exception:
        _release(recipient_id)
        raise
    recipient.sent_at = now()
    db.session.commit()


def _still_wants_it(user: User | None) -> bool:
    return (
        user is not None
        and user.deleted_at is None
        and bool(user.email)
        and bool((user.notification_settings or {}).get("newsletter"))
    )


def _claim(recipient_id: int) -> bool:
    claimed = db.session.execute(
        update(NewsletterRecipient)
        .where(NewsletterRecipient.id == recipient_id, NewsletterRecipient.claimed_at.is_(None))
        .values(claimed_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _release(recipient_id: int) -> None:
    db.session.rollback()
    db.session.execute(
        update(NewsletterRecipient)
        .where(NewsletterRecipient.id == recipient_id)
        .values(claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _message(newsletter: Newsletter, space: Space | None, html_body: str, user: User) -> Any:
    with in_language_of(user):
        return compose(
            user,
            newsletter.subject,
            "mail/newsletter.txt",
            "newsletter",
            "mail/newsletter.html",
            newsletter=newsletter,
            space=space,
            body=html_body,
        )


def _continue_or_finish(newsletter_id: int) -> None:
    left = db.session.scalar(
        select(func.count())
        .select_from(NewsletterRecipient)
        .where(
            NewsletterRecipient.newsletter_id == newsletter_id,
            NewsletterRecipient.claimed_at.is_(None),
        )
    )
    if left:
        enqueue("newsletters.deliver", {"newsletter_id": newsletter_id})
    else:
        db.session.execute(
            update(Newsletter)
            .where(Newsletter.id == newsletter_id, Newsletter.status == "sending")
            .values(status="sent", finished_at=now())
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def delivery_counts(newsletter: Newsletter) -> dict[str, int]:
    """How many recipients: ``sent``, ``waiting`` and ``interrupted`` (claimed, not sent)."""
    rows = db.session.execute(
        select(
            func.count(NewsletterRecipient.sent_at),
            func.count(NewsletterRecipient.claimed_at),
            func.count(),
        ).where(NewsletterRecipient.newsletter_id == newsletter.id)
    ).one()
    sent, claimed, total = rows
    return {"sent": sent, "waiting": total - claimed, "interrupted": claimed - sent}
