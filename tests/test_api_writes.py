"""Writing through the API with a personal token: comments, replies and votes, with the
site's own rules (``can()``), its refusals as JSON, and no cookie nor CSRF token."""

import pytest
from sqlalchemy import func, select

from brique import plugins
from brique.db import db
from brique.models import Comment, CommentVote, SpaceRole
from brique.testing import FROZEN_AT
from tests.space_admin_support import ENGLISH
from tests.test_api_support import (
    api_post,
    comment_body,
    post_json_in_parallel,
    token_for,
)
from tests.test_comments_permissions import AGORA, DAY
from tests.test_comments_support import add_comment, add_note, open_notes, post_comment
from tests.test_concurrency import PARALLEL

pytestmark = pytest.mark.with_plugins("tiny", "agora")


@pytest.fixture
def app_config(monkeypatch):
    installed = plugins.installed_entry_points()
    monkeypatch.setattr(plugins, "installed_entry_points", lambda: {**installed, "agora": AGORA})
    return ENGLISH


@pytest.fixture
def author(create_user):
    return create_user("autrice")


@pytest.fixture
def note(dummy_space, create_component, author):
    return add_note(open_notes(create_component, dummy_space), author)


@pytest.fixture
def secret(dummy_user):
    return token_for(dummy_user)


def comments_on(note):
    db.session.expire_all()
    return db.session.scalars(
        select(Comment).where(Comment.resource_id == note.id).order_by(Comment.id)
    ).all()


# --- Comments and replies -------------------------------------------------------------------


def test_a_participant_comments_with_a_token(note, dummy_user, secret, client):
    response = api_post(client, "/comments", secret, comment_body(note, alignment="against"))
    assert response.status_code == 201
    body = response.get_json()
    assert (body["author"], body["alignment"], body["state"]) == ("dummy", "against", "published")
    assert response.headers["Location"].endswith(f"/api/v1/comments/{body['id']}")
    [stored] = comments_on(note)
    assert stored.author_id == dummy_user.id and stored.body == "Bonne idée, je soutiens"


def test_a_participant_replies_with_a_token(note, author, secret, client):
    parent = add_comment(note, author, "Qu'en pensez-vous ?")
    response = api_post(client, "/comments", secret, {"parent_id": parent.id, "body": "Oui !"})
    assert response.status_code == 201
    assert (response.get_json()["parent_id"], response.get_json()["depth"]) == (parent.id, 1)
    db.session.expire_all()
    assert db.session.get(Comment, parent.id).replies_count == 1


def test_a_reply_naming_another_resource_is_refused(note, author, dummy_user, secret, client):
    other = add_note(note.component, dummy_user, "Autre note")
    parent = add_comment(note, author)
    body = {**comment_body(other), "parent_id": parent.id}
    response = api_post(client, "/comments", secret, body)
    assert response.status_code == 422 and "parent_id" in response.get_json()["fields"]


