"""Sending e-mail: to the instance outbox in development, over SMTP in production.

Every e-mail of the site leaves through :func:`send_message`: account e-mails
(:func:`send_mail`), notifications and digests, newsletters.
"""

from __future__ import annotations

import smtplib
import time
import uuid
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from flask import current_app, render_template

from brique.clock import now


def send_message(message: EmailMessage) -> None:
    """Send ``message`` with the configured backend (:confval:`MAIL_BACKEND`).

    ``outbox`` writes it as an ``.eml`` file into ``outbox/`` in the instance
    folder; ``smtp`` sends it through :confval:`SMTP_HOST`. Headers the message
    lacks are added: ``From`` (:confval:`MAIL_FROM`), ``Date`` and ``Message-ID``.
    A failure raises (``OSError``, ``smtplib.SMTPException``): in a job, the
    job is then tried again later.

    :param message: a complete message, with ``To``, ``Subject`` and its body.
    """
    _complete(message)
    if current_app.config["MAIL_BACKEND"] == "smtp":
        _send_smtp(message)
    else:
        _write_outbox(message)


def send_mail(to: str, subject: str, template: str, **context: object) -> EmailMessage:
    """Render ``template`` (plain text) and send it to ``to`` at once, in the request:
    for account e-mails (confirmation, password reset), which the person is waiting for."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message.set_content(render_template(template, **context))
    send_message(message)
    return message


def _complete(message: EmailMessage) -> None:
    if "From" not in message:
        message["From"] = current_app.config["MAIL_FROM"]
    if "Date" not in message:
        message["Date"] = format_datetime(now())
    if "Message-ID" not in message:
        message["Message-ID"] = f"<{uuid.uuid4()}@brique>"


def outbox_path() -> Path:
    return Path(current_app.instance_path) / "outbox"


def _write_outbox(message: EmailMessage) -> None:
    folder = outbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    # Real nanoseconds, not the app clock (frozen in tests): names sort in sending order.
    name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(bytes(message))


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as server:
        if config["SMTP_STARTTLS"]:
            server.starttls()
        if config["SMTP_USERNAME"]:
            server.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        server.send_message(message)
