"""Following through the API with a token, and the public statistics of a process."""

import pytest

from brique import signals
from brique.follows.service import followers_of
from tests.space_admin_support import ENGLISH
from tests.test_api_support import api_post, bearer, comment_body, token_for
from tests.test_comments_support import add_note, open_notes

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def secret(dummy_user):
    return token_for(dummy_user)


@pytest.fixture
def note(dummy_space, create_component, create_user):
    return add_note(open_notes(create_component, dummy_space), create_user("autrice"))


def space_target(space):
    return {"target_type": "space", "target_id": space.id}


# --- Follows --------------------------------------------------------------------------------


def test_a_participant_follows_a_process_and_stops(dummy_space, dummy_user, secret, client):
    response = api_post(client, "/follows", secret, space_target(dummy_space))
    assert response.status_code == 200
    assert response.get_json() == {**space_target(dummy_space), "following": True, "changed": True}
    assert followers_of(("space", dummy_space.id)) == [dummy_user.id]
    again = api_post(client, "/follows", secret, space_target(dummy_space)).get_json()
    assert again["changed"] is False
    stopped = client.delete(
        "/api/v1/follows", json=space_target(dummy_space), headers=bearer(secret)
    )
    assert stopped.get_json() == {**space_target(dummy_space), "following": False, "changed": True}
    assert followers_of(("space", dummy_space.id)) == []


def test_unfollowing_takes_the_target_in_the_query_string(dummy_space, secret, client):
    api_post(client, "/follows", secret, space_target(dummy_space))
    response = client.delete(
        f"/api/v1/follows?target_type=space&target_id={dummy_space.id}", headers=bearer(secret)
    )
    assert response.get_json()["changed"] is True
    assert followers_of(("space", dummy_space.id)) == []


def test_a_participant_follows_a_resource(note, dummy_user, secret, client):
    target = {"target_type": "tiny.note", "target_id": note.id}
    assert api_post(client, "/follows", secret, target).status_code == 200
    assert followers_of(("tiny.note", note.id)) == [dummy_user.id]


def test_what_one_may_not_see_cannot_be_followed(create_space, secret, client):
    draft = create_space("Brouillon", published=False)
    assert api_post(client, "/follows", secret, space_target(draft)).status_code == 404
    unknown = {"target_type": "nothing.here", "target_id": 1}
    assert api_post(client, "/follows", secret, unknown).status_code == 404


def test_nobody_follows_themselves(dummy_user, secret, client):
    response = api_post(
        client, "/follows", secret, {"target_type": "user", "target_id": dummy_user.id}
    )
    assert response.status_code == 403
    assert response.get_json()["error"] == "You cannot follow yourself."


def test_a_follow_names_its_target(secret, client):
    response = api_post(client, "/follows", secret, {"target_type": "space"})
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"target_id": ["This field is required."]}


def test_following_needs_a_token(dummy_space, dummy_user, login):
    response = api_post(login(dummy_user), "/follows", None, space_target(dummy_space))
    assert response.status_code == 401 and followers_of(("space", dummy_space.id)) == []


# --- Statistics -----------------------------------------------------------------------------


def test_the_statistics_of_a_process_are_its_public_figures(
    dummy_space, note, dummy_user, secret, client
):
    signals.resource_created.send("tiny.note", resource=note, user=None)
    api_post(client, "/comments", secret, comment_body(note))
    body = client.get(f"/api/v1/spaces/{dummy_space.slug}/statistics").get_json()
    assert body["slug"] == dummy_space.slug
    whole = {figure["label"]: figure["value"] for figure in body["figures"]}
    assert whole == {"Participants": 2, "Contributions": 1, "Comments": 1}
    [component] = body["components"]
    assert (component["id"], component["type"]) == (note.component_id, "tiny")
    assert component["figures"] == [{"key": "contributions", "label": "Contributions", "value": 1}]


def test_unpublished_components_have_no_public_figures(
    dummy_space, create_component, create_user, client
):
    hidden = create_component(dummy_space, "tiny", published=False)
    note = add_note(hidden, create_user("autrice"))
    signals.resource_created.send("tiny.note", resource=note, user=None)
    body = client.get(f"/api/v1/spaces/{dummy_space.slug}/statistics").get_json()
    assert body["components"] == []


def test_the_statistics_of_a_hidden_process_are_not_found(create_space, client):
    draft = create_space("Brouillon", published=False)
    assert client.get(f"/api/v1/spaces/{draft.slug}/statistics").status_code == 404
