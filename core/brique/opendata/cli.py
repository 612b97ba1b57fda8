"""``brique export``: a space's open data from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from brique.db import db
from brique.models import Space


@click.command("export")
@click.argument("space_slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: SPACE_SLUG-open-data.zip in the current folder).",
)
@with_appcontext
def export_command(space_slug: str, output: Path | None) -> None:
    """Write the open data of a public process as a ZIP of CSV and JSON files."""
    from brique.opendata.export import archive_name, is_open, write_archive

    space = db.session.scalar(select(Space).where(Space.slug == space_slug))
    if space is None:
        raise click.ClickException(f"no process has the slug {space_slug!r}")
    if not is_open(space):
        raise click.ClickException(
            f"{space_slug!r} is not public (a draft or a private process): its open data "
            "would disclose what only its members may see; publish it first"
        )
    target = output or Path(archive_name(space))
    # Resource types build their addresses with url_for: the site's public address.
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base_url), target.open("wb") as file:
        write_archive(space, file)
    click.echo(f"Open data of {space_slug!r} written to {target}.")
