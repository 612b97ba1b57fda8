"""The institution running the site: its name, logo and colours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from brique.db import Base, db

DEFAULT_PRIMARY = "#1f4e8c"


class SiteSettings(Base):
    """A single row: the institution's branding, edited in the admin."""

    __tablename__ = "site_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="Brique")
    logo: Mapped[str | None] = mapped_column(String(255))
    primary_color: Mapped[str] = mapped_column(String(7), default=DEFAULT_PRIMARY)
    welcome_text: Mapped[str] = mapped_column(default="")
    census_salt: Mapped[str | None] = mapped_column(String(64))
    #: When the current census file was imported (``None``: no census).
    census_imported_at: Mapped[datetime | None]

    @classmethod
    def get(cls) -> SiteSettings:
        """The settings row, or unsaved defaults when the admin never edited them."""
        return db.session.get(cls, 1) or cls(
            id=1, name="Brique", primary_color=DEFAULT_PRIMARY, welcome_text=""
        )
