"""Search finds comments by their words, as long as people can read them on the site."""

import pytest
from sqlalchemy import select

from brique import signals
from brique.models import Comment, SearchDocument
from brique.moderation import decisions
from brique.search.cli import search_group
from tests.test_comments_support import add_note, open_notes, post_comment
from tests.test_search import plain, titles

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def note(dummy_space, create_component, create_user):
    return add_note(open_notes(create_component, dummy_space), create_user("autrice"))


@pytest.fixture
def commenter(create_user):
    return create_user("ana")


def newest(db):
    return db.session.scalars(select(Comment).order_by(Comment.id.desc()).limit(1)).one()


def indexed_comments(db):
    query = select(SearchDocument.resource_id).where(SearchDocument.resource_type == "comment")
    return sorted(db.session.scalars(query))


def test_a_comment_is_found_by_its_words_and_links_to_itself(note, commenter, login, db):
    client = login(commenter)
    post_comment(client, note, "Pensez aux **arbres** fruitiers")
    comment = newest(db)
    html = client.get("/search", query_string={"q": "fruitier"}).get_data(as_text=True)
    assert f'href="/comments/{comment.id}"' in html
    assert plain(titles(client, q="fruitier")) == ["Plus de bancs au parc"]
    assert "Comment" in html and "<mark>fruitiers</mark>" in html


def test_the_resource_title_finds_the_resource_not_its_comments(note, commenter, login, db):
    client = login(commenter)
    signals.resource_created.send("tiny.note", resource=note, user=None)
    post_comment(client, note, "Oui, volontiers")
    html = client.get("/search", query_string={"q": "bancs"}).get_data(as_text=True)
    assert "/comments/" not in html.partition('class="search-result-list"')[2]


def test_comments_are_a_kind_of_content_to_filter_on(note, commenter, login, db):
    client = login(commenter)
    signals.resource_created.send("tiny.note", resource=note, user=None)
    post_comment(client, note, "Des bancs en bois")
    comment = newest(db)
    html = client.get("/search", query_string={"q": "bancs", "type": "comment"})
    found = html.get_data(as_text=True).partition('class="search-result-list"')[2]
    assert f'href="/comments/{comment.id}"' in found and "/notes/" not in found


def test_an_edited_comment_is_found_by_its_new_words(note, commenter, login, db):
    client = login(commenter)
    post_comment(client, note, "Un banc")
    comment = newest(db)
    client.post(f"/comments/{comment.id}/edit", data={"comment-body": "Une fontaine"})
    assert titles(client, q="banc") == []
    assert plain(titles(client, q="fontaine")) == ["Plus de bancs au parc"]


def test_a_deleted_comment_leaves_the_index(note, commenter, login, db):
    client = login(commenter)
    post_comment(client, note, "Une fontaine")
    client.post(f"/comments/{newest(db).id}/delete")
    assert indexed_comments(db) == [] and titles(client, q="fontaine") == []


def test_a_hidden_comment_leaves_the_index_and_comes_back_when_shown(
    note, commenter, create_user, admin_user, login, db
):
    from brique.models import Moderation
    from brique.moderation import reporting
    from brique.moderation.targets import resolve

    post_comment(login(commenter), note, "Une fontaine")
    comment = newest(db)
    reporting.report(create_user("reporter"), resolve("comment", comment.id), "spam")
    moderation = db.session.scalar(select(Moderation))
    decisions.hide(moderation, admin_user)
    assert indexed_comments(db) == []
    decisions.unhide(moderation, admin_user)
    assert indexed_comments(db) == [comment.id]


def test_the_comments_of_a_blocked_person_leave_the_index_until_unblocked(
    note, commenter, admin_user, login, db
):
    post_comment(login(commenter), note, "Une fontaine")
    comment = newest(db)
    decisions.block(commenter, admin_user, "Insultes")
    assert indexed_comments(db) == []
    decisions.unblock(commenter, admin_user)
    assert indexed_comments(db) == [comment.id]


def test_the_comments_of_a_deleted_resource_leave_the_index(note, commenter, login, db):
    post_comment(login(commenter), note, "Une fontaine")
    signals.resource_deleted.send(
        "tiny.note", resource_id=note.id, component_id=note.component_id, user=None
    )
    assert indexed_comments(db) == []


def test_comments_follow_their_resource_when_it_is_no_longer_public(
    note, commenter, login, db, monkeypatch
):
    from brique.resources import resource_type

    post_comment(login(commenter), note, "Une fontaine")
    monkeypatch.setattr(type(resource_type("tiny.note")), "is_public", lambda self, res: False)
    signals.resource_updated.send("tiny.note", resource=note, user=None, changes={})
    assert indexed_comments(db) == []


def test_comments_of_an_unpublished_component_are_not_found(note, commenter, login, db, client):
    post_comment(login(commenter), note, "Une fontaine")
    note.component.published_at = None
    db.session.commit()
    assert titles(login(None), q="fontaine") == []


def test_reindex_puts_back_the_comments_people_can_read(note, commenter, login, db, app):
    client = login(commenter)
    post_comment(client, note, "Une fontaine")
    post_comment(client, note, "Un kiosque")
    client.post(f"/comments/{newest(db).id}/delete")
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(search_group, ["reindex"])
    assert result.exit_code == 0, result.output
    assert plain(titles(client, q="fontaine")) == ["Plus de bancs au parc"]
    assert titles(client, q="kiosque") == []
