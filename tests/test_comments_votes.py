"""Votes on comments: one per person, changeable, counts kept by the database; the orders
of comments (best, newest, oldest, most discussed)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brique import signals
from brique.db import db
from brique.models import Comment, CommentVote
from brique.models.comments import wilson_score
from tests.space_admin_support import ENGLISH
from tests.test_comments_support import (
    add_comment,
    add_note,
    article_ids,
    note_path,
    open_notes,
    received,
    text_of,
    vote,
)
from tests.test_concurrency import PARALLEL, post_in_parallel

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def author(create_user):
    return create_user("autrice")


@pytest.fixture
def note(dummy_space, create_component, author):
    return add_note(open_notes(create_component, dummy_space), author)


@pytest.fixture
def comment(note, author):
    return add_comment(note, author, "Votez pour moi")


def counts(comment_id):
    db.session.expire_all()
    row = db.session.get(Comment, comment_id)
    votes = db.session.execute(
        select(CommentVote.value, func.count())
        .where(CommentVote.comment_id == comment_id)
        .group_by(CommentVote.value)
    ).all()
    return (row.upvotes, row.downvotes), dict(votes)


# --- One vote per person, changeable ----------------------------------------------------------


def test_a_vote_up_counts_and_shows_pressed(note, comment, dummy_user, login):
    client = login(dummy_user)
    response = vote(client, comment, "up", next_path=note_path(note, "?comments_order=newest"))
    assert response.location == note_path(note, f"?comments_order=newest#comment-{comment.id}")
    assert counts(comment.id) == ((1, 0), {1: 1})
    page = text_of(client.get(note_path(note)))
    assert 'value="none"\n            aria-pressed="true"' in page
    assert 'aria-label="I agree (1 vote up)"' in page


def test_voting_the_same_way_twice_counts_once(comment, dummy_user, login):
    client = login(dummy_user)
    vote(client, comment, "up")
    vote(client, comment, "up")
    assert counts(comment.id) == ((1, 0), {1: 1})


def test_a_vote_can_change_sides_and_be_taken_back(comment, dummy_user, login):
    client = login(dummy_user)
    vote(client, comment, "up")
    vote(client, comment, "down")
    assert counts(comment.id) == ((0, 1), {-1: 1})
    vote(client, comment, "none")
    assert counts(comment.id) == ((0, 0), {})


def test_the_comment_voted_signal_says_the_change(comment, dummy_user, login):
    client = login(dummy_user)
    with received(signals.comment_voted) as calls:
        vote(client, comment, "up")
        vote(client, comment, "up")  # no change: no signal
        vote(client, comment, "down")
    assert [kwargs for _, kwargs in calls] == [
        {"user": dummy_user.id, "value": 1, "previous": 0},
        {"user": dummy_user.id, "value": -1, "previous": 1},
    ]


def test_an_unknown_vote_is_a_bad_request(comment, dummy_user, login):
    assert vote(login(dummy_user), comment, "sideways").status_code == 400


def test_a_vote_does_not_redirect_to_another_site(note, comment, dummy_user, login):
    response = vote(login(dummy_user), comment, "up", next_path="https://evil.example/")
    assert response.location.startswith(note_path(note))


def test_the_score_follows_the_votes(comment, create_user, login):
    for number in range(3):
        vote(login(create_user(f"fan{number}")), comment, "up")
    vote(login(create_user("critic")), comment, "down")
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).score == pytest.approx(wilson_score(3, 1))


def test_wilson_score_prefers_many_good_votes_to_one():
    assert wilson_score(10, 1) > wilson_score(1, 0) > wilson_score(0, 0) == 0
    assert wilson_score(0, 3) == 0


# --- Under parallel requests (PostgreSQL: real concurrency) -----------------------------------


def test_parallel_votes_of_many_people_are_all_counted(app, comment, create_user):
    voters = [create_user(f"voter{n}") for n in range(PARALLEL)]
    requests = [
        (f"/comments/{comment.id}/vote", {"vote": "up" if n % 2 else "down"}, voter.get_id())
        for n, voter in enumerate(voters)
    ]
    assert post_in_parallel(app, requests) == [302] * PARALLEL
    assert counts(comment.id) == ((PARALLEL // 2, PARALLEL // 2), {1: 4, -1: 4})


def test_parallel_clicks_of_one_person_keep_one_vote_and_exact_counts(app, comment, dummy_user):
    values = ["up", "down", "up", "none", "down", "up", "up", "down"] * 2
    requests = [
        (f"/comments/{comment.id}/vote", {"vote": value}, dummy_user.get_id()) for value in values
    ]
    post_in_parallel(app, requests)
    (upvotes, downvotes), rows = counts(comment.id)
    assert sum(rows.values()) <= 1
    assert (upvotes, downvotes) == (rows.get(1, 0), rows.get(-1, 0))
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).score == pytest.approx(
        wilson_score(upvotes, downvotes)
    )


# --- Orders -----------------------------------------------------------------------------------


@pytest.fixture
def threads(note, author, create_user, clock):
    """Three comments written a day apart; the middle one has the best votes, the first
    the most replies."""
    old = add_comment(note, author, "Ancien", created_at=clock.now() - timedelta(days=3))
    middle = add_comment(note, author, "Milieu", created_at=clock.now() - timedelta(days=2))
    new = add_comment(note, author, "Récent", created_at=clock.now() - timedelta(days=1))
    for number in range(2):
        add_comment(note, create_user(f"replier{number}"), "Réponse", parent=old)
    middle.upvotes, middle.score = 5, wilson_score(5, 0)
    new.upvotes, new.downvotes, new.score = 1, 1, wilson_score(1, 1)
    db.session.commit()
    return old, middle, new


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("best", ("middle", "new", "old")),
        ("newest", ("new", "middle", "old")),
        ("oldest", ("old", "middle", "new")),
        ("discussed", ("old", "middle", "new")),
        ("nonsense", ("middle", "new", "old")),
    ],
)
def test_comments_come_in_the_chosen_order(note, threads, client, order, expected):
    old, middle, new = threads
    named = {"old": old.id, "middle": middle.id, "new": new.id}
    page = text_of(client.get(note_path(note, f"?comments_order={order}")))
    roots = [found for found in article_ids(page) if found in named.values()]
    assert roots == [named[name] for name in expected]


def test_the_order_links_mark_the_current_one(note, threads, client):
    page = text_of(client.get(note_path(note, "?comments_order=oldest")))
    assert (
        f'href="{note_path(note, "?comments_order=oldest#comments")}" aria-current="true"' in page
    )
    assert f'href="{note_path(note, "?comments_order=newest#comments")}">' in page
