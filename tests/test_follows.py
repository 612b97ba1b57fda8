"""Following spaces, followable resources and people; authors follow what they create."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from brique import signals
from brique.follows.service import follow, followers_of
from brique.models import Follow, SpaceParticipant
from tests.space_admin_support import ENGLISH
from tests.test_concurrency import PARALLEL, post_in_parallel


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def notes(dummy_space, create_component):
    return create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )


@pytest.fixture
def note(notes, create_user, db):
    from brique_tiny.models import Note

    author = create_user("author")
    note = Note(
        component_id=notes.id,
        author_id=author.id,
        title="Plus de bancs",
        created_at=notes.published_at,
    )
    db.session.add(note)
    db.session.commit()
    return note


def note_url(note):
    return f"/processes/{note.component.space.slug}/c/{note.component_id}/notes/{note.id}"


def follows_of(db, user):
    rows = db.session.execute(
        select(Follow.target_type, Follow.target_id).where(Follow.user_id == user.id)
    )
    return {tuple(row) for row in rows}


def test_a_participant_follows_a_process_from_its_page_and_stops(
    dummy_space, dummy_user, login, db
):
    client = login(dummy_user)
    page = client.get(f"/processes/{dummy_space.slug}/").get_data(as_text=True)
    assert f'action="/follow/space/{dummy_space.id}"' in page
    response = client.post(
        f"/follow/space/{dummy_space.id}", data={"next": f"/processes/{dummy_space.slug}/"}
    )
    assert response.status_code == 302 and response.location == f"/processes/{dummy_space.slug}/"
    assert followers_of(("space", dummy_space.id)) == [dummy_user.id]
    page = client.get(f"/processes/{dummy_space.slug}/").get_data(as_text=True)
    assert "Stop following" in page and "You follow “Budget participatif”" in page
    client.post(f"/unfollow/space/{dummy_space.id}")
    assert followers_of(("space", dummy_space.id)) == []


def test_visitors_are_asked_to_log_in(dummy_space, client):
    page = client.get(f"/processes/{dummy_space.slug}/").get_data(as_text=True)
    assert "Log in to follow" in page
    response = client.post(f"/follow/space/{dummy_space.id}")
    assert response.status_code == 302 and "/login" in response.location


def test_following_again_keeps_one_follow(dummy_space, dummy_user, login, db):
    client = login(dummy_user)
    client.post(f"/follow/space/{dummy_space.id}")
    client.post(f"/follow/space/{dummy_space.id}")
    assert followers_of(("space", dummy_space.id)) == [dummy_user.id]


def test_parallel_follows_keep_one_follow(app, db, dummy_space, dummy_user):
    path = f"/follow/space/{dummy_space.id}"
    post_in_parallel(app, [(path, {}, dummy_user.get_id())] * PARALLEL)
    count = db.session.scalar(
        select(func.count()).select_from(Follow).where(Follow.user_id == dummy_user.id)
    )
    assert count == 1


def test_what_one_may_not_see_cannot_be_followed(create_space, dummy_user, login):
    draft = create_space("Brouillon", published=False)
    client = login(dummy_user)
    assert client.post(f"/follow/space/{draft.id}").status_code == 404
    assert client.post("/follow/space/999").status_code == 404
    assert client.post("/follow/nothing.here/1").status_code == 404


def test_a_followable_resource_is_followed_from_its_page(note, dummy_user, login, db):
    client = login(dummy_user)
    page = client.get(note_url(note)).get_data(as_text=True)
    assert f'action="/follow/tiny.note/{note.id}"' in page
    client.post(f"/follow/tiny.note/{note.id}", data={"next": note_url(note)})
    assert ("tiny.note", note.id) in follows_of(db, dummy_user)
    assert "Stop following" in client.get(note_url(note)).get_data(as_text=True)


def test_people_follow_others_but_not_themselves(create_user, dummy_user, login, db):
    other = create_user("other")
    client = login(dummy_user)
    assert client.post(f"/follow/user/{other.id}").status_code == 302
    assert client.post(f"/follow/user/{dummy_user.id}").status_code == 403
    assert follows_of(db, dummy_user) == {("user", other.id)}


def test_redirects_after_following_stay_on_the_site(dummy_space, dummy_user, login):
    response = login(dummy_user).post(
        f"/follow/space/{dummy_space.id}", data={"next": "https://evil.example/"}
    )
    assert response.location == f"/processes/{dummy_space.slug}/"


def test_authors_follow_the_note_they_leave(notes, dummy_user, login, db):
    client = login(dummy_user)
    client.post(f"/processes/{notes.space.slug}/c/{notes.id}/notes", data={"title": "Un kiosque"})
    ((target_type, _id),) = follows_of(db, dummy_user)
    assert target_type == "tiny.note"
    participants = db.session.scalars(select(SpaceParticipant.user_id)).all()
    assert participants == [dummy_user.id]


def test_commenters_follow_what_they_comment_on(note, dummy_user, login, db):
    response = login(dummy_user).post(
        f"/comments/tiny.note/{note.id}", data={"comment-body": "Oui, près de l'école."}
    )
    assert response.status_code == 302
    assert ("tiny.note", note.id) in follows_of(db, dummy_user)


def test_following_makes_one_a_participant_of_the_space_once(dummy_space, dummy_user, db):
    follow(dummy_user.id, "space", dummy_space.id, dummy_space.id)
    follow(dummy_user.id, "tiny.note", 1, dummy_space.id)
    db.session.commit()
    rows = db.session.scalars(select(SpaceParticipant)).all()
    assert [(row.space_id, row.user_id) for row in rows] == [(dummy_space.id, dummy_user.id)]


def test_a_deleted_resource_or_account_leaves_no_follow(note, dummy_user, create_user, db):
    other = create_user("other")
    follow(dummy_user.id, "tiny.note", note.id, note.component.space_id)
    follow(other.id, "user", dummy_user.id, None)
    follow(dummy_user.id, "user", other.id, None)
    db.session.commit()
    signals.resource_deleted.send(
        "tiny.note", resource_id=note.id, component_id=note.component_id, user=None
    )
    assert ("tiny.note", note.id) not in follows_of(db, dummy_user)
    signals.user_deleted.send(dummy_user)
    assert follows_of(db, dummy_user) == set() and follows_of(db, other) == set()
