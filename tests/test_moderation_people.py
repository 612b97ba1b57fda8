"""Moderation of people and comments: reporting a person, blocking and unblocking accounts,
and comments hidden through their own ``hidden_at``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from brique import signals
from brique.models import ActionLogEntry, Moderation
from brique.moderation.visibility import hidden_ids, is_hidden
from brique.testing import FROZEN_AT, TEST_PASSWORD


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def notes(dummy_space, create_component):
    return create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )


@pytest.fixture
def troll(create_user):
    return create_user("troll")


@pytest.fixture
def trolls_note(db, notes, troll):
    from brique_tiny.models import Note

    note = Note(component_id=notes.id, author_id=troll.id, title="Achetez !", created_at=FROZEN_AT)
    db.session.add(note)
    db.session.commit()
    return note


def text_of(response):
    return " ".join(response.get_data(as_text=True).split())


def block(client, person, reason="Spam répété."):
    return client.post(f"/admin/moderation/users/{person.id}/block", data={"reason": reason})


def log_in_with_password(client, person):
    return client.post("/login", data={"email": person.email, "password": TEST_PASSWORD})


# --- Reporting people -----------------------------------------------------------------------


def test_a_participant_reports_a_person_and_platform_admins_see_it(
    troll, dummy_user, admin_user, login, db
):
    response = login(dummy_user).post(f"/report/user/{troll.id}", data={"reason": "spam"})
    assert response.status_code == 303
    moderation = db.session.scalar(select(Moderation).filter_by(target_type="user"))
    assert moderation.space_id is None and moderation.title == "troll"
    assert moderation.hidden_at is None  # people are blocked by an administrator only
    page = login(admin_user).get("/admin/moderation/")
    assert page.status_code == 200
    assert "troll" in text_of(page) and "Spam or advertising: 1" in text_of(page)


def test_nobody_reports_themselves(dummy_user, login):
    response = login(dummy_user).post(f"/report/user/{dummy_user.id}", data={"reason": "spam"})
    assert response.status_code == 403


def test_the_platform_moderation_page_is_for_platform_admins(dummy_space, create_user, login, db):
    from brique.models import SpaceRole

    moderator = create_user("moderator")
    db.session.add(SpaceRole(space_id=dummy_space.id, user_id=moderator.id, role="moderator"))
    db.session.commit()
    assert login(moderator).get("/admin/moderation/").status_code == 403


# --- Blocking -------------------------------------------------------------------------------


def test_a_blocked_person_cannot_log_in_and_reads_why(troll, admin_user, login, client, db):
    assert block(login(admin_user), troll).status_code == 303
    login(None)
    refused = log_in_with_password(client, troll)
    assert refused.status_code == 401
    assert "Your account is blocked: Spam répété." in text_of(refused)
    wrong = client.post("/login", data={"email": troll.email, "password": "not the password"})
    assert "blocked" not in text_of(wrong)  # the reason only for who knows the password


def test_blocking_ends_the_persons_open_sessions(troll, admin_user, login):
    from brique.moderation import decisions

    client = login(troll)
    assert client.get("/account/").status_code == 200
    decisions.block(troll, admin_user, "Insultes.")
    assert client.get("/account/").status_code == 302


def test_a_blocked_persons_contributions_are_hidden_and_come_back_when_unblocked(
    trolls_note, troll, admin_user, login, db
):
    client = login(admin_user)
    block(client, troll)
    assert is_hidden("tiny.note", trolls_note.id) and is_hidden("user", troll.id)
    assert hidden_ids("tiny.note", [trolls_note.id]) == {trolls_note.id}
    client.post(f"/admin/moderation/users/{troll.id}/unblock")
    assert not is_hidden("tiny.note", trolls_note.id)
    assert log_in_with_password(login(None), troll).status_code == 302


def test_blocking_and_unblocking_are_logged_and_signalled(troll, admin_user, login, db):
    heard = []

    def hear(sender, **kwargs):
        heard.append((sender.id, kwargs.get("reason")))

    signals.user_blocked.connect(hear)
    signals.user_unblocked.connect(hear)
    try:
        client = login(admin_user)
        block(client, troll, "Insultes.")
        client.post(f"/admin/moderation/users/{troll.id}/unblock")
    finally:
        signals.user_blocked.disconnect(hear)
        signals.user_unblocked.disconnect(hear)
    assert heard == [(troll.id, "Insultes."), (troll.id, None)]
    entries = db.session.scalars(select(ActionLogEntry).order_by(ActionLogEntry.position)).all()
    assert [(entry.verb, entry.user_id, entry.target_id) for entry in entries] == [
        ("user.block", admin_user.id, troll.id),
        ("user.unblock", admin_user.id, troll.id),
    ]
    assert entries[0].after == {"reason": "Insultes."}


def test_the_block_form_needs_a_reason(troll, admin_user, login, db):
    refused = block(login(admin_user), troll, "")
    assert refused.status_code == 422
    db.session.refresh(troll)
    assert troll.blocked_at is None


def test_space_staff_cannot_block(troll, dummy_space, create_user, login, db):
    from brique.models import SpaceRole

    space_admin = create_user("space-admin")
    db.session.add(SpaceRole(space_id=dummy_space.id, user_id=space_admin.id, role="admin"))
    db.session.commit()
    assert block(login(space_admin), troll).status_code == 403


def test_admins_cannot_block_themselves_or_another_admin(admin_user, create_user, login):
    other_admin = create_user("other-admin", admin=True)
    client = login(admin_user)
    assert block(client, admin_user).status_code == 400
    assert block(client, other_admin).status_code == 400


def test_blocked_accounts_are_listed_for_unblocking(troll, admin_user, login):
    client = login(admin_user)
    block(client, troll, "Insultes.")
    page = text_of(client.get("/admin/moderation/"))
    assert "Blocked accounts" in page and "troll" in page and "Insultes." in page


# --- Comments -------------------------------------------------------------------------------


@pytest.fixture
def comment(db, notes, troll, trolls_note):
    comments = pytest.importorskip("brique.models.comments")
    made = comments.Comment(
        resource_type="tiny.note",
        resource_id=trolls_note.id,
        component_id=notes.id,
        space_id=notes.space_id,
        author_id=troll.id,
        body="Un **commentaire** insultant",
    )
    db.session.add(made)
    db.session.commit()
    return made


def test_comments_are_reported_and_hidden_through_their_hidden_at(
    comment, dummy_space, create_user, login, db
):
    dummy_space.report_threshold = 2
    db.session.commit()
    for number in range(2):
        reporter = create_user(f"reporter{number}")
        response = login(reporter).post(
            f"/report/comment/{comment.id}", data={"reason": "offensive"}
        )
        assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.hidden_at == FROZEN_AT and is_hidden("comment", comment.id)
    moderation = db.session.scalar(select(Moderation).filter_by(target_type="comment"))
    assert moderation.title == "Un commentaire insultant"
    assert moderation.url.endswith(f"#comment-{comment.id}")


def test_a_moderator_restores_a_hidden_comment(comment, dummy_space, admin_user, login, db):
    login(admin_user)
    reporter_client = login(admin_user)
    reporter_client.post(f"/report/comment/{comment.id}", data={"reason": "spam"})
    moderation = db.session.scalar(select(Moderation).filter_by(target_type="comment"))
    base = f"/admin/processes/{dummy_space.slug}/moderation/{moderation.id}"
    reporter_client.post(f"{base}/hide")
    db.session.refresh(comment)
    assert comment.hidden_at is not None
    reporter_client.post(f"{base}/unhide")
    db.session.refresh(comment)
    assert comment.hidden_at is None


def test_comments_of_a_blocked_person_are_hidden(comment, troll, admin_user, login):
    block(login(admin_user), troll)
    assert hidden_ids("comment", [comment.id]) == {comment.id}


def test_comments_show_their_report_link(comment, trolls_note, notes, dummy_user, login):
    client = login(dummy_user)
    page = f"/processes/{notes.space.slug}/c/{notes.id}/notes/{trolls_note.id}"
    html = client.get(page).get_data(as_text=True)
    assert f'action="/report/comment/{comment.id}"' in html
    client.post(f"/report/comment/{comment.id}", data={"reason": "spam"})
    assert "You reported this." in text_of(client.get(page))
