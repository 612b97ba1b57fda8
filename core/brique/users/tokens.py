"""Signed, expiring tokens for e-mailed links (confirmation, password reset, new e-mail)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from brique.clock import now


class ClockSigner(TimestampSigner):
    """Timestamps from the app's clock, so that expiry follows the clock tests can move."""

    def get_timestamp(self) -> int:
        return int(now().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"brique-{purpose}", signer=ClockSigner
    )


def make_token(purpose: str, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age_seconds: int) -> Any | None:
    """The payload, or ``None`` if the token is forged, for another purpose or expired."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except (SignatureExpired, BadSignature):
        return None
