"""Sending e-mail: to the instance outbox in development, over SMTP in production."""

from __future__ import annotations

import smtplib
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, render_template


def send_mail(to: str, subject: str, template: str, **context: object) -> EmailMessage:
    """Render ``template`` (plain text) and send it to ``to`` with the configured backend."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@brique>"
    message.set_content(render_template(template, **context))
    if config["MAIL_BACKEND"] == "smtp":
        _send_smtp(message)
    else:
        _write_outbox(message)
    return message


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
