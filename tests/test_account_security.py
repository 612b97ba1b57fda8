"""Changing one's e-mail address (confirmed by link) and password (ends other sessions)."""

import re

import pytest

from brique.models import User
from brique.testing import TEST_PASSWORD

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def dummy_user(create_user):
    return create_user("dummy", locale="en")


def sent_to(outbox, address):
    """Messages to ``address`` (the outbox's order is not reliable under a frozen clock)."""
    return [message for message in outbox() if message["To"] == address]


def link_in(message):
    return re.search(r"http://localhost(/\S+)", message.get_content()).group(1)


def test_new_address_applies_only_once_the_link_is_opened(login, dummy_user, outbox, db):
    client = login(dummy_user)
    response = client.post(
        "/account/email", data={"email": "New@Example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert db.session.get(User, dummy_user.id).email == "dummy@example.org"
    [message] = outbox()
    assert message["To"] == "new@example.org"
    client.get(link_in(message))
    user = db.session.get(User, dummy_user.id)
    assert user.email == "new@example.org" and user.email_confirmed
    [notice] = sent_to(outbox, "dummy@example.org")
    assert "new@example.org" in notice.get_content()


def test_email_link_works_once(login, dummy_user, outbox, db):
    client = login(dummy_user)
    client.post("/account/email", data={"email": "new@example.org", "password": TEST_PASSWORD})
    link = link_in(outbox()[0])
    client.get(link)
    response = client.get(link)
    assert "invalid, expired or already used" in client.get(response.location).get_data(
        as_text=True
    )


def test_email_link_expires(login, dummy_user, outbox, db, clock):
    client = login(dummy_user)
    client.post("/account/email", data={"email": "new@example.org", "password": TEST_PASSWORD})
    clock.advance(days=8)
    client.get(link_in(outbox()[0]))
    assert db.session.get(User, dummy_user.id).email == "dummy@example.org"


def test_email_change_needs_the_password(login, dummy_user, outbox):
    response = login(dummy_user).post(
        "/account/email", data={"email": "new@example.org", "password": "wrong password"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="field-password-error"' in html
    assert "wrong password" not in html  # never sent back
    assert outbox() == []


def test_address_of_another_account_is_refused(login, dummy_user, create_user, outbox):
    create_user("other", email="other@example.org")
    response = login(dummy_user).post(
        "/account/email", data={"email": "OTHER@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 422
    assert 'id="field-email-error"' in response.get_data(as_text=True)
    assert outbox() == []


def test_address_taken_before_the_link_is_opened_is_refused(
    login, dummy_user, create_user, outbox, db
):
    client = login(dummy_user)
    client.post("/account/email", data={"email": "new@example.org", "password": TEST_PASSWORD})
    create_user("quick", email="new@example.org")
    client.get(link_in(outbox()[0]))
    assert db.session.get(User, dummy_user.id).email == "dummy@example.org"


def test_password_change_keeps_this_session_and_ends_the_others(app, login, dummy_user, db, outbox):
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = dummy_user.get_id()
    client = login(dummy_user)
    response = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert db.session.get(User, dummy_user.id).check_password(NEW_PASSWORD)
    assert client.get("/account/").status_code == 200
    assert other_device.get("/account/").status_code == 302
    [notice] = sent_to(outbox, "dummy@example.org")
    assert notice["Subject"] == "Your password was changed"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"current_password": "wrong one", "password": NEW_PASSWORD}, "current_password"),
        ({"current_password": TEST_PASSWORD, "password": "short"}, "password"),
        ({"current_password": TEST_PASSWORD, "password": TEST_PASSWORD}, "password"),
    ],
)
def test_bad_password_change_is_refused_and_changes_nothing(login, dummy_user, db, data, field):
    response = login(dummy_user).post("/account/password", data=data)
    assert response.status_code == 422
    assert f'id="field-{field}-error"' in response.get_data(as_text=True)
    assert db.session.get(User, dummy_user.id).check_password(TEST_PASSWORD)


def test_email_link_is_valid_for_a_week(login, dummy_user, outbox, db, clock):
    client = login(dummy_user)
    client.post("/account/email", data={"email": "new@example.org", "password": TEST_PASSWORD})
    clock.advance(days=6)
    client.get(link_in(outbox()[0]))
    assert db.session.get(User, dummy_user.id).email == "new@example.org"
