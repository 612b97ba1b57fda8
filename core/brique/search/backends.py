"""One interface to full-text matching, chosen by the database: SQLite FTS5 or PostgreSQL.

A backend adds to a ``select`` over :class:`~brique.models.SearchDocument` the
condition that every query word matches (its beginning, or its stem), and
gives the expression to order by, best first. Indexing is the same for both:
rows of ``search_documents``, which the database's triggers (SQLite) or
generated column (PostgreSQL) turn into its full-text structure.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Select, cast, column, func, literal, literal_column, table, text
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from brique.models import SearchDocument
from brique.search import ddl
from brique.search.text import light_stem


class SearchBackend:
    """How one database matches and ranks words against ``search_documents``."""

    #: The SQLAlchemy dialect name this backend serves.
    dialect: ClassVar[str] = ""

    def matching(self, statement: Select, words: list[str]) -> tuple[Select, ColumnElement[Any]]:
        """``statement`` keeping documents matching every word, and the rank (ascending)."""
        raise NotImplementedError

    def create_statements(self) -> tuple[str, ...]:
        """The DDL creating this backend's full-text objects (see :mod:`brique.search.ddl`)."""
        return ddl.statements_for(self.dialect)

    def optimize(self, connection: Connection) -> None:
        """Compact the full-text structure after a full re-index (nothing by default)."""


class SqliteBackend(SearchBackend):
    """FTS5 with diacritics removed and the Porter stemmer, plus the light stems of the terms."""

    dialect = "sqlite"
    fts = literal_column(ddl.FTS_TABLE)
    fts_rows = table(ddl.FTS_TABLE, column("rowid"))

    def matching(self, statement: Select, words: list[str]) -> tuple[Select, ColumnElement[Any]]:
        matched = statement.join(self.fts_rows, self.fts_rows.c.rowid == SearchDocument.id).where(
            self.fts.op("MATCH")(self.expression(words))
        )
        # bm25: lower is better; a title match weighs ten body matches.
        return matched, func.bm25(self.fts, 10.0, 1.0)

    @staticmethod
    def expression(words: list[str]) -> str:
        """The FTS5 query: each word as a prefix or as its stem. Words are letters and
        digits only (:func:`brique.search.text.query_words`), so quoting them is safe."""
        return " AND ".join(f'("{word}"* OR "{light_stem(word)}")' for word in words)

    def optimize(self, connection: Connection) -> None:
        connection.execute(
            text(f"INSERT INTO {ddl.FTS_TABLE}({ddl.FTS_TABLE}) VALUES ('optimize')")
        )


class PostgresBackend(SearchBackend):
    """The generated ``tsvector`` column (GIN index) against one ``tsquery`` per word."""

    dialect = "postgresql"
    vector = literal_column(f"search_documents.{ddl.VECTOR_COLUMN}")

    def matching(self, statement: Select, words: list[str]) -> tuple[Select, ColumnElement[Any]]:
        query = self.tsquery(words)
        return statement.where(self.vector.op("@@")(query)), -func.ts_rank(self.vector, query)

    @staticmethod
    def tsquery(words: list[str]) -> ColumnElement[Any]:
        """Every word, each as a prefix, its light stem, or its French or English stem."""
        combined = None
        for word in words:
            either = _or(
                _to_tsquery("simple", f"{word}:*"),
                _to_tsquery("simple", light_stem(word)),
                _to_tsquery("french", word, plain=True),
                _to_tsquery("english", word, plain=True),
            )
            combined = (
                either if combined is None else combined.op("&&", return_type=TSQUERY)(either)
            )
        return combined


def _to_tsquery(config: str, value: str, *, plain: bool = False) -> ColumnElement[Any]:
    function = func.plainto_tsquery if plain else func.to_tsquery
    return function(cast(literal(config), REGCONFIG), literal(value), type_=TSQUERY)


def _or(*queries: ColumnElement[Any]) -> ColumnElement[Any]:
    combined = queries[0]
    for query in queries[1:]:
        combined = combined.op("||", return_type=TSQUERY)(query)
    return combined


BACKENDS: dict[str, type[SearchBackend]] = {
    backend.dialect: backend for backend in (SqliteBackend, PostgresBackend)
}


def backend_for(dialect: str) -> SearchBackend:
    """The backend of the database ``dialect``; other databases are not supported."""
    if dialect not in BACKENDS:
        raise LookupError(f"search supports SQLite and PostgreSQL, not {dialect!r}")
    return BACKENDS[dialect]()
