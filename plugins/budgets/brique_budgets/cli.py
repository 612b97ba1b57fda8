"""``brique budgets ...``: results from a Pabulib file or a budget, Pabulib import and export.

A city compares rules on its own past data before choosing one:
``brique budgets results Poland_Lodz_2022.pb --rule equal-shares --completion add1``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from brique_budgets.voting import COMPLETIONS, RULES, compute_outcome, read_pabulib

budgets_group = AppGroup("budgets", help="Participatory budgets: results, Pabulib files.")

RULE_OPTION = click.Choice([rule for rule in RULES if rule != "phragmen"] + ["phragmen"])
COMPLETION_OPTION = click.Choice([c for c in COMPLETIONS if c])


class _Progress:
    """A progress bar on the terminal for long counts (only when it is a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int | None) -> None:
        if total is None or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Counting", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@budgets_group.command("results")
@click.argument("source", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--rule", type=RULE_OPTION, default="greedy", show_default=True)
@click.option("--completion", type=COMPLETION_OPTION, default=None, help="Equal Shares only.")
@click.option("--threshold", type=int, default=None, help="Minimum score (greedy-threshold).")
@click.option("--budget", "budget_id", type=int, default=None, help="A budget of the database.")
def results_command(
    source: str | None,
    rule: str,
    completion: str | None,
    threshold: int | None,
    budget_id: int | None,
) -> None:
    """Print the winning project ids, one per line, of a Pabulib file (SOURCE) or of a
    budget of the database (--budget ID), counted by RULE."""
    if (source is None) == (budget_id is None):
        raise click.UsageError("Give a Pabulib file or --budget ID (one of them).")
    if rule == "greedy-threshold" and threshold is None:
        raise click.UsageError("greedy-threshold needs --threshold.")
    if completion and not rule.startswith("equal-shares"):
        raise click.UsageError("--completion applies to equal-shares rules only.")
    if source is not None:
        instance, profile = read_pabulib(source)
    else:
        instance, profile = _budget_votes(budget_id)
    progress = _Progress()
    try:
        outcome = compute_outcome(
            instance, profile, rule, completion=completion, threshold=threshold, progress=progress
        )
    finally:
        progress.close()
    for project_id in outcome.selected:
        click.echo(project_id)


def _budget_votes(budget_id: int) -> tuple[Any, Any]:
    from brique.plugin_api import Component, db
    from brique_budgets.models import Budget
    from brique_budgets.results import collect_votes

    budget = db.session.get(Budget, budget_id)
    if budget is None:
        raise click.BadParameter(f"no budget has the id {budget_id}", param_hint="--budget")
    votes = collect_votes(db.session.get(Component, budget.component_id), budget)
    return votes.instance, votes.profile


@budgets_group.command("export-pabulib")
@click.argument("budget_id", type=int)
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--profile-field",
    "fields",
    multiple=True,
    help="A profile field (its key) to add as a VOTES column; repeat for several.",
)
def export_pabulib_command(budget_id: int, target: str, fields: tuple[str, ...]) -> None:
    """Write budget BUDGET_ID's projects and cast ballots as a Pabulib file (voter ids are
    the receipts' fingerprints)."""
    from brique_budgets.pabulib_io import export_budget

    count = export_budget(budget_id, Path(target), fields)
    click.echo(f"{target}: {count} ballots written.")


@budgets_group.command("import-pabulib")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--space", "space_slug", required=True, help="The process (its slug) to add it to.")
@click.option("--name", default=None, help="The component's name (default: the file's).")
def import_pabulib_command(source: str, space_slug: str, name: str | None) -> None:
    """Import a Pabulib file as a new budgets component of a process: its budget, its
    projects (selected for the vote) and its votes as paper ballots, for simulations,
    training and demonstrations."""
    from brique_budgets.pabulib_io import import_file

    component, count = import_file(Path(source), space_slug, name)
    click.echo(f"Component {component.id} “{component.name}”: {count} ballots imported.")
