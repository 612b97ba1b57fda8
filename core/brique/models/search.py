"""The search index: one row per searchable thing (a space, a component's resource).

The rows hold what results show (``title``, ``body``) and what matching reads
(``title_terms``, ``body_terms``: accent-folded words and their stems, see
:mod:`brique.search.text`). The full-text structure itself is the database's:
an FTS5 table kept in step by triggers on SQLite, a generated ``tsvector``
column with a GIN index on PostgreSQL (:mod:`brique.search.backends`), created
by DDL events on this table and by the migration.

Whether a row may be shown is not stored: it is read at query time from the
space and component (published, private), so publishing, unpublishing or
making a space private takes effect at once, without re-indexing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from brique.clock import now
from brique.db import Base
from brique.search.ddl import attach

#: ``resource_type`` of the documents describing spaces themselves.
SPACE_DOCUMENT = "space"


class SearchDocument(Base):
    """What search knows of one space or resource."""

    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``"space"`` or a resource type's name (``"proposals.proposal"``).
    resource_type: Mapped[str] = mapped_column(String(80))
    resource_id: Mapped[int]
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    component_id: Mapped[int | None] = mapped_column(
        ForeignKey("components.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    #: Plain text (Markdown rendered then stripped), for snippets.
    body: Mapped[str] = mapped_column(Text, default="")
    title_terms: Mapped[str] = mapped_column(Text, default="")
    body_terms: Mapped[str] = mapped_column(Text, default="")
    #: When the space or resource was created: the date filters and "newest first" read it.
    created_at: Mapped[datetime]
    indexed_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        UniqueConstraint("resource_type", "resource_id"),
        Index("ix_search_documents_created_at", "created_at"),
    )


# The FTS5 table (SQLite) or tsvector column (PostgreSQL) come with the table.
attach(SearchDocument.__table__)
