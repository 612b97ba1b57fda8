"""Changing comments through the API with a personal token: edit and delete one's own,
report others', with the site's own rules (``can()``) and services."""

import pytest
from sqlalchemy import select

from brique import plugins
from brique.db import db
from brique.models import Comment, CommentVersion, Report, SpaceRole
from brique.models.comments import AGAINST, IN_FAVOUR
from brique.testing import FROZEN_AT
from tests.space_admin_support import ENGLISH
from tests.test_api_support import bearer, post_json_in_parallel, token_for
from tests.test_comments_permissions import AGORA, DAY
from tests.test_comments_support import add_comment, add_note, open_notes
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


@pytest.fixture
def mine(note, dummy_user):
    """A comment of the token's owner, in favour."""
    return add_comment(note, dummy_user, "Bonne idée", alignment=IN_FAVOUR)


@pytest.fixture
def theirs(note, author):
    return add_comment(note, author, "Un avis d'autrice")


def auth(secret):
    return bearer(secret) if secret else {}


def patch(client, comment, secret, body):
    return client.patch(f"/api/v1/comments/{comment.id}", json=body, headers=auth(secret))


def delete(client, comment, secret):
    return client.delete(f"/api/v1/comments/{comment.id}", headers=auth(secret))


def report(client, comment, secret, body):
    return client.post(f"/api/v1/comments/{comment.id}/report", json=body, headers=auth(secret))


def stored(comment):
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def refusal(response):
    return response.status_code, response.get_json()["code"]


# --- Editing one's comment ------------------------------------------------------------------


