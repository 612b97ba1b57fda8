"""Pages of comments: top-level comments paginated, replies loaded with them, and the
same number of SQL queries however many comments a resource has."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from brique.clock import now
from brique.db import db
from brique.models import Comment
from tests.space_admin_support import ENGLISH
from tests.test_comments_support import (
    add_comment,
    add_note,
    article_ids,
    note_path,
    open_notes,
    text_of,
)

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return {**ENGLISH, "COMMENTS_PER_PAGE": 5, "COMMENTS_REPLIES_SHOWN": 3}


@pytest.fixture
def author(create_user):
    return create_user("autrice")


@pytest.fixture
def note(dummy_space, create_component, author):
    return add_note(open_notes(create_component, dummy_space), author)


def add_many(note, author, count, replies_each=0):
    """``count`` top-level comments (oldest first), each with ``replies_each`` replies in a
    chain, inserted in bulk."""
    start = now() - timedelta(days=1)
    base = {
        "resource_type": "tiny.note",
        "resource_id": note.id,
        "component_id": note.component_id,
        "space_id": note.component.space_id,
        "author_id": author.id,
    }
    rows = [
        {**base, "body": f"Avis {n}", "created_at": start + timedelta(seconds=n)}
        for n in range(count)
    ]
    db.session.execute(insert(Comment), rows)
    roots = db.session.scalars(
        select(Comment.id)
        .where(Comment.resource_id == note.id, Comment.parent_id.is_(None))
        .order_by(Comment.id)
    ).all()
    for root_id in roots if replies_each else []:
        parent_id = root_id
        for depth in range(1, replies_each + 1):
            parent_id = db.session.execute(
                insert(Comment).returning(Comment.id),
                [
                    {
                        **base,
                        "body": f"Réponse {depth}",
                        "created_at": start + timedelta(hours=1),
                        "parent_id": parent_id,
                        "root_id": root_id,
                        "depth": min(depth, 3),
                    }
                ],
            ).scalar()
        db.session.execute(
            update(Comment).where(Comment.id == root_id).values(replies_count=replies_each)
        )
    db.session.commit()
    return roots


# --- Pagination -------------------------------------------------------------------------------


def test_top_level_comments_are_paginated(note, author, client):
    roots = add_many(note, author, 12)
    first = text_of(client.get(note_path(note, "?comments_order=oldest")))
    assert article_ids(first) == roots[:5]
    assert "Page 1 of 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = text_of(client.get(note_path(note, "?comments_order=oldest&comments_page=3")))
    assert article_ids(last) == roots[10:] and 'rel="prev"' in last
    assert (
        f'href="{note_path(note, "?comments_order=oldest&amp;comments_page=2#comments")}"' in last
    )


def test_a_page_beyond_the_last_shows_the_last(note, author, client):
    roots = add_many(note, author, 6)
    page = text_of(client.get(note_path(note, "?comments_order=oldest&comments_page=99")))
    assert article_ids(page) == roots[5:]


def test_long_threads_show_their_first_replies_and_link_to_the_rest(note, author, client):
    (root,) = add_many(note, author, 1, replies_each=5)
    page = text_of(client.get(note_path(note)))
    assert len(article_ids(page)) == 1 + 3
    assert "Show 2 more replies" in page
    whole = text_of(client.get(note_path(note, f"?comment={root}")))
    assert len(article_ids(whole)) == 1 + 5


def test_a_page_of_comments_shows_the_count_and_no_comment_yet(note, client):
    page = text_of(client.get(note_path(note)))
    assert "0 comments" in page and "No comment yet." in page


# --- Bounded queries --------------------------------------------------------------------------


def page_queries(client, note, count_queries):
    client.get(note_path(note))  # warm up what is read once per process
    with count_queries() as queries:
        response = client.get(note_path(note))
    assert response.status_code == 200
    return len(queries), text_of(response)


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_a_page_takes_the_same_queries_for_1_and_50_comments(
    dummy_space, create_component, author, create_user, dummy_user, login, count_queries, who, app
):
    app.config["COMMENTS_PER_PAGE"] = 50
    client = login(dummy_user if who == "participant" else None)
    component = open_notes(create_component, dummy_space)
    small, large = add_note(component, author), add_note(component, create_user("autre"))
    add_many(small, author, 1, replies_each=1)
    add_many(large, author, 50, replies_each=2)
    one, _ = page_queries(client, small, count_queries)
    fifty, html = page_queries(client, large, count_queries)
    assert len(article_ids(html)) == 150
    assert one == fifty


def test_a_resource_with_10000_comments_renders_its_first_page_in_bounded_queries(
    note, author, dummy_user, login, count_queries, create_user, dummy_space, create_component
):
    client = login(dummy_user)
    small = add_note(open_notes(create_component, dummy_space), create_user("petit"))
    add_comment(small, author)
    one, _ = page_queries(client, small, count_queries)
    add_many(note, author, 10_000)
    many, html = page_queries(client, note, count_queries)
    assert "10,000 comments" in html or "10000 comments" in html
    assert len(article_ids(html)) == 5 and "Page 1 of 2000" in html
    assert many == one
