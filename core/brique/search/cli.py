"""``brique search``: maintain the search index."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("search")
def search_group() -> None:
    """Maintain the search index."""


@search_group.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from every space and searchable resource."""
    from brique.search.indexing import reindex

    count = reindex()
    click.echo(f"Search index rebuilt: {count} documents.")
