"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL alike.

When this fails after a model change, regenerate the migrations
(``scripts/regenerate-migrations``) or write one with ``brique db revision``.
"""

import runpy
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from brique import create_app
from brique.db import db
from brique.migrate import alembic_config, downgrade, upgrade
from brique.search import ddl
from brique.search.ddl import outside_models
from tests.fresh_database import fresh_database_url


@pytest.fixture
def fresh_app(tmp_path):
    """An app on an empty database: no ``create_all``, only what migrations create."""
    with fresh_database_url(tmp_path) as url:
        app = create_app(
            {
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "SECRET_KEY": "test",
                "DATABASE_URL": url,
                "TESTING": True,
            }
        )
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


def differences(app):
    """What autogenerate would change; SQLite cannot reflect expression indexes, so skips them."""
    with app.app_context(), db.engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda item, name, type_, *rest: not outside_models(name, type_),
            },
        )
        return compare_metadata(context, db.metadata)


def tables(app):
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrading_a_fresh_database_gives_the_schema_of_the_models(fresh_app):
    upgrade(fresh_app)
    assert differences(fresh_app) == []


def test_upgrading_twice_changes_nothing(fresh_app):
    upgrade(fresh_app)
    upgrade(fresh_app)
    assert differences(fresh_app) == []


def test_each_plugin_branch_starts_from_the_cores_schema(fresh_app):
    script = ScriptDirectory.from_config(alembic_config(fresh_app))
    first = {
        label: revision
        for revision in map(script.get_revision, script.get_bases())
        for label in revision.branch_labels
    }
    assert {"core", "tiny"} <= set(first)
    core_revisions = {
        revision.revision for revision in script.iterate_revisions("core@head", "base")
    }
    for plugin in set(first) - {"core"}:
        needs = first[plugin].dependencies
        needs = {needs} if isinstance(needs, str) else set(needs or ())
        assert needs and needs <= core_revisions, plugin


def test_a_plugins_branch_downgrades_alone_then_the_core(fresh_app):
    upgrade(fresh_app)
    assert "tiny_notes" in tables(fresh_app) and "users" in tables(fresh_app)
    downgrade(fresh_app, "tiny@base")
    assert "tiny_notes" not in tables(fresh_app)
    assert {"users", "spaces", "components"} <= tables(fresh_app)
    downgrade(fresh_app, "base")
    assert tables(fresh_app) == set()


def test_a_downgraded_plugin_upgrades_again(fresh_app):
    upgrade(fresh_app)
    downgrade(fresh_app, "tiny@base")
    upgrade(fresh_app)
    assert differences(fresh_app) == []


AGENDA_MIGRATION = '''"""agenda events"""

import sqlalchemy as sa
from alembic import op

revision = "a9e1da000001"
down_revision = None
branch_labels = ("agenda",)
depends_on = None


def upgrade() -> None:
    op.create_table("agenda_events", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("agenda_events")
'''


def test_a_plugins_migrations_run_from_a_folder_with_spaces_in_its_path(tmp_path):
    from brique.plugins import Plugin

    folder = tmp_path / "Application Support" / "agenda migrations"
    (folder / "versions").mkdir(parents=True)
    (folder / "versions" / "a9e1da000001_agenda_events.py").write_text(AGENDA_MIGRATION)

    class Agenda(Plugin):
        name = "agenda"
        api_version = "1.0"
        migrations_folder = folder

    with fresh_database_url(tmp_path) as url:
        app = create_app(
            {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test", "DATABASE_URL": url},
            plugins=(Agenda,),
        )
        try:
            upgrade(app)
            assert "agenda_events" in tables(app)
        finally:
            with app.app_context():
                db.engine.dispose()


def test_the_search_migration_creates_what_search_creates_under_create_all():
    """The hand-written revision 0002 froze brique.search.ddl's statements: they must agree."""
    path = Path(__file__).resolve().parents[1] / "core/brique/migrations/versions"
    migration = runpy.run_path(str(path / "0002_search_index.py"))
    assert migration["SQLITE"] == ddl.SQLITE_CREATE
    assert migration["POSTGRESQL"] == ddl.POSTGRESQL_CREATE


def test_search_works_on_a_migrated_database(fresh_app):
    upgrade(fresh_app)
    with fresh_app.app_context():
        names = set(inspect(db.engine).get_table_names())
        columns = {column["name"] for column in inspect(db.engine).get_columns("search_documents")}
    if fresh_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert "search_fts" in names
    else:
        assert "search_vector" in columns
