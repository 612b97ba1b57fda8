"""Full-text search objects the models cannot describe (hand-written).

SQLite: an FTS5 table over search_documents, kept current by triggers.
PostgreSQL: a generated tsvector column (simple + French + English, titles weighted A)
and its GIN index. The same statements as brique.search.ddl, frozen here.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, "
    "content='search_documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
)
_VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}'::regconfig, {column}), '{weight}')"
    for column, weight in (("title_terms", "A"), ("body_terms", "B"))
    for config in ("simple", "french", "english")
)
POSTGRESQL = (
    "ALTER TABLE search_documents ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({_VECTOR}) STORED",
    "CREATE INDEX ix_search_documents_search_vector ON search_documents USING gin (search_vector)",
)


def upgrade() -> None:
    statements = SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_documents_{trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_documents_search_vector")
        op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS search_vector")
