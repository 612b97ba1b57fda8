"""Floods of writes through the API are refused per participant, and API comments count in
the same limits as the site's forms."""

import pytest

from tests.space_admin_support import ENGLISH
from tests.test_api_support import api_post, comment_body, token_for
from tests.test_comments_support import add_note, open_notes, post_comment

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return {
        **ENGLISH,
        "RATELIMIT_ENABLED": True,
        "COMMENTS_RATE_LIMIT": "2 per minute",
        "API_WRITE_RATE_LIMIT": "4 per minute",
        "RATELIMIT_REPORT": "2 per minute",
    }


@pytest.fixture
def note(dummy_space, create_component, create_user):
    return add_note(open_notes(create_component, dummy_space), create_user("autrice"))


def follow_space(client, secret, space):
    return api_post(client, "/follows", secret, {"target_type": "space", "target_id": space.id})


def test_writes_beyond_the_api_limit_are_refused(dummy_space, dummy_user, client):
    secret = token_for(dummy_user)
    statuses = [follow_space(client, secret, dummy_space).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    refused = follow_space(client, secret, dummy_space).get_json()
    assert refused["status"] == 429 and refused["code"] == "too_many_requests"
    assert refused["error"] == "Too many requests: wait a little, then try again."


def test_the_limit_counts_each_participant_whatever_their_tokens(
    dummy_space, dummy_user, create_user, client
):
    first, second = token_for(dummy_user, "Un"), token_for(dummy_user, "Deux")
    for secret in (first, second, first, second):
        follow_space(client, secret, dummy_space)
    assert follow_space(client, first, dummy_space).status_code == 429
    assert follow_space(client, token_for(create_user("other")), dummy_space).status_code == 200


def test_comments_through_the_api_and_the_site_share_their_limit(note, dummy_user, login):
    client = login(dummy_user)
    secret = token_for(dummy_user)
    assert post_comment(client, note, "Par le site").status_code == 302
    assert api_post(client, "/comments", secret, comment_body(note)).status_code == 201
    response = api_post(client, "/comments", secret, comment_body(note, "Encore un"))
    assert response.status_code == 429


def test_refused_comments_do_not_count(note, dummy_user, client):
    secret = token_for(dummy_user)
    for _ in range(3):
        assert api_post(client, "/comments", secret, comment_body(note, "x")).status_code == 422
    assert api_post(client, "/comments", secret, comment_body(note)).status_code == 201


def test_unauthenticated_requests_are_refused_before_any_count(note, client, dummy_user):
    for _ in range(6):
        assert api_post(client, "/comments", None, comment_body(note)).status_code == 401
    secret = token_for(dummy_user)
    assert api_post(client, "/comments", secret, comment_body(note)).status_code == 201


def test_reports_beyond_their_limit_are_refused_per_participant(
    note, dummy_user, create_user, client
):
    from tests.test_comments_support import add_comment

    author = create_user("bavarde")
    comments = [add_comment(note, author, f"Avis {number}") for number in range(3)]
    secret = token_for(dummy_user)
    statuses = [
        api_post(client, f"/comments/{comment.id}/report", secret, {"reason": "spam"}).status_code
        for comment in comments
    ]
    assert statuses == [201, 201, 429]
    other = token_for(create_user("autre"))
    path = f"/comments/{comments[2].id}/report"
    assert api_post(client, path, other, {"reason": "spam"}).status_code == 201
