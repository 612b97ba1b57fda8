"""``brique proposals ...``: repair support counts, import a CSV file, export proposals."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from brique.plugin_api import Component, db

FORMAT_NAMES = ("csv", "json", "xlsx")


@click.group("proposals")
def proposals_group() -> None:
    """Commands of the proposals component."""


def proposals_component(component_id: int) -> Component:
    component = db.session.get(Component, component_id)
    if component is None or component.type != "proposals":
        raise click.ClickException(f"no proposals component has the id {component_id}")
    return component


@proposals_group.command("recount")
@click.argument("component_id", type=int, required=False, default=None)
@with_appcontext
def recount_command(component_id: int | None) -> None:
    """Set every proposal's support and comment counts from the supports and comments, and
    say how many were wrong.

    Without COMPONENT_ID, every proposals component is checked.
    """
    from brique_proposals.comment_counts import recount_comments
    from brique_proposals.supports import recount

    if component_id is not None:
        ids = [proposals_component(component_id).id]
    else:
        ids = list(
            db.session.scalars(
                select(Component.id).where(Component.type == "proposals").order_by(Component.id)
            )
        )
    total = comments = 0
    for checked in ids:
        wrong, wrong_comments = recount(checked), recount_comments(checked)
        db.session.commit()
        total, comments = total + wrong, comments + wrong_comments
        click.echo(
            f"Component {checked}: {wrong} support count(s) and "
            f"{wrong_comments} comment count(s) repaired."
        )
    click.echo(
        f"{total} support count(s) and {comments} comment count(s) were wrong "
        f"in {len(ids)} component(s)."
    )


@proposals_group.command("import-csv")
@click.argument("component_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and list what would be created.")
@with_appcontext
def import_csv_command(component_id: int, file: Path, dry_run: bool) -> None:
    """Create published proposals from a CSV file (columns: title, body, category, scope,
    origin, origin_note, author_email); a file with any wrong row creates nothing."""
    from brique_proposals.imports import create_from_plan, plan_csv
    from brique_proposals.merging import announce

    component = proposals_component(component_id)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        plan = plan_csv(component, file.read_bytes())
        for message in plan.errors:
            click.echo(message, err=True)
        if plan.errors:
            raise click.ClickException("nothing was imported: correct the file first")
        if dry_run:
            for item in plan.items:
                click.echo(f"Line {item.line}: {item.title}")
            click.echo(f"{len(plan.items)} proposal(s) would be created.")
            return
        created = create_from_plan(component, plan, None)
        db.session.commit()
        announce(created=created)
    click.echo(f"{len(created)} proposal(s) imported into component {component_id}.")


@proposals_group.command("export")
@click.argument("component_id", type=int)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMAT_NAMES),
    default="csv",
    show_default=True,
    help="File format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: proposals-COMPONENT_ID.FORMAT; '-' for standard output).",
)
@with_appcontext
def export_command(component_id: int, format_name: str, output: Path | None) -> None:
    """Export the proposals with their supports, states and answers, naming nobody."""
    from brique_proposals.exports import export_file

    component = proposals_component(component_id)
    # Proposals' addresses are made with url_for: the site's public address.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        content, _mimetype, filename = export_file(component, format_name)
    if str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    target = output or Path(filename)
    target.write_bytes(content)
    click.echo(f"Proposals of component {component_id} written to {target}.")
