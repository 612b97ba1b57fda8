"""Open data: every public process downloadable as a ZIP of CSV and JSON, naming nobody."""

import csv
import io
import json
import zipfile

import pytest

from brique.models import Comment, Moderation
from brique.opendata.cli import export_command
from brique.opendata.tables import OpenDataTable
from brique.testing import FROZEN_AT

# ``notes``, ``add_note`` and ``note_figures_installed`` come from tests/statistics_support.py.
pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config(note_figures_installed):
    """English pages; the docs example plugin counts as installed for ``with_plugins``."""
    return {"DEFAULT_LOCALE": "en", "BASE_URL": "https://participez.example.org"}


def download(client, space):
    response = client.get(f"/processes/{space.slug}/open-data.zip")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def csv_rows(archive, name):
    text = archive.read(name).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_archive_holds_metadata_steps_components_and_a_table_per_resource_type(
    notes, add_note, client
):
    add_note(notes, "Plus de bancs")
    archive = download(client, notes.space)
    folder = f"components/{notes.id}-tiny"
    assert sorted(archive.namelist()) == sorted(
        [
            "README.txt",
            "space.json",
            "steps.json",
            "components.json",
            "statistics.json",
            f"{folder}/tiny.note.csv",
            f"{folder}/tiny.note.json",
        ]
    )
    space = json.loads(archive.read("space.json"))
    assert space["title"] == "Budget participatif"
    assert space["url"] == f"https://participez.example.org/processes/{notes.space.slug}/"
    assert [step["title"] for step in json.loads(archive.read("steps.json"))] == [
        "Step 1",
        "Step 2",
        "Step 3",
    ]
    (component,) = json.loads(archive.read("components.json"))
    assert component["name"] == "Idées" and component["files"] == [
        f"{folder}/tiny.note.csv",
        f"{folder}/tiny.note.json",
    ]


def test_resources_are_in_csv_and_json_with_absolute_addresses(notes, add_note, client):
    note = add_note(notes, 'Des bancs, "confortables"\net ombragés')
    archive = download(client, notes.space)
    folder = f"components/{notes.id}-tiny"
    raw = archive.read(f"{folder}/tiny.note.csv").decode("utf-8")
    assert raw.startswith("id,title,state,url,created_at,fingerprint,comments_count\r\n")
    (row,) = csv_rows(archive, f"{folder}/tiny.note.csv")
    assert row["title"] == 'Des bancs, "confortables"\net ombragés'
    assert row["url"] == (
        f"https://participez.example.org/processes/{notes.space.slug}/c/{notes.id}/notes/{note.id}"
    )
    assert row["created_at"] == "2026-03-01T09:00:00+00:00"
    (item,) = json.loads(archive.read(f"{folder}/tiny.note.json"))
    assert item["id"] == note.id and item["state"] is None and item["comments_count"] == 0


def test_no_participant_is_named_anywhere_in_the_archive(notes, add_note, client, create_user):
    author = create_user("ninon_secret", name="Ninon Dupont")
    note = add_note(notes, "Un kiosque", author=author)
    archive = download(client, notes.space)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    for identity in ("ninon_secret", "ninon_secret@example.org", "Ninon Dupont", "author_id"):
        assert identity not in everything
    assert f'"id": {note.id}' in everything


def test_identity_columns_a_component_would_add_are_dropped(
    notes, add_note, client, monkeypatch, create_user
):
    from brique.resources import resource_type

    rtype_class = type(resource_type("tiny.note"))
    original = rtype_class.export_row
    monkeypatch.setattr(
        rtype_class,
        "export_row",
        lambda self, note: {
            **original(self, note),
            "author_id": note.author_id,
            "author_nickname": "ninon",
            "email": "ninon@example.org",
        },
    )
    add_note(notes, "Un kiosque")
    archive = download(client, notes.space)
    (row,) = csv_rows(archive, f"components/{notes.id}-tiny/tiny.note.csv")
    assert not {"author_id", "author_nickname", "email"} & set(row)


def test_comment_counts_leave_out_deleted_and_hidden_comments(notes, add_note, client, db):
    note = add_note(notes, "Un kiosque")
    for deleted, hidden in ((None, None), (None, None), (FROZEN_AT, None), (None, FROZEN_AT)):
        db.session.add(
            Comment(
                resource_type="tiny.note",
                resource_id=note.id,
                component_id=notes.id,
                space_id=notes.space_id,
                body="Oui",
                deleted_at=deleted,
                hidden_at=hidden,
            )
        )
    db.session.commit()
    (row,) = csv_rows(download(client, notes.space), f"components/{notes.id}-tiny/tiny.note.csv")
    assert row["comments_count"] == "2"


