"""People who use the site."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from brique.clock import now
from brique.db import Base

DEFAULT_NOTIFICATIONS = {"email": "immediate", "newsletter": False}


class User(UserMixin, Base):
    """A registered person. ``nickname`` is public; ``name`` and ``email`` are private."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    nickname: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120), default="")
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    is_admin: Mapped[bool] = mapped_column(default=False)
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    deleted_at: Mapped[datetime | None]
    blocked_at: Mapped[datetime | None]
    blocked_reason: Mapped[str] = mapped_column(default="", server_default="")
    session_token: Mapped[str] = mapped_column(String(64), default="")
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notification_settings: Mapped[dict[str, Any]] = mapped_column(
        default=lambda: dict(DEFAULT_NOTIFICATIONS)
    )

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"] if current_app else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: deleted accounts cannot log in
        return self.deleted_at is None

    def get_id(self) -> str:
        # The session token changes with the password, logging out other sessions.
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.nickname!r}>"


# "Alice" and "alice" are one nickname: nobody can pass for someone else by changing case.
Index("uq_users_nickname_lower", func.lower(User.nickname), unique=True)
