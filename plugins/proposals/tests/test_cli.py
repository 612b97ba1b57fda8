"""``brique proposals``: recount, import-csv and export."""

import csv
import io
import json
from pathlib import Path

import click
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from brique.plugin_api import db
from brique_proposals.cli import proposals_group
from brique_proposals.models import Proposal
from brique_proposals.plugin import ProposalsPlugin
from brique_proposals.supports import support

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def brique(app):
    """``brique("proposals", "recount")``: run a command as ``brique`` would, on the test app."""
    group = click.Group("brique")
    ProposalsPlugin().register_cli_commands(cli=group)
    runner = app.test_cli_runner()

    def run(*args):
        db.session.commit()
        result = runner.invoke(group, list(args))
        db.session.expire_all()
        return result

    return run


def test_the_plugin_adds_one_group_named_after_it():
    group = click.Group("brique")
    ProposalsPlugin().register_cli_commands(cli=group)
    assert group.commands == {"proposals": proposals_group}
    assert sorted(proposals_group.commands) == ["export", "import-csv", "recount"]


def test_every_command_is_documented_on_the_components_page():
    page = (DOCS / "components" / "proposals.rst").read_text(encoding="utf-8")
    assert (
        ".. brique-cli:: brique_proposals.cli:proposals_group\n   :prog: brique proposals" in page
    )
    for name, command in proposals_group.commands.items():
        assert (command.help or "").strip(), f"brique proposals {name} needs a docstring"


def test_recount_repairs_wrong_counts_and_says_how_many(
    brique, make_component, make_proposal, dummy_user
):
    first, second = make_component(), make_component()
    proposal = make_proposal(first)
    support(proposal, dummy_user)
    proposal.supports_count = 5
    make_proposal(second).supports_count = 3
    db.session.commit()
    result = brique("proposals", "recount", str(first.id))
    assert result.exit_code == 0, result.output
    assert f"Component {first.id}: 1 support count(s) and 0 comment count(s) repaired." in (
        result.output
    )
    assert proposal.supports_count == 1
    everything = brique("proposals", "recount")
    assert "1 support count(s) and 0 comment count(s) were wrong in 2 component(s)." in (
        everything.output
    )
    assert brique("proposals", "recount").output.splitlines()[-1].startswith("0 support")


def test_recount_refuses_an_unknown_component(brique):
    result = brique("proposals", "recount", "999")
    assert result.exit_code != 0 and "no proposals component has the id 999" in result.output


def test_import_csv_creates_the_proposals(brique, component, tmp_path):
    path = tmp_path / "proposals.csv"
    path.write_text("title,body\nUn banc,Près de l'école.\nUn arbre,Devant la mairie.\n")
    dry = brique("proposals", "import-csv", str(component.id), str(path), "--dry-run")
    assert dry.exit_code == 0 and "2 proposal(s) would be created." in dry.output
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
    result = brique("proposals", "import-csv", str(component.id), str(path))
    assert result.exit_code == 0, result.output
    assert f"2 proposal(s) imported into component {component.id}." in result.output
    titles = db.session.scalars(select(Proposal.title).order_by(Proposal.id)).all()
    assert titles == ["Un banc", "Un arbre"]


def test_import_csv_with_a_wrong_row_creates_nothing(brique, component, tmp_path):
    path = tmp_path / "proposals.csv"
    path.write_text("title,body\nUn banc,Près de l'école.\n,Sans titre.\n")
    result = brique("proposals", "import-csv", str(component.id), str(path))
    assert result.exit_code == 1
    assert "Line 3: the title is missing" in result.output
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


@pytest.mark.parametrize("format_name", ["csv", "json", "xlsx"])
def test_export_writes_the_proposals_in_each_format(
    brique, component, make_proposal, tmp_path, format_name
):
    make_proposal(component, title="Un banc")
    target = tmp_path / f"out.{format_name}"
    result = brique(
        "proposals", "export", str(component.id), "--format", format_name, "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    content = target.read_bytes()
    if format_name == "csv":
        titles = [row["title"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]
    elif format_name == "json":
        titles = [row["title"] for row in json.loads(content)]
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        titles = [row[1] for row in list(sheet.values)[1:]]
    assert titles == ["Un banc"]


def test_export_to_standard_output(brique, component, make_proposal):
    make_proposal(component, title="Un banc")
    result = brique("proposals", "export", str(component.id), "--format", "json", "-o", "-")
    assert json.loads(result.output)[0]["title"] == "Un banc"