def test_invalid_comments_get_a_422_naming_each_field(note, secret, client):
    response = api_post(client, "/comments", secret, comment_body(note, "x", alignment="meh"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid" and set(body["fields"]) == {"body", "alignment"}
    assert body["fields"]["body"] == ["Enter 2 to 3000 characters."]
    assert comments_on(note) == []


def test_a_comment_names_what_it_is_about(secret, client):
    response = api_post(client, "/comments", secret, {"body": "Sans cible"})
    assert response.status_code == 422 and "resource_type" in response.get_json()["fields"]


def test_unknown_fields_are_refused(note, secret, client):
    response = api_post(client, "/comments", secret, comment_body(note, colour="red"))
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"colour": ["This field is not expected."]}


def test_a_body_that_is_not_json_is_refused(note, secret, client):
    response = client.post(
        "/api/v1/comments", data="body=hello", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 400 and response.get_json()["code"] == "invalid"


def test_field_errors_come_in_the_participants_language(app, note, create_user, client):
    app.config["LOCALES"] = ["fr", "en"]
    french = token_for(create_user("francophone", locale="fr"))
    response = api_post(client, "/comments", french, comment_body(note, "x"))
    assert response.get_json()["fields"]["body"] == ["Saisissez entre 2 et 3000 caractères."]


def test_only_staff_give_official_answers(note, dummy_user, secret, client):
    api_post(client, "/comments", secret, comment_body(note, official=True))
    db.session.add(SpaceRole(space_id=note.component.space_id, user_id=dummy_user.id, role="admin"))
    db.session.commit()
    api_post(client, "/comments", secret, comment_body(note, "Réponse officielle", official=True))
    assert [comment.is_official for comment in comments_on(note)] == [False, True]


# --- Refusals -------------------------------------------------------------------------------


def test_without_a_token_writes_are_refused(note, client):
    response = api_post(client, "/comments", None, comment_body(note))
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_required"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_wrong_token_is_refused(note, client):
    response = api_post(client, "/comments", "brq_not-a-real-token", comment_body(note))
    assert response.status_code == 401 and response.get_json()["code"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_session_cookie_does_not_authenticate_the_api(note, dummy_user, login):
    response = api_post(login(dummy_user), "/comments", None, comment_body(note))
    assert response.status_code == 401 and comments_on(note) == []


def test_unconfirmed_participants_are_refused_with_the_sites_reason(note, create_user, client):
    secret = token_for(create_user("pressé", confirmed=False))
    response = api_post(client, "/comments", secret, comment_body(note))
    assert response.status_code == 403
    assert response.get_json() == {
        "error": "Confirm your e-mail address to take part.",
        "code": "unconfirmed",
        "status": 403,
    }


def test_comments_are_refused_once_the_step_closes(
    dummy_space, create_component, author, secret, client, clock
):
    past, current, _upcoming = dummy_space.steps
    agora = create_component(
        dummy_space, "agora", step_settings={past: {}, current: {"comments_open": True}}
    )
    agora_note = add_note(agora, author)
    body = {**comment_body(agora_note), "resource_type": "agora.note"}
    assert api_post(client, "/comments", secret, body).status_code == 201
    clock.set(FROZEN_AT + 15 * DAY)
    response = api_post(client, "/comments", secret, {**body, "body": "Trop tard"})
    assert response.status_code == 403 and response.get_json()["code"] == "closed"


def test_blocked_participants_are_refused(note, dummy_user, secret, client):
    dummy_user.blocked_at, dummy_user.blocked_reason = FROZEN_AT, "Spam répété."
    db.session.commit()
    response = api_post(client, "/comments", secret, comment_body(note))
    assert response.status_code == 403 and response.get_json()["code"] == "blocked"
    assert "Spam répété." in response.get_json()["error"] and comments_on(note) == []


def test_deleted_accounts_are_refused(note, dummy_user, secret, client):
    dummy_user.deleted_at = FROZEN_AT
    db.session.commit()
    assert api_post(client, "/comments", secret, comment_body(note)).status_code == 401


def test_what_one_may_not_see_is_not_found(create_space, create_component, author, secret, client):
    hidden = add_note(open_notes(create_component, create_space(published=False)), author)
    response = api_post(client, "/comments", secret, comment_body(hidden))
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


def test_replies_to_removed_comments_are_refused(note, author, secret, client):
    parent = add_comment(note, author, hidden_at=FROZEN_AT)
    response = api_post(client, "/comments", secret, {"parent_id": parent.id, "body": "Et ?"})
    assert response.status_code == 403 and response.get_json()["code"] == "closed"


# --- Votes ----------------------------------------------------------------------------------


def test_a_participant_votes_changes_and_takes_back_a_vote(note, author, secret, client):
    comment = add_comment(note, author)
    path = f"/comments/{comment.id}/vote"
    assert api_post(client, path, secret, {"vote": "up"}).get_json() == {
        "id": comment.id,
        "vote": "up",
        "upvotes": 1,
        "downvotes": 0,
    }
    assert api_post(client, path, secret, {"vote": "down"}).get_json()["downvotes"] == 1
    taken_back = api_post(client, path, secret, {"vote": "none"}).get_json()
    assert (taken_back["upvotes"], taken_back["downvotes"]) == (0, 0)


def test_nobody_votes_on_their_own_comment(note, dummy_user, secret, client):
    comment = add_comment(note, dummy_user)
    response = api_post(client, f"/comments/{comment.id}/vote", secret, {"vote": "up"})
    assert response.status_code == 403
    assert response.get_json()["error"] == "You cannot vote on your own comment."


def test_a_vote_must_be_up_down_or_none(note, author, secret, client):
    comment = add_comment(note, author)
    response = api_post(client, f"/comments/{comment.id}/vote", secret, {"vote": "sideways"})
    assert response.status_code == 422 and "vote" in response.get_json()["fields"]


def test_parallel_votes_of_one_participant_keep_one_vote(app, note, author, secret):
    comment = add_comment(note, author)
    path = f"/api/v1/comments/{comment.id}/vote"
    statuses = post_json_in_parallel(app, [(path, {"vote": "up"}, secret)] * PARALLEL)
    assert statuses == [200] * PARALLEL
    db.session.expire_all()
    votes = db.session.scalar(
        select(func.count()).select_from(CommentVote).where(CommentVote.comment_id == comment.id)
    )
    assert votes == 1 and db.session.get(Comment, comment.id).upvotes == 1


# --- No cookie, no CSRF token; the site's forms keep theirs --------------------------------


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


def test_token_writes_need_no_csrf_token_but_the_sites_forms_do(
    csrf_on, note, author, dummy_user, secret, login, client
):
    assert api_post(client, "/comments", secret, comment_body(note)).status_code == 201
    comment = add_comment(note, author)
    assert (
        api_post(client, f"/comments/{comment.id}/vote", secret, {"vote": "up"}).status_code == 200
    )
    assert post_comment(login(dummy_user), note, "Par le site").status_code == 400
    assert len(comments_on(note)) == 2


def test_token_writes_set_no_cookie(note, secret, client):
    response = api_post(client, "/comments", secret, comment_body(note))
    assert response.status_code == 201 and "Set-Cookie" not in response.headers


def test_writes_may_come_from_any_site_with_a_token(client):
    response = client.options(
        "/api/v1/comments",
        headers={
            "Origin": "https://borne.example.net",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response.headers
