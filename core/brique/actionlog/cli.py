"""``brique audit``: check the action log's hash chain."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from brique.actionlog.chain import verify_chain

PROBLEMS = {
    "changed": "entry #{position} was changed after it was written",
    "missing": "entry #{position} is missing: it was deleted",
    "truncated": "the entries from #{position} on were deleted",
}


@click.group("audit")
def audit_group() -> None:
    """Check the integrity of the action log."""


@audit_group.command("verify")
@click.option("--batch", default=1000, show_default=True, help="Entries read per query.")
@with_appcontext
def verify_command(batch: int) -> None:
    """Recompute the action log's hash chain and report the first changed or deleted entry.

    Exits with status 1 when the chain is broken. Keep the last hash it prints somewhere
    else (a register, an e-mail): anyone can later check the log still leads to it.
    """
    result = verify_chain(batch)
    if result.problem is not None:
        message = PROBLEMS[result.problem].format(position=result.position)
        click.echo(f"Action log broken: {message}.", err=True)
        click.echo(f"The {result.checked} entries before it are intact.", err=True)
        sys.exit(1)
    click.echo(f"Action log intact: {result.checked} entries. Last hash: {result.last_hash}")
