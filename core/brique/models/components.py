"""Components (instances of installed component types) and links between resources."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from brique.clock import now
from brique.db import Base

if TYPE_CHECKING:
    from brique.models.spaces import Space


class Component(Base):
    """A component type switched on in a space, with its settings and permissions.

    ``step_settings`` maps a step id (as a string) to that step's settings;
    ``default_step_settings`` apply when the space has no steps.
    ``permissions`` maps an action to its requirements:
    ``{"vote": {"handlers": {"residency": {"postal_codes": ["45400"]}},
    "profile_fields": ["age_band"]}}``.
    """

    __tablename__ = "components"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None]
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    default_step_settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    step_settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    permissions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)

    space: Mapped[Space] = relationship(back_populates="components")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Component {self.id} {self.type}>"


class ResourceLink(Base):
    """A named, directed link between two resources of any registered resource types."""

    __tablename__ = "resource_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_type: Mapped[str] = mapped_column(String(80))
    from_id: Mapped[int]
    to_type: Mapped[str] = mapped_column(String(80))
    to_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (UniqueConstraint("from_type", "from_id", "to_type", "to_id", "name"),)
