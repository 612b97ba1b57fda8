"""Attachments: checked by content, stored in the instance folder, downloaded safely, and
removed with their proposal."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from brique.plugin_api import db as database
from brique.plugin_api import document_kind
from brique_proposals.attachments import Upload, download_name, store
from brique_proposals.models import MAX_ATTACHMENTS, Attachment, Proposal

BODY = "A few benches under the plane trees, near the playground."
PDF_TYPE = "application/pdf"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def archive(entries, first_stored=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for position, (name, content) in enumerate(entries):
            stored = first_stored and position == 0
            zipped.writestr(name, content, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


ODT = archive(
    [("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office/>")],
    first_stored=True,
)
DOCX = archive([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")])


@pytest.fixture
def app_config():
    """Pages in English, whatever the participants' language, so that tests read them."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def component(make_component):
    return make_component(settings={"attachments": True, "attachment_max_mb": 1})


def url(component, path=""):
    return f"/processes/{component.space.slug}/c/{component.id}{path}"


def write(client, component, content, filename, **fields):
    data = {"title": "A bench in the park", "body": BODY, **fields}
    data["attachment"] = (io.BytesIO(content), filename)
    return client.post(url(component, "/new"), data=data, content_type="multipart/form-data")


def stored_files(app):
    folder = Path(app.instance_path) / "attachments" / "proposals"
    return sorted(folder.iterdir()) if folder.exists() else []


def only_proposal(db):
    return db.session.scalars(select(Proposal)).one()


# --- What is accepted ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, ("pdf", "application/pdf")),
        (PNG, ("png", "image/png")),
        (JPEG, ("jpg", "image/jpeg")),
        (ODT, ("odt", "application/vnd.oasis.opendocument.text")),
        (
            DOCX,
            ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ),
        (b"plain text pretending", None),
        (archive([("readme.txt", "hello")]), None),
        (archive([("mimetype", "application/zip")], first_stored=True), None),
        (b"PK\x03\x04 broken archive", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
    ],
)
def test_document_kind_reads_the_content(content, expected):
    assert document_kind(content) == expected


def test_a_file_is_attached_stored_in_the_instance_folder_and_downloaded_as_a_file(
    app, db, component, dummy_user, login, client
):
    login(dummy_user)
    assert write(client, component, PDF, "Plan du quartier.pdf").status_code == 302
    proposal = only_proposal(db)
    (attachment,) = proposal.attachments
    assert (attachment.filename, attachment.content_type) == ("Plan du quartier.pdf", PDF_TYPE)
    assert attachment.size == len(PDF)
    (path,) = stored_files(app)
    assert path.read_bytes() == PDF and path.suffix == ".pdf"
    response = client.get(url(component, f"/{proposal.id}/attachments/{attachment.id}"))
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="Plan du quartier.pdf"' in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_is_judged_by_its_content_not_its_name(
    app, db, component, dummy_user, login, client
):
    login(dummy_user)
    refused = write(client, component, b"#!/bin/sh\necho hello\n", "script.pdf")
    assert refused.status_code == 422
    assert "Choose a PDF, JPEG, PNG, ODT or DOCX file." in refused.text
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
    assert stored_files(app) == []
    write(client, component, PNG, "photo.pdf")
    (attachment,) = only_proposal(db).attachments
    assert (attachment.filename, attachment.content_type) == ("photo.png", "image/png")


def test_a_file_over_the_size_setting_is_refused(app, db, component, dummy_user, login, client):
    login(dummy_user)
    too_large = PDF + b"0" * (1024 * 1024)
    response = write(client, component, too_large, "big.pdf")
    assert response.status_code == 422 and "The file is too large: at most 1 MB." in response.text
    assert stored_files(app) == []


@pytest.mark.parametrize(
    "app_config", [{"LOCALES": ["en"], "DEFAULT_LOCALE": "en", "UPLOAD_MAX_BYTES": 1024}]
)
def test_files_may_be_as_large_as_the_component_allows_whatever_the_sites_upload_limit(
    app, db, component, dummy_user, login, client
):
    login(dummy_user)
    content = PDF + b"0" * (512 * 1024)
    assert write(client, component, content, "plan.pdf").status_code == 302
    assert only_proposal(db).attachments[0].size == len(content)


def test_other_form_errors_keep_the_file_out_too(app, db, component, dummy_user, login, client):
    login(dummy_user)
    response = write(client, component, PDF, "plan.pdf", title="")
    assert (
        response.status_code == 422
        and "If you had chosen a file, choose it again." in response.text
    )
    assert stored_files(app) == []


def test_without_the_setting_no_file_is_taken(app, db, make_component, dummy_user, login, client):
    component = make_component()
    login(dummy_user)
    assert 'type="file"' not in client.get(url(component, "/new")).text
    assert write(client, component, PDF, "plan.pdf").status_code == 302
    assert only_proposal(db).attachments == [] and stored_files(app) == []


