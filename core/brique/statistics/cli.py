"""``brique statistics``: maintain what statistics count."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("statistics")
def statistics_group() -> None:
    """Maintain the participation statistics count."""


@statistics_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Count every contribution again from the components' content (after an import)."""
    from brique.statistics.participation import rebuild

    count = rebuild()
    click.echo(f"Participation counted again: {count} contributions.")
