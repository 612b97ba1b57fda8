"""The database objects full-text search needs beyond the ``search_documents`` table.

The models cannot describe them (an FTS5 virtual table and its triggers on
SQLite; a generated ``tsvector`` column and its GIN index on PostgreSQL), so
they are created by DDL events when ``create_all`` creates the table, and by
the same statements in the core's migration. Autogenerate must leave them
alone: see :func:`outside_models`.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

FTS_TABLE = "search_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_search_documents_search_vector"

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title_terms, body_terms, "
    "content='search_documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    f"CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    f"CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    f"INSERT INTO {FTS_TABLE}(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)

#: French and English stemming plus the words as they are ('simple'); titles weigh more.
_VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}'::regconfig, {column}), '{weight}')"
    for column, weight in (("title_terms", "A"), ("body_terms", "B"))
    for config in ("simple", "french", "english")
)
POSTGRESQL_CREATE = (
    f"ALTER TABLE search_documents ADD COLUMN {VECTOR_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({_VECTOR}) STORED",
    f"CREATE INDEX {VECTOR_INDEX} ON search_documents USING gin ({VECTOR_COLUMN})",
)
POSTGRESQL_DROP = (f"DROP INDEX IF EXISTS {VECTOR_INDEX}",)

CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}


def attach(table: Table) -> None:
    """Create the full-text objects with ``table``, and drop the FTS table before it."""
    for statement in SQLITE_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))


def outside_models(name: str | None, type_: str) -> bool:
    """Whether autogenerate should skip this reflected object: search's own DDL made it.

    For Alembic's ``include_object``: ``return not outside_models(name, type_)``.
    """
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    return (type_, name) in {("column", VECTOR_COLUMN), ("index", VECTOR_INDEX)}


def statements_for(dialect: str) -> tuple[str, ...]:
    """The statements creating search's objects on ``dialect`` (for migrations and repairs)."""
    return CREATE.get(dialect, ())