def test_a_proposal_holds_a_limited_number_of_files(app, db, component, dummy_user, login, client):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    proposal = only_proposal(db)
    edit = url(component, f"/{proposal.id}/edit")
    form = {"title": "A bench in the park", "body": BODY}
    for n in range(MAX_ATTACHMENTS - 1):
        data = {**form, "attachment": (io.BytesIO(PDF), f"plan{n}.pdf")}
        assert client.post(edit, data=data, content_type="multipart/form-data").status_code == 302
    data = {**form, "attachment": (io.BytesIO(PDF), "one-more.pdf")}
    refused = client.post(edit, data=data, content_type="multipart/form-data")
    assert refused.status_code == 422 and "files at most" in refused.text
    assert len(stored_files(app)) == MAX_ATTACHMENTS


def test_names_out_of_ascii_are_given_as_rfc_5987_names(db, component, dummy_user, login, client):
    login(dummy_user)
    write(client, component, PDF, "Été.pdf")
    proposal = only_proposal(db)
    response = client.get(
        url(component, f"/{proposal.id}/attachments/{proposal.attachments[0].id}")
    )
    assert "filename*=UTF-8''%C3%89t%C3%A9.pdf" in response.headers["Content-Disposition"]


def test_download_names_keep_no_folder_nor_control_character():
    assert download_name("C:\\Users\\ana\\plan.exe", "pdf") == "plan.pdf"
    assert download_name("../../etc/passwd", "png") == "passwd.png"
    assert download_name("re\u202eport\n.pdf", "pdf") == "report.pdf"
    assert download_name("", "jpg").endswith(".jpg")


# --- Who reads them ------------------------------------------------------------------------


def test_the_files_of_a_draft_are_for_its_authors_only(
    db, component, dummy_user, create_user, login, client
):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    proposal = only_proposal(db)
    path = url(component, f"/{proposal.id}/attachments/{proposal.attachments[0].id}")
    assert client.get(path).status_code == 200
    login(create_user())
    assert client.get(path).status_code == 404
    login(None)
    assert client.get(path).status_code == 404


def test_a_published_proposals_files_are_public(
    db, component, dummy_user, create_user, login, client
):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    proposal = only_proposal(db)
    client.post(url(component, f"/{proposal.id}/publish"))
    login(None)
    path = url(component, f"/{proposal.id}/attachments/{proposal.attachments[0].id}")
    assert client.get(path).data == PDF
    other = url(component, f"/{proposal.id + 1}/attachments/{proposal.attachments[0].id}")
    assert client.get(other).status_code == 404


# --- Removing them -------------------------------------------------------------------------


def test_an_author_removes_a_file_during_the_edit_window(
    app, db, component, dummy_user, create_user, login, client
):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    proposal = only_proposal(db)
    remove = url(component, f"/{proposal.id}/attachments/{proposal.attachments[0].id}/remove")
    login(create_user())
    assert client.post(remove).status_code == 404  # a draft: nobody else sees it
    login(dummy_user)
    assert "Remove" in client.get(url(component, f"/{proposal.id}/edit")).text
    assert client.post(remove).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert stored_files(app) == []


def test_deleting_a_draft_deletes_its_files(app, db, component, dummy_user, login, client):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    proposal = only_proposal(db)
    assert len(stored_files(app)) == 1
    client.post(url(component, f"/{proposal.id}/delete"))
    assert stored_files(app) == []


def test_removing_the_component_deletes_its_files(
    app, db, component, dummy_user, admin_user, login, client
):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    login(admin_user)
    path = f"/admin/processes/{component.space.slug}/components/{component.id}/remove"
    assert client.post(path).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert stored_files(app) == []


def test_a_file_written_in_a_transaction_that_rolls_back_is_removed(app, db, component, dummy_user):
    proposal = Proposal(component_id=component.id, author_id=dummy_user.id, title="T", body=BODY)
    database.session.add(proposal)
    database.session.flush()
    store(proposal, Upload(PDF, "pdf", "application/pdf", "plan.pdf"))
    assert len(stored_files(app)) == 1
    database.session.rollback()
    assert stored_files(app) == []
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_committed_file_stays_when_a_later_transaction_rolls_back(app, db, component, dummy_user):
    proposal = Proposal(component_id=component.id, author_id=dummy_user.id, title="T", body=BODY)
    database.session.add(proposal)
    database.session.flush()
    store(proposal, Upload(PDF, "pdf", "application/pdf", "plan.pdf"))
    database.session.commit()
    proposal.title = "Changed"
    database.session.rollback()
    assert len(stored_files(app)) == 1


def test_removing_a_file_frees_its_place(app, db, component, dummy_user, login, client):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    proposal = only_proposal(db)
    attachment = proposal.attachments[0]
    client.post(url(component, f"/{proposal.id}/attachments/{attachment.id}/remove"))
    db.session.expire_all()
    assert proposal.attachments == [] and proposal.attachments_count == 0


def test_a_file_is_refused_when_a_parallel_request_took_the_last_place(
    app, db, component, dummy_user, login, client
):
    login(dummy_user)
    write(client, component, PDF, "plan.pdf")
    proposal = only_proposal(db)
    # As if other requests had attached files since this one's form was read.
    proposal.attachments_count = MAX_ATTACHMENTS
    db.session.commit()
    with app.test_request_context():
        assert store(proposal, Upload(PDF, "pdf", "application/pdf", "late.pdf")) is None
    db.session.rollback()
    db.session.expire_all()
    assert proposal.attachments_count == MAX_ATTACHMENTS and len(proposal.attachments) == 1
