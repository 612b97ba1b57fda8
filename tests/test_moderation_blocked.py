"""Blocked people: ``can()`` refuses them every action with the reason of the block, and
what they wrote is hidden everywhere (pages, search, counts, open data) until unblocked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from brique import signals
from brique.comments.queries import comment_counts
from brique.models import SearchDocument, SpaceRole
from brique.moderation import decisions
from brique.permissions import can
from brique.search.indexing import reindex
from brique.testing import FROZEN_AT
from tests.test_comments_support import add_comment, add_note, note_path, open_notes
from tests.test_search import plain, titles

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def notes(dummy_space, create_component):
    return open_notes(create_component, dummy_space)


@pytest.fixture
def troll(create_user):
    return create_user("troll")


@pytest.fixture
def author(create_user):
    return create_user("author")


@pytest.fixture
def note(notes, author):
    return add_note(notes, author, "Plus de bancs")


@pytest.fixture
def trolls_note(notes, troll):
    note = add_note(notes, troll, "Achetez des montres")
    signals.resource_created.send("tiny.note", resource=note, user=None)
    return note


def blocked(db, person, reason="Spam répété."):
    person.blocked_at, person.blocked_reason = FROZEN_AT, reason
    db.session.commit()
    return person


def text_of(response):
    return " ".join(response.get_data(as_text=True).split())


# --- can() refuses every action ----------------------------------------------------------------


def test_a_blocked_person_is_refused_every_action_with_the_reason_of_the_block(
    notes, note, dummy_space, author, troll, db
):
    own = add_comment(note, troll, "Mon avis")
    other = add_comment(note, author, "Un autre avis")
    db.session.add(SpaceRole(space_id=dummy_space.id, user_id=troll.id, role="moderator"))
    blocked(db, troll)
    asked = [
        ("leave_note", notes),
        ("comment", note),
        ("vote_comment", notes),
        ("vote_comment", other),
        ("reply", other),
        ("edit", own),
        ("delete", own),
        ("report", note),
        ("report", other),
        ("report", author),
        ("follow", dummy_space),
        ("follow", note),
        ("follow", author),
        ("moderate", dummy_space),
        ("admin", dummy_space),
        ("enter_admin", None),
    ]
    for action, target in asked:
        decision = can(troll, action, target)
        assert not decision and decision.code == "blocked", action
        assert decision.reason.startswith("Your account is blocked: Spam répété."), action


def test_a_blocked_person_reads_what_anyone_reads_and_no_more(
    notes, dummy_space, create_space, create_component, troll, db
):
    private = create_space("Réservé", is_private=True)
    members_only = open_notes(create_component, private)
    db.session.add(SpaceRole(space_id=private.id, user_id=troll.id, role="member"))
    db.session.commit()
    assert can(troll, "view", members_only)
    blocked(db, troll)
    assert can(troll, "view", notes) and can(troll, "view", dummy_space)
    assert can(troll, "view", members_only).code == "not_found"


def test_unblocking_gives_every_action_back(notes, note, troll, admin_user, db):
    blocked(db, troll)
    assert can(troll, "comment", note).code == "blocked"
    decisions.unblock(troll, admin_user)
    assert can(troll, "comment", note) and can(troll, "leave_note", notes)


def test_nobody_replies_to_or_votes_on_a_blocked_persons_comment(note, troll, dummy_user, db):
    comment = add_comment(note, troll, "Insulte")
    assert can(dummy_user, "reply", comment) and can(dummy_user, "vote_comment", comment)
    blocked(db, troll)
    assert can(dummy_user, "reply", comment).code == "closed"
    assert can(dummy_user, "vote_comment", comment).code == "closed"


def test_the_api_refuses_a_blocked_persons_token_with_the_reason(dummy_space, troll, client, db):
    from tests.test_api_support import api_post, token_for

    secret = token_for(troll)
    blocked(db, troll)
    target = {"target_type": "space", "target_id": dummy_space.id}
    refused = api_post(client, "/follows", secret, target)
    assert refused.status_code == 403 and refused.get_json()["code"] == "blocked"


# --- Hidden on pages ---------------------------------------------------------------------------


def test_the_page_of_a_blocked_persons_note_shows_the_placeholder_not_the_report_link(
    trolls_note, troll, dummy_user, login, db
):
    client = login(dummy_user)
    assert 'action="/report/tiny.note/' in text_of(client.get(note_path(trolls_note)))
    blocked(db, troll)
    page = text_of(client.get(note_path(trolls_note)))
    assert "This content was hidden by moderation." in page
    assert 'action="/report/tiny.note/' not in page


# --- Search --------------------------------------------------------------------------------------


def indexed_notes(db):
    query = select(SearchDocument.resource_id).where(SearchDocument.resource_type == "tiny.note")
    return sorted(db.session.scalars(query))


def test_a_blocked_persons_notes_leave_the_search_until_they_are_unblocked(
    trolls_note, troll, admin_user, client, db
):
    assert plain(titles(client, q="montres")) == ["Achetez des montres"]
    decisions.block(troll, admin_user, "Spam")
    assert indexed_notes(db) == [] and titles(client, q="montres") == []
    decisions.unblock(troll, admin_user)
    assert indexed_notes(db) == [trolls_note.id]
    assert plain(titles(client, q="montres")) == ["Achetez des montres"]


def test_an_updated_note_of_a_blocked_person_stays_out_of_the_index(trolls_note, troll, db):
    blocked(db, troll)
    signals.resource_updated.send("tiny.note", resource=trolls_note, user=None, changes={})
    assert indexed_notes(db) == []


def test_reindexing_leaves_out_what_blocked_people_wrote(trolls_note, note, troll, author, db, app):
    signals.resource_created.send("tiny.note", resource=note, user=None)
    add_comment(note, troll, "Achetez des montres en commentaire")
    blocked(db, troll)
    reindex()
    assert indexed_notes(db) == [note.id]
    comments = select(SearchDocument).where(SearchDocument.resource_type == "comment")
    assert db.session.scalars(comments).all() == []


def test_search_leaves_out_what_a_blocked_person_wrote_even_if_the_index_missed_it(
    trolls_note, troll, client, db
):
    blocked(db, troll)  # directly: no signal, the index still holds the note
    assert indexed_notes(db) == [trolls_note.id]
    assert titles(client, q="montres") == []


# --- Counts and open data ----------------------------------------------------------------------


@pytest.fixture
def discussed(note, author, troll, create_user, db):
    """A note with comments: two shown, one deleted, one hidden, one by the troll."""
    add_comment(note, author, "Oui", alignment=1)
    add_comment(note, create_user("ana"), "Non", alignment=-1)
    add_comment(note, create_user("bea"), "Effacé", deleted_at=FROZEN_AT)
    add_comment(note, create_user("cleo"), "Caché", hidden_at=FROZEN_AT)
    add_comment(note, troll, "Achetez !", alignment=1)
    return note


def test_comment_counts_leave_out_what_a_blocked_person_wrote(discussed, troll, db):
    assert comment_counts("tiny.note", [discussed.id]) == {discussed.id: 3}
    blocked(db, troll)
    assert comment_counts("tiny.note", [discussed.id]) == {discussed.id: 2}


def test_the_thread_counts_what_it_shows_as_comment_counts_do(discussed, troll, client, db):
    blocked(db, troll)
    page = text_of(client.get(note_path(discussed)))
    assert "2 comments" in page
    assert "1 in favour" in page and "1 against" in page
    assert page.count("This contribution is hidden: its author") == 1


def test_open_data_counts_only_the_comments_people_can_read(discussed, troll, db):
    from brique.opendata.export import resource_table
    from brique.resources import resource_type

    blocked(db, troll)
    table = resource_table(resource_type("tiny.note"), discussed.component)
    assert [row["comments_count"] for row in table.rows] == [2]


def test_open_data_leaves_out_the_notes_of_a_blocked_person(trolls_note, note, troll, db):
    from brique.opendata.export import resource_table
    from brique.resources import resource_type

    blocked(db, troll)
    table = resource_table(resource_type("tiny.note"), note.component)
    assert [row["id"] for row in table.rows] == [note.id]
