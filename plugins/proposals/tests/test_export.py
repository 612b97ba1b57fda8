"""Exports of proposals for staff (CSV, JSON, XLSX) and the process's open data: supports,
states and answers, never anyone's identity."""

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from brique.plugin_api import Category, db
from brique_proposals.merging import ProposalDraft, merge, split
from brique_proposals.supports import support

IDENTITY = ("author", "email", "nickname", "origin_note", "user")


@pytest.fixture
def app_config():
    return {"BASE_URL": "https://participez.example.org"}


@pytest.fixture
def proposals(component, make_proposal, create_user):
    author = create_user("ana", email="ana.secret@example.org")
    category = Category(space_id=component.space_id, name="Mobilité")
    db.session.add(category)
    db.session.commit()
    bench = make_proposal(
        component,
        author,
        title='=HYPERLINK("http://evil")',
        category_id=category.id,
        origin_note="Chez Ana Dupont",
        answer_state="accepted",
        answer_text="Bonne idée.",
        answer_published=True,
        cost=1200,
    )
    held = make_proposal(component, title="Un arbre", answer_state="rejected", answer_text="Non.")
    make_proposal(component, author, title="Brouillon", status="draft")
    support(bench, create_user())
    support(bench, create_user())
    db.session.commit()
    return bench, held


def staff_download(client, login, admin_user, component, format_name):
    login(admin_user)
    response = client.get(f"/admin/components/{component.id}/export.{format_name}")
    assert response.status_code == 200
    return response


def assert_names_nobody(text):
    for secret in ("ana", "Ana Dupont", "ana.secret@"):
        assert secret not in text
    return text


def test_staff_csv_export_has_supports_states_and_answers_and_names_nobody(
    client, login, admin_user, component, proposals
):
    response = staff_download(client, login, admin_user, component, "csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = assert_names_nobody(response.data.decode("utf-8-sig"))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["id"] for row in rows] == [str(p.id) for p in proposals]  # no draft
    bench, held = rows
    assert (bench["supports"], bench["state"], bench["answer"], bench["cost"]) == (
        "2",
        "accepted",
        "Bonne idée.",
        "1200",
    )
    assert bench["category"] == "Mobilité" and bench["title"].startswith("'=")
    assert (held["answer_state"], held["answer_published"], held["state"]) == (
        "rejected",
        "False",
        "published",
    )
    assert not any(column.startswith(IDENTITY) for column in rows[0])


def test_staff_json_export_holds_the_same_rows(client, login, admin_user, component, proposals):
    response = staff_download(client, login, admin_user, component, "json")
    rows = json.loads(assert_names_nobody(response.get_data(as_text=True)))
    assert [(row["title"], row["supports"]) for row in rows] == [
        ('=HYPERLINK("http://evil")', 2),
        ("Un arbre", 0),
    ]
    assert rows[0]["url"] == (
        f"https://participez.example.org/processes/{component.space.slug}"
        f"/c/{component.id}/{proposals[0].id}"
    )


def test_staff_xlsx_export_keeps_text_as_text(client, login, admin_user, component, proposals):
    response = staff_download(client, login, admin_user, component, "xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, first, _second = list(sheet.values)
    row = dict(zip(header, first, strict=True))
    assert row["title"] == '=HYPERLINK("http://evil")' and row["supports"] == 2
    assert sheet.cell(2, header.index("title") + 1).data_type == "s"


def test_exports_are_for_the_components_admins_only(client, login, component, dummy_user):
    login(dummy_user)
    assert client.get(f"/admin/components/{component.id}/export.csv").status_code in (403, 404)
    assert client.get(f"/admin/components/{component.id}/export.pdf").status_code == 404


# --- Open data ------------------------------------------------------------------------------


def open_data(client, component):
    response = client.get(f"/processes/{component.space.slug}/open-data.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    folder = f"components/{component.id}-proposals"
    return {
        name.removeprefix(folder + "/"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.startswith(folder) and name.endswith(".json")
    }, b"".join(archive.read(name) for name in archive.namelist())


def test_open_data_holds_proposals_with_supports_and_published_answers_only(
    client, component, proposals
):
    tables, raw = open_data(client, component)
    assert sorted(tables) == [
        "proposals.answers.json",
        "proposals.merges.json",
        "proposals.proposal.json",
    ]
    bench, held = tables["proposals.proposal.json"]
    assert (bench["supports"], bench["category"], bench["state"]) == (2, "Mobilité", "accepted")
    assert held["state"] == "published"
    (answer,) = tables["proposals.answers.json"]
    assert (answer["proposal_id"], answer["answer"], answer["cost"]) == (
        proposals[0].id,
        "Bonne idée.",
        1200,
    )
    assert_names_nobody(raw.decode("utf-8"))
    assert b"Non." not in raw and b"Brouillon" not in raw


def test_open_data_hides_support_counts_when_the_step_does(make_component, make_proposal, client):
    component = make_component(step={"supports_hidden": True})
    make_proposal(component)
    tables, _raw = open_data(client, component)
    assert tables["proposals.proposal.json"][0]["supports"] is None


def test_open_data_tells_which_proposals_were_merged_or_split(
    client, component, make_proposal, admin_user
):
    first, second, third = (make_proposal(component, title=f"P{n}") for n in range(3))
    draft = ProposalDraft(title="Fusion", body="Les deux ensemble, enfin réunies.")
    merged = merge(component, [first.id, second.id], admin_user, draft)
    parts = split(component, third.id, admin_user, [draft, draft])
    db.session.commit()
    tables, _raw = open_data(client, component)
    links = {
        (row["proposal_id"], row["link"], row["other_id"])
        for row in tables["proposals.merges.json"]
    }
    assert links == {
        (first.id, "merged_into", merged.id),
        (second.id, "merged_into", merged.id),
        (third.id, "split_into", parts[0].id),
        (third.id, "split_into", parts[1].id),
    }