def test_an_author_edits_their_comment_and_what_they_leave_out_stays(mine, secret, client):
    response = patch(client, mine, secret, {"body": "Très bonne idée, près de l'école"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["body"] == "Très bonne idée, près de l'école" and body["alignment"] == "in_favour"
    assert body["edited_at"] == FROZEN_AT.isoformat()
    (version,) = db.session.scalars(select(CommentVersion)).all()
    assert version.comment_id == mine.id and version.body == "Bonne idée"  # history kept


def test_an_author_changes_their_position_alone(mine, secret, client):
    assert patch(client, mine, secret, {"alignment": "against"}).status_code == 200
    assert (stored(mine).body, stored(mine).alignment) == ("Bonne idée", AGAINST)


def test_nobody_edits_someone_elses_comment(theirs, secret, client):
    response = patch(client, theirs, secret, {"body": "Je réécris ton avis"})
    assert refusal(response) == (403, "forbidden")
    assert stored(theirs).body == "Un avis d'autrice"


@pytest.mark.parametrize(
    ("sent", "field"),
    [({"body": "x"}, "body"), ({"alignment": "maybe"}, "alignment"), ({"title": "?"}, "title")],
)
def test_an_edit_is_checked_like_the_sites_form(mine, secret, client, sent, field):
    response = patch(client, mine, secret, sent)
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert stored(mine).body == "Bonne idée" and stored(mine).edited_at is None


def test_an_edit_that_is_not_a_json_object_is_refused(mine, secret, client):
    response = client.patch(f"/api/v1/comments/{mine.id}", data="body=Oui", headers=bearer(secret))
    assert response.status_code == 400 and stored(mine).body == "Bonne idée"


def test_only_staff_turn_an_edit_into_an_official_answer(mine, dummy_user, secret, client):
    patch(client, mine, secret, {"official": True})
    assert stored(mine).is_official is False
    space_id = mine.space_id
    db.session.add(SpaceRole(space_id=space_id, user_id=dummy_user.id, role="moderator"))
    db.session.commit()
    patch(client, mine, secret, {"official": True})
    assert stored(mine).is_official is True


def test_edits_are_refused_once_the_step_closes_comments(
    dummy_space, create_component, dummy_user, secret, client, clock
):
    past, current, _upcoming = dummy_space.steps
    agora = create_component(
        dummy_space, "agora", step_settings={past: {}, current: {"comments_open": True}}
    )
    comment = add_comment(add_note(agora, dummy_user), dummy_user)
    comment.resource_type = "agora.note"
    db.session.commit()
    clock.set(FROZEN_AT + 15 * DAY)
    response = patch(client, comment, secret, {"body": "Trop tard"})
    assert refusal(response) == (403, "closed")


# --- Deleting one's comment -----------------------------------------------------------------


def test_an_author_deletes_their_comment_and_its_place_stays(note, mine, author, secret, client):
    reply = add_comment(note, author, "Pourquoi ?", parent=mine)
    response = delete(client, mine, secret)
    assert response.status_code == 200
    assert (response.get_json()["state"], response.get_json()["body"]) == ("deleted", None)
    assert stored(mine).deleted_at is not None and stored(reply).deleted_at is None
    listed = client.get(f"/api/v1/comments/{mine.id}").get_json()
    assert (listed["state"], listed["replies"]) == ("deleted", 1)


def test_nobody_deletes_someone_elses_comment(theirs, secret, client):
    assert refusal(delete(client, theirs, secret)) == (403, "forbidden")
    assert stored(theirs).deleted_at is None


def test_a_deleted_comment_can_be_neither_deleted_again_nor_edited(mine, secret, client):
    delete(client, mine, secret)
    assert refusal(delete(client, mine, secret)) == (403, "closed")
    assert refusal(patch(client, mine, secret, {"body": "Je reviens"})) == (403, "closed")


# --- Reporting a comment --------------------------------------------------------------------


def test_a_participant_reports_a_comment_once(theirs, dummy_user, secret, client):
    response = report(client, theirs, secret, {"reason": "offensive"})
    assert response.status_code == 201
    assert response.get_json() == {
        "target_type": "comment",
        "target_id": theirs.id,
        "reason": "offensive",
    }
    (stored_report,) = db.session.scalars(select(Report)).all()
    assert (stored_report.reporter_id, stored_report.reason) == (dummy_user.id, "offensive")
    again = report(client, theirs, secret, {"reason": "spam"})
    assert refusal(again) == (403, "reported")
    assert len(db.session.scalars(select(Report)).all()) == 1


def test_parallel_reports_of_one_participant_keep_one_report(app, theirs, secret):
    path = f"/api/v1/comments/{theirs.id}/report"
    statuses = post_json_in_parallel(app, [(path, {"reason": "spam"}, secret)] * PARALLEL)
    assert sorted(statuses) == [201] + [403] * (PARALLEL - 1)
    db.session.expire_all()
    assert len(db.session.scalars(select(Report)).all()) == 1


def test_a_report_for_another_reason_says_why(theirs, secret, client):
    response = report(client, theirs, secret, {"reason": "other"})
    assert response.status_code == 422 and "details" in response.get_json()["fields"]
    response = report(client, theirs, secret, {"reason": "other", "details": "Hors charte"})
    assert response.status_code == 201
    assert db.session.scalars(select(Report)).one().details == "Hors charte"


def test_a_report_needs_a_known_reason(theirs, secret, client):
    response = report(client, theirs, secret, {"reason": "boring"})
    assert response.status_code == 422 and "reason" in response.get_json()["fields"]


def test_nobody_reports_their_own_comment(mine, secret, client):
    assert refusal(report(client, mine, secret, {"reason": "spam"})) == (403, "own")


def test_unconfirmed_participants_cannot_report(theirs, create_user, client):
    secret = token_for(create_user("pressé", confirmed=False))
    assert refusal(report(client, theirs, secret, {"reason": "spam"})) == (403, "unconfirmed")


def test_reports_reaching_the_threshold_hide_the_comment(note, theirs, secret, client):
    note.component.space.report_threshold = 1
    db.session.commit()
    assert report(client, theirs, secret, {"reason": "spam"}).status_code == 201
    assert client.get(f"/api/v1/comments/{theirs.id}").get_json()["state"] == "hidden"


# --- For every change -----------------------------------------------------------------------


@pytest.fixture
def hidden_comment(create_space, create_component, dummy_user):
    space = create_space("Brouillon", published=False)
    return add_comment(add_note(open_notes(create_component, space), dummy_user), dummy_user)


def test_what_one_may_not_see_is_not_found(hidden_comment, secret, client):
    assert refusal(patch(client, hidden_comment, secret, {"body": "Oui oui"})) == (404, "not_found")
    assert refusal(delete(client, hidden_comment, secret)) == (404, "not_found")
    assert refusal(report(client, hidden_comment, secret, {"reason": "spam"})) == (
        404,
        "not_found",
    )


def test_changes_need_a_token_and_never_a_cookie(mine, theirs, dummy_user, login):
    client = login(dummy_user)
    assert refusal(patch(client, mine, None, {"body": "Par le site"})) == (401, "token_required")
    assert refusal(delete(client, mine, None)) == (401, "token_required")
    assert refusal(report(client, theirs, None, {"reason": "spam"})) == (401, "token_required")
    assert stored(mine).deleted_at is None and db.session.scalars(select(Report)).all() == []


def test_changes_need_no_csrf_token(app, mine, theirs, secret, client):
    app.config["WTF_CSRF_ENABLED"] = True
    assert patch(client, mine, secret, {"body": "Sans jeton CSRF"}).status_code == 200
    assert report(client, theirs, secret, {"reason": "spam"}).status_code == 201
    assert delete(client, mine, secret).status_code == 200


def test_apps_on_other_sites_may_edit_and_delete(client):
    response = client.options(
        "/api/v1/comments/1",
        headers={
            "Origin": "https://borne.example.net",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    allowed = response.headers["Access-Control-Allow-Methods"]
    assert "PATCH" in allowed and "DELETE" in allowed
