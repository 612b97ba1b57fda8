"""Alembic environment: runs inside the Brique app's context."""

from __future__ import annotations

from typing import Any

from alembic import context

from brique.db import db
from brique.search.ddl import outside_models

config = context.config


def include_object(
    item: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Autogenerate looks only at the tables of the branch being written.

    It leaves alone what search creates beside the models (an FTS5 table, a tsvector
    column): hand-written migrations create those.
    """
    if outside_models(name, type_):
        return False
    if type_ != "table" or name is None:
        return True
    prefixes = config.attributes.get("plugin_prefixes", ())
    branch = config.attributes.get("branch", "core")
    if branch == "core":
        return not name.startswith(prefixes) and name != "alembic_version"
    return name.startswith(f"{branch}_")


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """The core's column types, as a revision refers to them: through ``brique.db`` in the
    core's revisions, through the plugin contract (``brique.plugin_api``) in a plugin's."""
    if type_ != "type" or type(obj).__module__ != "brique.db":
        return False
    module = (
        "brique.db" if config.attributes.get("branch", "core") == "core" else "brique.plugin_api"
    )
    autogen_context.imports.add(f"import {module}")
    return f"{module}.{type(obj).__name__}()"


def run_migrations_online() -> None:
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            include_object=include_object,
            render_item=render_item,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
