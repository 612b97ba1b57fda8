"""Reporting is an action ``can()`` decides: ``can(user, "report", target)`` on a
resource, a comment or a person, and the report forms show its reason when it refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from brique.db import db
from brique.models import Moderation, Report
from brique.moderation import reporting
from brique.moderation.targets import describe
from brique.permissions import can
from brique.testing import FROZEN_AT
from tests.test_comments_support import add_comment, add_note, note_path, open_notes

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def notes(dummy_space, create_component):
    return open_notes(create_component, dummy_space)


@pytest.fixture
def author(create_user):
    return create_user("author")


@pytest.fixture
def note(notes, author):
    return add_note(notes, author)


@pytest.fixture
def comment(note, author):
    return add_comment(note, author, "Un commentaire")


def report_of(user, target):
    return reporting.report(user, describe(target), "spam")


def hide(db, target_type, target_id, space):
    db.session.add(
        Moderation(
            target_type=target_type, target_id=target_id, space_id=space.id, hidden_at=FROZEN_AT
        )
    )
    db.session.commit()


def text_of(response):
    return " ".join(response.get_data(as_text=True).split())


# --- The decision -----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["note", "comment", "person"])
def test_a_confirmed_participant_may_report_a_note_a_comment_or_a_person(
    which, note, comment, author, dummy_user
):
    target = {"note": note, "comment": comment, "person": author}[which]
    assert can(dummy_user, "report", target)


@pytest.mark.parametrize("which", ["note", "comment"])
def test_anonymous_visitors_are_asked_to_log_in_to_report(which, note, comment, app):
    with app.test_request_context(note_path(note)):
        decision = can(None, "report", {"note": note, "comment": comment}[which])
    assert not decision and decision.code == "login_required"
    assert decision.reason == "Log in to report content."
    assert decision.url.startswith("/login?next=")


@pytest.mark.parametrize("which", ["note", "comment", "person"])
def test_nobody_reports_their_own_contribution_or_themselves(which, note, comment, author):
    decision = can(author, "report", {"note": note, "comment": comment, "person": author}[which])
    assert not decision and decision.code == "own"
    assert decision.reason == "You cannot report your own contribution."


def test_what_one_reported_already_is_refused_with_a_reason(note, dummy_user):
    report_of(dummy_user, note)
    decision = can(dummy_user, "report", note)
    assert not decision and decision.code == "reported"
    assert decision.reason == "You reported this. The moderators will review it."


def test_content_hidden_by_moderation_cannot_be_reported(note, dummy_space, dummy_user, db):
    hide(db, "tiny.note", note.id, dummy_space)
    decision = can(dummy_user, "report", note)
    assert not decision and decision.code == "closed"
    assert "hidden already" in decision.reason


def test_a_hidden_comment_cannot_be_reported(comment, dummy_user, db):
    comment.hidden_at = FROZEN_AT
    db.session.commit()
    assert can(dummy_user, "report", comment).code == "closed"


@pytest.mark.parametrize("which", ["note", "comment", "person"])
def test_what_a_blocked_person_wrote_cannot_be_reported(
    which, note, comment, author, dummy_user, db
):
    author.blocked_at = FROZEN_AT
    db.session.commit()
    target = {"note": note, "comment": comment, "person": author}[which]
    assert can(dummy_user, "report", target).code == "closed"


def test_unconfirmed_accounts_confirm_their_address_first(note, create_user, app):
    newcomer = create_user("newcomer", confirmed=False)
    with app.test_request_context():
        decision = can(newcomer, "report", note)
    assert decision.code == "unconfirmed" and decision.url == "/confirm"


def test_what_one_cannot_see_cannot_be_reported(dummy_space, create_component, author, dummy_user):
    drafts = open_notes(create_component, dummy_space, published=False)
    draft = add_note(drafts, author)
    assert can(dummy_user, "report", draft).code == "not_found"


def test_deleted_comments_and_accounts_cannot_be_reported(comment, create_user, dummy_user, db):
    gone = create_user("gone", deleted_at=FROZEN_AT)
    comment.deleted_at = FROZEN_AT
    db.session.commit()
    assert can(dummy_user, "report", comment).code == "not_found"
    assert can(dummy_user, "report", gone).code == "not_found"


def test_what_is_not_reportable_is_refused(dummy_space, dummy_user):
    decision = can(dummy_user, "report", dummy_space)
    assert not decision and decision.code == "not_found"


# --- Following, decided the same way ----------------------------------------------------------


def test_following_needs_an_account_and_nobody_follows_themselves(
    note, dummy_space, author, dummy_user, app
):
    with app.test_request_context():
        assert can(None, "follow", dummy_space).code == "login_required"
    assert can(dummy_user, "follow", dummy_space)
    assert can(dummy_user, "follow", note)
    assert can(dummy_user, "follow", author)
    assert can(author, "follow", author).code == "forbidden"


def test_one_follows_only_what_one_sees(dummy_space, create_component, author, dummy_user):
    drafts = open_notes(create_component, dummy_space, published=False)
    assert can(dummy_user, "follow", add_note(drafts, author)).code == "not_found"


# --- Views and templates ask can() ------------------------------------------------------------


def test_the_report_view_refuses_hidden_content_with_the_reason(
    note, dummy_space, dummy_user, login, db
):
    hide(db, "tiny.note", note.id, dummy_space)
    client = login(dummy_user)
    refused = client.post(f"/report/tiny.note/{note.id}", data={"reason": "spam"})
    assert refused.status_code == 403 and "hidden already" in text_of(refused)
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_reporting_twice_through_the_view_says_so_and_keeps_one_report(note, dummy_user, login, db):
    client = login(dummy_user)
    client.post(f"/report/tiny.note/{note.id}", data={"reason": "spam"})
    again = client.get(f"/report/tiny.note/{note.id}")
    assert again.status_code == 303
    assert "You already reported this." in text_of(client.get(again.location))
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1


def test_the_form_is_replaced_by_the_reason_for_an_unconfirmed_account(note, create_user, login):
    page = text_of(login(create_user("newcomer", confirmed=False)).get(note_path(note)))
    assert "Confirm your e-mail address to report content." in page
    assert 'href="/confirm">Confirm my address</a>' in page
    assert 'action="/report/tiny.note/' not in page


def test_anonymous_visitors_read_how_to_log_in_instead_of_the_form(note, client):
    page = text_of(client.get(note_path(note)))
    assert "Log in to report content." in page
    assert f'href="/login?next={note_path(note)}' in page
    assert 'action="/report/' not in page


def test_the_comment_report_link_shows_the_reason_once_reported(note, comment, dummy_user, login):
    client = login(dummy_user)
    assert f'action="/report/comment/{comment.id}"' in text_of(client.get(note_path(note)))
    report_of(dummy_user, comment)
    page = text_of(client.get(note_path(note)))
    assert f'action="/report/comment/{comment.id}"' not in page
    assert "You reported this. The moderators will review it." in page


def test_authors_see_no_report_link_on_their_own_comment(note, comment, author, login):
    assert 'id="report-comment-' not in text_of(login(author).get(note_path(note)))


def test_the_report_form_of_people_asks_can_too(author, dummy_user, login, app):
    from flask import render_template_string

    template = '{% from "moderation/macros.html" import report_form %}{{ report_form("user", id) }}'
    with app.test_request_context():
        from flask_login import login_user

        login_user(dummy_user)
        assert 'action="/report/user/' in render_template_string(template, id=author.id)
        login_user(author)
        assert "report" not in render_template_string(template, id=author.id)


def test_report_links_under_comments_by_many_people_cost_no_query_each(
    notes, author, create_user, dummy_user, login, count_queries
):
    client = login(dummy_user)

    def page_queries(note):
        client.get(note_path(note))  # warm up what is read once per process
        with count_queries() as queries:
            page = client.get(note_path(note))
        assert page.status_code == 200
        return len(queries)

    small, large = add_note(notes, author), add_note(notes, create_user("autre"))
    report_of(dummy_user, add_comment(small, create_user()))
    made = [add_comment(large, create_user(), f"Avis {number}") for number in range(20)]
    report_of(dummy_user, made[0])
    made[1].hidden_at = FROZEN_AT
    made[2].author.blocked_at = FROZEN_AT
    db.session.commit()
    assert page_queries(small) == page_queries(large)
