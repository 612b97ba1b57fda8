"""The moderators' queue names what a reported comment is on, and every decision is
written in the action log in the same transaction as the decision itself."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from brique.models import ActionLogEntry, Comment, Moderation, Report, SpaceRole, User
from brique.moderation import decisions, reporting
from brique.moderation.targets import resolve
from tests.test_comments_support import add_comment, add_note, note_path, open_notes

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def notes(dummy_space, create_component):
    return open_notes(create_component, dummy_space)


@pytest.fixture
def author(create_user):
    return create_user("author")


@pytest.fixture
def moderator(dummy_space, create_user, db):
    person = create_user("moderator")
    db.session.add(SpaceRole(space_id=dummy_space.id, user_id=person.id, role="moderator"))
    db.session.commit()
    return person


@pytest.fixture
def reporter(create_user):
    return create_user("reporter")


def reported_comment(note, author, reporter, body="Insultant"):
    comment = add_comment(note, author, body)
    reporting.report(reporter, resolve("comment", comment.id), "offensive")
    return comment


def text_of(response):
    return " ".join(response.get_data(as_text=True).split())


def queue(client, space):
    page = client.get(f"/admin/processes/{space.slug}/moderation/")
    assert page.status_code == 200
    return page.get_data(as_text=True)


# --- What a reported comment is on --------------------------------------------------------------


def test_a_reported_comment_names_the_note_it_is_on_with_a_link(
    notes, author, reporter, moderator, dummy_space, login
):
    note = add_note(notes, author, "Plus de bancs au parc")
    reported_comment(note, author, reporter)
    html = queue(login(moderator), dummy_space)
    assert f'Comment on <a href="{note_path(note)}">Plus de bancs au parc</a>' in html


def test_reported_notes_need_no_context(notes, author, reporter, moderator, dummy_space, login):
    note = add_note(notes, author, "Plus de bancs au parc")
    reporting.report(reporter, resolve("tiny.note", note.id), "spam")
    assert "Comment on" not in queue(login(moderator), dummy_space)


def test_the_queue_of_comments_takes_the_same_queries_for_1_and_30_items(
    notes, author, create_user, moderator, dummy_space, login, count_queries
):
    def comments_on_new_notes(count):
        for number in range(count):
            note = add_note(notes, create_user(), f"Note {number}")
            reported_comment(note, author, create_user())

    def queue_queries():
        client = login(moderator)
        queue(client, dummy_space)  # warm up what is read once per process
        with count_queries() as queries:
            html = queue(client, dummy_space)
        return len(queries), html.count("Comment on <a")

    comments_on_new_notes(1)
    one, shown = queue_queries()
    comments_on_new_notes(29)
    many, shown_many = queue_queries()
    assert (shown, shown_many) == (1, 30)
    assert one == many


# --- Each decision and its log entry: both or neither -------------------------------------------


@pytest.fixture
def moderation(notes, author, reporter, db):
    comment = reported_comment(add_note(notes, author), author, reporter)
    return db.session.scalar(select(Moderation).filter_by(target_id=comment.id))


def entries(db):
    return list(db.session.scalars(select(ActionLogEntry.verb).order_by(ActionLogEntry.id)))


@pytest.mark.parametrize(
    ("decision", "verb"),
    [
        (decisions.hide, "moderation.hide"),
        (decisions.dismiss, "moderation.dismiss"),
    ],
)
def test_a_decision_and_its_log_entry_are_committed_together(
    moderation, moderator, db, decision, verb
):
    assert decision(moderation, moderator)
    db.session.expire_all()
    assert entries(db)[-1] == verb


def failing_log(*args, **kwargs):
    raise RuntimeError("the log is unavailable")


def state(db, moderation):
    db.session.expire_all()
    found = db.session.get(Moderation, moderation.id)
    comment = db.session.get(Comment, moderation.target_id)
    reports = db.session.scalar(select(func.count()).select_from(Report))
    return found.hidden_at, found.decision, found.report_count, comment.hidden_at, reports


@pytest.mark.parametrize("name", ["hide", "unhide", "dismiss"])
def test_a_decision_that_cannot_be_logged_changes_nothing(
    moderation, moderator, db, monkeypatch, name
):
    if name == "unhide":
        decisions.hide(moderation, moderator)
    before, logged = state(db, moderation), entries(db)
    monkeypatch.setattr(decisions, "log_action", failing_log)
    with pytest.raises(RuntimeError):
        getattr(decisions, name)(moderation, moderator)
    assert state(db, moderation) == before
    assert entries(db) == logged


def test_a_block_that_cannot_be_logged_changes_nothing(
    author, admin_user, db, monkeypatch, moderation
):
    monkeypatch.setattr(decisions, "log_action", failing_log)
    with pytest.raises(RuntimeError):
        decisions.block(author, admin_user, "Insultes.")
    db.session.expire_all()
    assert db.session.get(User, author.id).blocked_at is None
    assert "user.block" not in entries(db)


def test_an_unblock_that_cannot_be_logged_changes_nothing(author, admin_user, db, monkeypatch):
    decisions.block(author, admin_user, "Insultes.")
    monkeypatch.setattr(decisions, "log_action", failing_log)
    with pytest.raises(RuntimeError):
        decisions.unblock(author, admin_user)
    db.session.expire_all()
    assert db.session.get(User, author.id).blocked_at is not None
    assert entries(db)[-1] == "user.block"


def test_a_report_that_cannot_be_logged_is_not_kept(notes, author, reporter, db, monkeypatch):
    note = add_note(notes, author)
    monkeypatch.setattr(reporting, "log_action", failing_log)
    with pytest.raises(RuntimeError):
        reporting.report(reporter, resolve("tiny.note", note.id), "spam")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0
    assert db.session.scalar(select(func.count()).select_from(Moderation)) == 0
