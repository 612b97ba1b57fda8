"""Notes left by participants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from brique.plugin_api import Base, Component


class Note(Base):
    __tablename__ = "tiny_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(140))
    created_at: Mapped[datetime]

    component: Mapped[Component] = relationship()

    # One note per participant per component, enforced by the database.
    __table_args__ = (UniqueConstraint("component_id", "author_id"),)
