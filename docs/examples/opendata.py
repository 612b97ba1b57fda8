"""Example of ``register_blueprints`` and ``register_cli_commands``: open data on processes.

``GET /open-data/processes.json`` and ``brique opendata export`` list the
processes anyone may see, for the city's open-data portal.
"""

from __future__ import annotations

import json
from typing import Any

import click
from flask import Blueprint, current_app, jsonify
from flask.cli import with_appcontext
from sqlalchemy import select

from brique.plugin_api import Plugin, Space, can, db, hookimpl

bp = Blueprint("opendata", __name__, url_prefix="/open-data")


def public_processes() -> list[dict[str, Any]]:
    """The processes an anonymous visitor may view, as plain data."""
    spaces = db.session.scalars(select(Space).order_by(Space.slug))
    base_url = current_app.config["BASE_URL"]
    return [
        {"slug": space.slug, "title": space.title, "url": f"{base_url}/processes/{space.slug}/"}
        for space in spaces
        if can(None, "view", space)
    ]


@bp.route("/processes.json")
def processes() -> Any:
    return jsonify(public_processes())


class OpenDataPlugin(Plugin):
    name = "opendata"
    api_version = "1.0"

    @hookimpl
    def register_blueprints(self) -> list[Blueprint]:
        return [bp]

    @hookimpl
    def register_cli_commands(self, cli: click.Group) -> None:
        @cli.group("opendata")
        def opendata() -> None:
            """Open data about the site's processes."""

        @opendata.command("export")
        @click.option("--output", type=click.File("w"), default="-", help="File to write.")
        @with_appcontext
        def export(output: Any) -> None:
            """Write the public processes as JSON."""
            json.dump(public_processes(), output, ensure_ascii=False, indent=2)
