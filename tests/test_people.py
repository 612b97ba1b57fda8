"""Public profiles: ``/people/<nickname>`` shows a person's public comments, lets people
follow and report them, and says clearly when the account is blocked or gone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from brique.clock import now
from brique.db import db
from brique.models import Comment, Follow, Report, Space
from brique.moderation import decisions
from brique.people import queries
from brique.testing import FROZEN_AT
from brique.users.account_data import anonymise
from tests.space_admin_support import ENGLISH
from tests.test_comments_support import (
    add_comment,
    add_note,
    give_role,
    note_path,
    open_notes,
    text_of,
)

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def ana(create_user):
    return create_user("ana")


@pytest.fixture
def notes(dummy_space, create_component):
    return open_notes(create_component, dummy_space)


@pytest.fixture
def note(notes, create_user):
    return add_note(notes, create_user("autrice"), title="Plus de bancs au parc")


def profile(client, nickname="ana", query=""):
    response = client.get(f"/people/{nickname}{query}")
    assert response.status_code == 200, response.status_code
    return text_of(response)


def listed(html):
    """Ids of the comments a profile lists, in page order."""
    return [int(found) for found in re.findall(r'id="profile-comment-(\d+)"', html)]


def add_many(note, author, count):
    """``count`` comments of ``author`` on ``note``, oldest first, inserted in bulk."""
    start = now() - timedelta(days=1)
    rows = [
        {
            "resource_type": "tiny.note",
            "resource_id": note.id,
            "component_id": note.component_id,
            "space_id": note.component.space_id,
            "author_id": author.id,
            "body": f"Avis {number}",
            "created_at": start + timedelta(minutes=number),
        }
        for number in range(count)
    ]
    db.session.execute(insert(Comment), rows)
    db.session.commit()


# --- Who the person is ----------------------------------------------------------------------


def test_a_profile_shows_the_nickname_initials_and_member_since(create_user, client):
    create_user("jean-luc", created_at=FROZEN_AT - timedelta(days=40))
    html = profile(client, "jean-luc")
    assert "<h1>jean-luc</h1>" in html
    assert '<span class="profile-avatar" aria-hidden="true">JL</span>' in html
    assert "Member since January 20, 2026" in html
    assert "<title>jean-luc · " in html


def test_a_nickname_typed_in_another_case_redirects_to_the_profile(ana, client):
    response = client.get("/people/ANA")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/people/ana")


def test_an_unknown_nickname_is_not_found(client):
    assert client.get("/people/nobody").status_code == 404


def test_a_deleted_account_has_no_profile(ana, note, client):
    add_comment(note, ana, "Je suis pour")
    anonymise(ana)
    assert client.get("/people/ana").status_code == 404
    assert client.get(f"/people/deleted-{ana.id}").status_code == 404


def test_a_blocked_account_shows_a_notice_and_nothing_it_wrote(ana, admin_user, note, client):
    add_comment(note, ana, "Message de spam")
    decisions.block(ana, admin_user, "Spam")
    html = profile(client)
    assert "This account is blocked" in html
    assert "Message de spam" not in html
    assert "Follow" not in html and "Report this user" not in html


# --- Their public comments ------------------------------------------------------------------


def test_public_comments_are_listed_newest_first_with_their_resource(ana, note, client):
    older = add_comment(note, ana, "Premier avis", created_at=FROZEN_AT - timedelta(days=2))
    newer = add_comment(note, ana, "Second **avis**", created_at=FROZEN_AT - timedelta(days=1))
    html = profile(client)
    assert listed(html) == [newer.id, older.id]
    assert "2 public comments" in html
    assert "On “Plus de bancs au parc”" in html
    assert f'href="{note_path(note)}"' in html
    assert f'href="/comments/{newer.id}"' in html
    assert "Second <strong>avis</strong>" in html


def test_hidden_and_deleted_comments_are_not_listed(ana, note, client):
    shown = add_comment(note, ana, "Visible")
    add_comment(note, ana, "Masqué", hidden_at=FROZEN_AT)
    add_comment(note, ana, "Effacé", deleted_at=FROZEN_AT)
    html = profile(client)
    assert listed(html) == [shown.id]
    assert "1 public comment" in html


def test_comments_of_other_people_are_not_listed(ana, note, create_user, client):
    add_comment(note, create_user("bob"), "Avis de Bob")
    html = profile(client)
    assert listed(html) == [] and "No public comment yet." in html


def test_comments_in_a_private_process_are_listed_for_its_members_only(
    ana, create_space, create_component, create_user, login, client
):
    private = create_space("Conseil de quartier", is_private=True)
    note = add_note(create_component(private, "tiny"), ana)
    comment = add_comment(note, ana, "Entre membres")
    assert listed(profile(client)) == []
    assert listed(profile(login(create_user("passant")))) == []
    member = give_role(create_user("membre"), private, "member")
    assert listed(profile(login(member))) == [comment.id]


def test_comments_in_unpublished_processes_or_components_are_not_listed(
    ana, create_space, create_component, client
):
    draft_space = create_space("Brouillon", published=False)
    add_comment(add_note(create_component(draft_space, "tiny"), ana), ana, "Dans un brouillon")
    published = create_space("Publié")
    hidden_part = create_component(published, "tiny", published=False)
    add_comment(add_note(hidden_part, ana), ana, "Composant caché")
    assert listed(profile(client)) == []


def test_comments_on_resources_hidden_by_moderation_are_not_listed(
    ana, note, notes, admin_user, client, db
):
    from brique.models import Moderation

    add_comment(note, ana, "Sous une note masquée")
    other = add_note(notes, admin_user, title="Autre note")
    kept = add_comment(other, ana, "Sous une note visible")
    db.session.add(
        Moderation(
            target_type="tiny.note", target_id=note.id, space_id=notes.space_id, hidden_at=now()
        )
    )
    db.session.commit()
    assert listed(profile(client)) == [kept.id]


def test_comments_on_resources_that_are_not_public_are_not_listed(
    ana, note, notes, admin_user, client, app, monkeypatch
):
    add_comment(note, ana, "Sous un brouillon")
    other = add_note(notes, admin_user, title="Note publique")
    kept = add_comment(other, ana, "Sous une note publique")
    rtype = app.extensions["brique"].resource_types["tiny.note"]
    monkeypatch.setattr(type(rtype), "is_public", lambda self, resource: resource.id != note.id)
    assert listed(profile(client)) == [kept.id]


def test_comments_are_paginated(ana, note, client, monkeypatch):
    monkeypatch.setattr(queries, "PER_PAGE", 3)
    add_many(note, ana, 7)
    first = profile(client)
    assert len(listed(first)) == 3 and "Page 1 of 3" in first
    assert 'href="/people/ana?page=2" rel="next"' in first
    last = profile(client, query="?page=3")
    assert len(listed(last)) == 1 and 'rel="prev"' in last and 'rel="next"' not in last
    assert listed(profile(client, query="?page=99")) == listed(last)


def test_the_profile_takes_the_same_queries_for_1_and_50_comments(
    ana, note, create_user, login, count_queries
):
    client = login(create_user("lectrice"))
    add_many(note, ana, 1)
    with count_queries() as one:
        profile(client)
    add_many(note, ana, 49)
    with count_queries() as fifty:
        assert len(listed(profile(client))) == queries.PER_PAGE
    assert len(fifty) == len(one)


# --- Following and reporting them -----------------------------------------------------------


def test_the_profile_counts_followers_and_people_followed(ana, create_user, client, db):
    bob, chloe, gone = create_user("bob"), create_user("chloe"), create_user("gone")
    for follower, followed in ((bob, ana), (chloe, ana), (gone, ana), (ana, bob)):
        db.session.add(
            Follow(user_id=follower.id, target_type="user", target_id=followed.id, created_at=now())
        )
    db.session.add(Follow(user_id=ana.id, target_type="space", target_id=1, created_at=now()))
    gone.deleted_at = now()
    db.session.commit()
    html = profile(client)
    assert "2 followers" in html and "Follows 1 person" in html


def test_a_participant_follows_and_unfollows_a_person_from_their_profile(
    ana, create_user, login, db
):
    client = login(create_user("bob"))
    html = profile(client)
    assert f'action="/follow/user/{ana.id}"' in html and "0 followers" in html
    response = client.post(f"/follow/user/{ana.id}", data={"next": "/people/ana?"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/people/ana")
    html = profile(client)
    assert "1 follower" in html and f'action="/unfollow/user/{ana.id}"' in html
    client.post(f"/unfollow/user/{ana.id}", data={"next": "/people/ana"})
    assert db.session.scalar(select(Follow.id)) is None


def test_visitors_are_asked_to_log_in_to_follow_or_report(ana, client):
    html = profile(client)
    assert "Log in to follow" in html and "Log in to report content." in html
    assert 'action="/follow/' not in html


def test_people_see_neither_follow_nor_report_on_their_own_profile(ana, login):
    html = profile(login(ana))
    assert "This is your public profile" in html
    assert 'action="/follow/' not in html and "Report this user" not in html


def test_a_person_is_reported_from_their_profile(ana, create_user, login, db):
    client = login(create_user("bob"))
    html = profile(client)
    assert "Report this user" in html
    assert f'action="/report/user/{ana.id}"' in html
    data = {"reason": "spam", "details": "", "next": "/people/ana"}
    response = client.post(f"/report/user/{ana.id}", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/people/ana")
    report = db.session.scalars(select(Report)).one()
    assert (report.target_type, report.target_id) == ("user", ana.id)


def test_platform_admins_find_the_account_in_the_administration(ana, admin_user, login):
    assert f'href="/admin/users/{ana.id}"' in profile(login(admin_user))


# --- Links to profiles ----------------------------------------------------------------------


def test_comment_authors_link_to_their_profile(ana, note, client):
    add_comment(note, ana, "Bonne idée")
    html = text_of(client.get(note_path(note)))
    assert '<a href="/people/ana">ana</a>' in html


def test_deleted_authors_of_comments_link_nowhere(ana, note, client):
    add_comment(note, ana, "Bonne idée")
    anonymise(ana)
    html = text_of(client.get(note_path(note)))
    assert "Deleted participant" in html and "/people/" not in html


def test_the_private_process_of_a_comment_stays_unnamed_on_the_profile(
    ana, create_space, create_component, client, db
):
    private = create_space("Conseil secret", is_private=True)
    add_comment(add_note(create_component(private, "tiny"), ana, title="Note secrète"), ana)
    html = profile(client)
    assert "Note secrète" not in html and "Conseil secret" not in html
    assert db.session.scalar(select(Space.id).where(Space.is_private)) == private.id
