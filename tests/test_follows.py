"""Following spaces, followable resources and people; authors follow what they create."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from brique import permissions, signals
from brique.follows.service import follow, followers_of
from brique.models import Follow, SpaceParticipant
from brique.permissions import refuse
from brique.testing import FROZEN_AT
from tests.space_admin_support import ENGLISH
from tests.test_api_support import api_post, bearer, token_for
from tests.test_concurrency import PARALLEL, post_in_parallel

BLOCKED_REFUSAL = "This account is blocked: it cannot be followed."


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


def blocked(db, person):
    person.blocked_at, person.blocked_reason = FROZEN_AT, "Spam répété."
    db.session.commit()
    return person


def person_target(person):
    return {"target_type": "user", "target_id": person.id}


# --- can() decides; unfollowing one's own follows is always possible ------------------------


def test_following_asks_can_and_shows_its_reason(dummy_space, dummy_user, login, db, monkeypatch):
    def closed(user, action, target=None):
        assert (action, target.id) == ("follow", dummy_space.id)
        return refuse("Following is closed for maintenance.", "closed")

    monkeypatch.setattr("brique.follows.controllers.can", closed)
    response = login(dummy_user).post(f"/follow/space/{dummy_space.id}")
    assert response.status_code == 403
    assert "Following is closed for maintenance." in response.get_data(as_text=True)
    assert followers_of(("space", dummy_space.id)) == []


def test_a_blocked_account_cannot_be_followed_even_by_a_direct_post(
    create_user, dummy_user, login, db
):
    troll = blocked(db, create_user("troll"))
    response = login(dummy_user).post(f"/follow/user/{troll.id}", data={"next": "/"})
    assert response.status_code == 403
    assert BLOCKED_REFUSAL in response.get_data(as_text=True)
    assert follows_of(db, dummy_user) == set()
    assert permissions.can(dummy_user, "follow", troll).reason == BLOCKED_REFUSAL


def test_visitors_are_not_asked_to_log_in_to_follow_a_blocked_account(create_user, client, db):
    troll = blocked(db, create_user("troll"))
    assert client.post(f"/follow/user/{troll.id}").status_code == 403


def test_an_account_blocked_since_can_still_be_unfollowed(create_user, dummy_user, login, db):
    troll = create_user("troll")
    client = login(dummy_user)
    client.post(f"/follow/user/{troll.id}")
    blocked(db, troll)
    response = client.post(f"/unfollow/user/{troll.id}", data={"next": "/"})
    assert response.status_code == 302 and response.location == "/"
    assert follows_of(db, dummy_user) == set()


def test_a_process_unpublished_since_can_still_be_unfollowed(dummy_space, dummy_user, login, db):
    client = login(dummy_user)
    client.post(f"/follow/space/{dummy_space.id}")
    dummy_space.published_at = None
    db.session.commit()
    assert client.post(f"/follow/space/{dummy_space.id}").status_code == 404
    assert client.post(f"/unfollow/space/{dummy_space.id}").status_code == 302
    assert follows_of(db, dummy_user) == set()
    assert client.post(f"/unfollow/space/{dummy_space.id}").status_code == 404


def test_visitors_are_asked_to_log_in_to_unfollow(dummy_space, client):
    response = client.post(f"/unfollow/space/{dummy_space.id}")
    assert response.status_code == 302 and "/login" in response.location


def test_the_api_refuses_to_follow_a_blocked_account_with_the_reason(
    create_user, dummy_user, client, db
):
    troll = blocked(db, create_user("troll"))
    response = api_post(client, "/follows", token_for(dummy_user), person_target(troll))
    assert response.status_code == 403
    assert response.get_json()["error"] == BLOCKED_REFUSAL
    assert follows_of(db, dummy_user) == set()


def test_the_api_unfollows_an_account_blocked_since(create_user, dummy_user, client, db):
    troll = create_user("troll")
    secret = token_for(dummy_user)
    api_post(client, "/follows", secret, person_target(troll))
    blocked(db, troll)
    response = client.delete("/api/v1/follows", json=person_target(troll), headers=bearer(secret))
    assert response.status_code == 200 and response.get_json()["changed"] is True
    assert follows_of(db, dummy_user) == set()


def test_the_api_does_not_unfollow_what_one_neither_sees_nor_follows(
    create_space, dummy_user, client
):
    draft = create_space("Brouillon", published=False)
    target = {"target_type": "space", "target_id": draft.id}
    response = client.delete("/api/v1/follows", json=target, headers=bearer(token_for(dummy_user)))
    assert response.status_code == 404
