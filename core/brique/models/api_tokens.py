"""Personal API tokens: what apps and kiosks send to act on a participant's behalf."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from brique.clock import now
from brique.db import Base

if TYPE_CHECKING:
    from brique.models.users import User


class ApiToken(Base):
    """A participant's personal token for the write endpoints of the JSON API.

    Only the SHA-256 hash of the token is stored: the token itself is shown once,
    when it is created, and cannot be read back. Revoking a token deletes its row.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: What the participant called it ("Kiosk of the town hall").
    name: Mapped[str] = mapped_column(String(80))
    #: Hex SHA-256 of the token: enough to recognise it, useless to a thief of the database.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    #: Updated at most once a minute, so that busy clients do not write on each request.
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of user {self.user_id}>"
