"""Floods of comments and votes are refused per participant, whatever their address."""

import pytest

from tests.space_admin_support import ENGLISH
from tests.test_comments_support import add_comment, add_note, open_notes, post_comment, vote

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return {
        **ENGLISH,
        "RATELIMIT_ENABLED": True,
        "COMMENTS_RATE_LIMIT": "2 per minute",
        "COMMENTS_VOTE_RATE_LIMIT": "3 per minute",
    }


@pytest.fixture
def note(dummy_space, create_component, create_user):
    return add_note(open_notes(create_component, dummy_space), create_user("autrice"))


def test_a_third_comment_in_a_minute_is_refused(note, dummy_user, login):
    client = login(dummy_user)
    statuses = [post_comment(client, note, f"Avis {n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert "Too many attempts" in post_comment(client, note, "Encore").get_data(as_text=True)


def test_the_limit_counts_each_participant_apart(note, dummy_user, create_user, login):
    client = login(dummy_user)
    for n in range(2):
        post_comment(client, note, f"Avis {n}")
    assert post_comment(login(create_user("other")), note, "À moi").status_code == 302


def test_forms_sent_back_with_errors_do_not_count(note, dummy_user, login):
    client = login(dummy_user)
    assert [post_comment(client, note, "").status_code for _ in range(3)] == [422] * 3
    assert post_comment(client, note, "Enfin correct").status_code == 302


def test_replies_and_edits_share_the_limit_of_comments(note, dummy_user, create_user, login):
    client = login(dummy_user)
    post_comment(client, note, "Premier")
    other = add_comment(note, create_user("ana"))
    assert (
        client.post(
            f"/comments/{other.id}/reply", data={f"reply-{other.id}-body": "Réponse"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/comments/{other.id}/reply", data={f"reply-{other.id}-body": "Encore"}
        ).status_code
        == 429
    )


def test_votes_have_their_own_limit(note, dummy_user, create_user, login):
    comment = add_comment(note, create_user("ana"))
    client = login(dummy_user)
    statuses = [vote(client, comment, value).status_code for value in ("up", "down", "up", "none")]
    assert statuses == [302, 302, 302, 429]
    assert post_comment(client, note, "Je peux encore commenter").status_code == 302