def test_unpublished_components_hidden_and_non_public_resources_are_left_out(
    notes, add_note, client, db, create_component, monkeypatch
):
    from brique.resources import resource_type

    draft = create_component(notes.space, "tiny", published=False)
    add_note(draft, "Pas encore visible")
    shown, hidden, private = (add_note(notes, title) for title in ("Vu", "Masqué", "Brouillon"))
    db.session.add(
        Moderation(
            target_type="tiny.note",
            target_id=hidden.id,
            space_id=notes.space_id,
            hidden_at=FROZEN_AT,
        )
    )
    db.session.commit()
    rtype_class = type(resource_type("tiny.note"))
    monkeypatch.setattr(rtype_class, "is_public", lambda self, note: note.title != "Brouillon")
    archive = download(client, notes.space)
    assert not any(name.startswith(f"components/{draft.id}-") for name in archive.namelist())
    rows = csv_rows(archive, f"components/{notes.id}-tiny/tiny.note.csv")
    assert [row["title"] for row in rows] == ["Vu"]
    assert private.id and shown.id


def test_the_same_content_gives_the_same_archive(notes, add_note, client):
    add_note(notes, "Un kiosque")
    first = client.get(f"/processes/{notes.space.slug}/open-data.zip").data
    assert client.get(f"/processes/{notes.space.slug}/open-data.zip").data == first


@pytest.mark.parametrize("columns", [{"published": False}, {"is_private": True}])
def test_drafts_and_private_processes_have_no_open_data(
    create_space, client, login, db, dummy_user, columns
):
    from brique.models import SpaceRole

    space = create_space("Assemblée", **columns)
    db.session.add(SpaceRole(space=space, user=dummy_user, role="member"))
    db.session.commit()
    for person in (None, dummy_user):
        assert login(person).get(f"/processes/{space.slug}/open-data.zip").status_code == 404


def test_the_process_page_links_to_the_open_data_of_public_processes_only(
    dummy_space, create_space, client, login, admin_user
):
    link = f'href="/processes/{dummy_space.slug}/open-data.zip"'
    assert link in client.get(f"/processes/{dummy_space.slug}/").get_data(as_text=True)
    private = create_space("Assemblée", is_private=True)
    page = login(admin_user).get(f"/processes/{private.slug}/").get_data(as_text=True)
    assert "open-data.zip" not in page


@pytest.mark.with_plugins("tiny", "note_figures")
def test_a_component_adds_its_own_tables_by_hook(notes, add_note, client):
    add_note(notes, "Un kiosque")
    add_note(notes, "Un banc")
    archive = download(client, notes.space)
    rows = csv_rows(archive, f"components/{notes.id}-tiny/notes-per-day.csv")
    assert rows == [{"day": "2026-03-01", "notes": "2"}]
    assert json.loads(archive.read(f"components/{notes.id}-tiny/notes-per-day.json")) == [
        {"day": "2026-03-01", "notes": 2}
    ]


def test_statistics_are_part_of_the_open_data(notes, add_note, client):
    add_note(notes, "Un kiosque")
    figures = json.loads(download(client, notes.space).read("statistics.json"))
    assert {
        "key": "contributions",
        "label": "Contributions",
        "value": 1,
        "component_id": None,
    } in figures


def test_table_names_are_safe_file_names():
    with pytest.raises(ValueError, match="lower-case letters"):
        OpenDataTable("../../etc/passwd", [])


def test_brique_export_writes_the_archive(notes, add_note, app, tmp_path):
    add_note(notes, "Un kiosque")
    target = tmp_path / "export.zip"
    result = app.test_cli_runner().invoke(export_command, [notes.space.slug, "-o", str(target)])
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(target)
    (row,) = csv_rows(archive, f"components/{notes.id}-tiny/tiny.note.csv")
    assert row["url"].startswith("https://participez.example.org/processes/")


def test_brique_export_refuses_private_processes_and_unknown_slugs(app, create_space, tmp_path):
    private = create_space("Assemblée", is_private=True)
    runner = app.test_cli_runner()
    refused = runner.invoke(export_command, [private.slug, "-o", str(tmp_path / "x.zip")])
    assert refused.exit_code != 0 and "not public" in refused.output
    unknown = runner.invoke(export_command, ["nope", "-o", str(tmp_path / "y.zip")])
    assert unknown.exit_code != 0 and "no process" in unknown.output
    assert not (tmp_path / "x.zip").exists()
