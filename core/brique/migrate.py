"""Alembic, driven from the app: the core's migrations plus one branch per enabled plugin."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask

CORE_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(app: Flask) -> Config:
    config = Config()
    config.set_main_option("script_location", str(CORE_MIGRATIONS))
    locations = [str(CORE_MIGRATIONS / "versions")]
    for plugin in app.extensions["brique"].enabled_plugins():
        if plugin.migrations_folder is not None:
            locations.append(str(Path(plugin.migrations_folder) / "versions"))
    # os.pathsep, not spaces: folders such as "Application Support" hold spaces.
    config.set_main_option("version_locations", os.pathsep.join(locations))
    config.set_main_option("path_separator", "os")
    config.attributes["plugin_prefixes"] = tuple(
        f"{plugin.name}_" for plugin in app.extensions["brique"].enabled_plugins()
    )
    return config


def upgrade(app: Flask, target: str = "heads") -> None:
    with app.app_context():
        command.upgrade(alembic_config(app), target)


def downgrade(app: Flask, target: str) -> None:
    with app.app_context():
        command.downgrade(alembic_config(app), target)


def revision(app: Flask, message: str, branch: str = "core", rev_id: str | None = None) -> None:
    """Autogenerate a migration for the core (``branch="core"``) or one plugin.

    A plugin's first migration starts its branch (labelled with its name) and
    depends on the core's current head.
    """
    config = alembic_config(app)
    config.attributes["branch"] = branch
    folder = CORE_MIGRATIONS
    if branch != "core":
        plugins = {p.name: p for p in app.extensions["brique"].enabled_plugins()}
        if branch not in plugins or plugins[branch].migrations_folder is None:
            raise ValueError(f"{branch!r} is not an enabled plugin with a migrations_folder")
        folder = Path(plugins[branch].migrations_folder)
    script = ScriptDirectory.from_config(config)
    options: dict[str, object] = {"head": f"{branch}@head"}
    if not _branch_exists(script, branch):
        options = {"head": "base", "branch_label": branch}
        if branch != "core":
            options["depends_on"] = _core_head(script)
    with app.app_context():
        command.revision(
            config,
            message,
            autogenerate=True,
            version_path=str(folder / "versions"),
            rev_id=rev_id,
            **options,
        )


def _branch_exists(script: ScriptDirectory, branch: str) -> bool:
    return any(branch in (revision.branch_labels or ()) for revision in script.walk_revisions())


def _core_head(script: ScriptDirectory) -> str:
    return script.get_revision("core@head").revision
