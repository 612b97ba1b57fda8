"""Reading comments through the API: the site's threads, placeholders and orders, as JSON."""

from datetime import timedelta

import pytest

from brique.testing import FROZEN_AT
from tests.space_admin_support import ENGLISH
from tests.test_comments_support import add_comment, add_note, open_notes

pytestmark = pytest.mark.with_plugins("tiny")
MINUTE = timedelta(minutes=1)


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def author(create_user):
    return create_user("autrice", name="Camille Dupont", email="camille@example.org")


@pytest.fixture
def note(dummy_space, create_component, author):
    return add_note(open_notes(create_component, dummy_space), author)


def listed(client, note, query=""):
    response = client.get(f"/api/v1/comments?resource_type=tiny.note&resource_id={note.id}{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_comments_of_a_resource_are_listed_with_their_author_nickname(note, author, client):
    comment = add_comment(note, author, "Des **bancs** à l'ombre", alignment=1)
    body = listed(client, note)
    [item] = body["data"]
    assert item["id"] == comment.id and item["state"] == "published"
    assert item["author"] == "autrice" and item["alignment"] == "in_favour"
    assert item["body"] == "Des **bancs** à l'ombre"
    assert "<strong>bancs</strong>" in item["body_html"]
    assert item["url"].endswith(f"/comments/{comment.id}")
    assert body["meta"] == {"page": 1, "per_page": 20, "total": 1, "pages": 1}


def test_no_private_detail_of_the_author_is_given(note, author, client):
    add_comment(note, author)
    text = client.get(f"/api/v1/comments?resource_type=tiny.note&resource_id={note.id}").get_data(
        as_text=True
    )
    assert "camille@example.org" not in text and "Camille Dupont" not in text


def test_hidden_and_deleted_comments_keep_their_place_without_their_text(note, author, client):
    hidden = add_comment(note, author, "Texte masqué", hidden_at=FROZEN_AT, upvotes=3)
    deleted = add_comment(note, author, "", deleted_at=FROZEN_AT, created_at=FROZEN_AT + MINUTE)
    add_comment(note, author, "Réponse", parent=hidden)
    body = listed(client, note, "&sort=oldest")
    first, second = body["data"]
    assert (first["id"], first["state"], second["state"]) == (hidden.id, "hidden", "deleted")
    for item in (first, second):
        assert item["body"] is None and item["body_html"] is None and item["author"] is None
        assert item["upvotes"] is None and item["alignment"] is None
    assert "Texte masqué" not in str(body) and "autrice" not in str(body)
    assert first["replies"] == 1 and second["id"] == deleted.id


def test_a_deleted_account_shows_no_nickname(note, create_user, client):
    gone = create_user("parti", deleted_at=FROZEN_AT)
    add_comment(note, gone, "Ancien avis")
    assert listed(client, note)["data"][0]["author"] is None


def test_replies_are_read_by_their_parent(note, author, dummy_user, client):
    root = add_comment(note, author, "Sujet")
    reply = add_comment(note, dummy_user, "Réponse", parent=root)
    add_comment(note, author, "Réponse à la réponse", parent=reply)
    top = listed(client, note)["data"]
    assert [item["id"] for item in top] == [root.id] and top[0]["replies"] == 1
    replies = client.get(f"/api/v1/comments?parent_id={root.id}").get_json()["data"]
    assert [(item["id"], item["parent_id"], item["depth"]) for item in replies] == [
        (reply.id, root.id, 1)
    ]
    assert replies[0]["thread_id"] == root.id and replies[0]["replies"] == 1


def test_the_orders_of_the_site_apply(note, author, client):
    old = add_comment(note, author, "Ancien", created_at=FROZEN_AT - MINUTE)
    liked = add_comment(note, author, "Aimé", upvotes=5, score=0.6)
    new = add_comment(note, author, "Récent", created_at=FROZEN_AT + MINUTE)

    def ids(sort):
        return [item["id"] for item in listed(client, note, f"&sort={sort}")["data"]]

    assert ids("best")[0] == liked.id
    assert ids("newest") == [new.id, liked.id, old.id]
    assert ids("oldest") == [old.id, liked.id, new.id]


def test_comments_are_paginated(note, author, client):
    for number in range(5):
        add_comment(note, author, f"Avis {number}")
    body = listed(client, note, "&per_page=2&page=3&sort=oldest")
    assert [item["body"] for item in body["data"]] == ["Avis 4"]
    assert body["meta"]["pages"] == 3 and body["links"]["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "resource_id"), ("&sort=loudest", "sort"), ("&resource_id=abc", "resource_id")],
)
def test_bad_arguments_name_the_field(client, query, field):
    response = client.get(f"/api/v1/comments?resource_type=tiny.note{query}")
    assert response.status_code == 400 and field in response.get_json()["fields"]


def test_comments_of_what_one_may_not_see_are_not_found(
    create_space, create_component, author, client
):
    draft_note = add_note(open_notes(create_component, create_space(published=False)), author)
    comment = add_comment(draft_note, author)
    assert client.get(f"/api/v1/comments/{comment.id}").status_code == 404
    assert client.get(f"/api/v1/comments?parent_id={comment.id}").status_code == 404
    response = client.get(f"/api/v1/comments?resource_type=tiny.note&resource_id={draft_note.id}")
    assert response.status_code == 404
    assert client.get("/api/v1/comments?resource_type=nothing&resource_id=1").status_code == 404


def test_one_comment_is_read_by_its_id(note, author, client):
    comment = add_comment(note, author, "Seul")
    body = client.get(f"/api/v1/comments/{comment.id}").get_json()
    assert (body["id"], body["body"], body["replies"]) == (comment.id, "Seul", 0)


def test_comment_lists_take_the_same_queries_for_1_and_50(note, author, db, client, count_queries):
    root = add_comment(note, author, "Premier")
    add_comment(note, author, "Réponse", parent=root)
    path = f"/api/v1/comments?resource_type=tiny.note&resource_id={note.id}&per_page=100"
    client.get(path)
    with count_queries() as one:
        first = client.get(path)
    for number in range(49):
        parent = add_comment(note, author, f"Avis {number}")
        add_comment(note, author, f"Réponse {number}", parent=parent)
    with count_queries() as fifty:
        second = client.get(path)
    assert len(first.get_json()["data"]) == 1 and len(second.get_json()["data"]) == 50
    assert len(one) == len(fifty)
