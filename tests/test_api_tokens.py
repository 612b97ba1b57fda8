"""Personal API tokens: created and revoked in the account, shown once, stored as a hash."""

import hashlib
import re

import pytest
from sqlalchemy import select

from brique import signals
from brique.models import ApiToken
from brique.testing import FROZEN_AT, TEST_PASSWORD
from tests.space_admin_support import ENGLISH
from tests.test_api_support import api_post, bearer, comment_body, token_for
from tests.test_comments_support import add_note, open_notes

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def note(dummy_space, create_component, create_user):
    return add_note(open_notes(create_component, dummy_space), create_user("autrice"))


def create(client, name="Borne de la mairie", password=TEST_PASSWORD):
    return client.post("/account/tokens/", data={"name": name, "password": password})


def shown_secret(html):
    start = html.index('id="new-token" value="') + len('id="new-token" value="')
    return html[start : html.index('"', start)]


def stored(db):
    db.session.expire_all()
    return db.session.scalars(select(ApiToken)).all()


def test_a_participant_creates_a_token_shown_once_and_stored_as_a_hash(dummy_user, login, db):
    client = login(dummy_user)
    response = create(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = shown_secret(html)
    assert secret.startswith("brq_") and len(secret) > 40
    [token] = stored(db)
    assert token.name == "Borne de la mairie" and token.user_id == dummy_user.id
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str([getattr(token, column.key) for column in ApiToken.__table__.c])
    again = client.get("/account/tokens/").get_data(as_text=True)
    assert "Borne de la mairie" in again and secret not in again and "Never" in again


def test_creating_a_token_needs_the_password(dummy_user, login, db):
    response = create(login(dummy_user), password="not my password")
    assert response.status_code == 422
    assert "This is not your current password." in response.get_data(as_text=True)
    assert stored(db) == []


def test_a_token_needs_a_name(dummy_user, login, db):
    response = create(login(dummy_user), name="")
    assert response.status_code == 422 and stored(db) == []


def test_the_account_page_lists_tokens_in_the_account_tabs(dummy_user, login):
    page = login(dummy_user).get("/account/").get_data(as_text=True)
    assert 'href="/account/tokens/"' in page


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/login" in response.location


def test_the_last_use_is_shown(note, dummy_user, login, client, clock, db):
    secret = token_for(dummy_user)
    api_post(client, "/comments", secret, comment_body(note))
    [token] = stored(db)
    assert token.last_used_at == FROZEN_AT
    page = login(dummy_user).get("/account/tokens/").get_data(as_text=True)
    assert "Never" not in page


def test_the_last_use_is_written_at_most_once_a_minute(note, dummy_user, client, clock, db):
    secret = token_for(dummy_user)
    api_post(client, "/comments", secret, comment_body(note, "Premier avis"))
    clock.advance(seconds=30)
    api_post(client, "/comments", secret, comment_body(note, "Deuxième avis"))
    assert stored(db)[0].last_used_at == FROZEN_AT
    clock.advance(seconds=60)
    api_post(client, "/comments/999/vote", secret, {"vote": "up"})  # refused: still a use
    assert stored(db)[0].last_used_at > FROZEN_AT


def test_a_revoked_token_no_longer_works(note, dummy_user, login, client, db):
    secret = token_for(dummy_user)
    [token] = stored(db)
    response = login(dummy_user).post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302 and stored(db) == []
    login(None)
    refused = api_post(client, "/comments", secret, comment_body(note))
    assert refused.status_code == 401 and refused.get_json()["code"] == "invalid_token"


def test_nobody_revokes_someone_elses_token(dummy_user, create_user, login, db):
    token_for(dummy_user)
    [token] = stored(db)
    response = login(create_user("intruse")).post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 404 and len(stored(db)) == 1


def test_a_deleted_account_loses_its_tokens(dummy_user, app, db):
    token_for(dummy_user)
    signals.user_deleted.send(dummy_user)
    assert stored(db) == []


# --- Tokens die with the credentials that made them ----------------------------------------

NEW_PASSWORD = "a brand new passphrase"


def refused(client, note, secret):
    """The token's write is refused as a token that does not exist."""
    response = api_post(client, "/comments", secret, comment_body(note))
    return response.status_code == 401 and response.get_json()["code"] == "invalid_token"


def test_changing_ones_password_revokes_ones_tokens_and_says_so(
    note, dummy_user, create_user, login, client, db
):
    mine, theirs = token_for(dummy_user), token_for(create_user("voisine"))
    page = login(dummy_user).post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert "Your API tokens are revoked too" in page.get_data(as_text=True)
    login(None)
    assert refused(client, note, mine)
    assert api_post(client, "/comments", theirs, comment_body(note)).status_code == 201


def test_a_refused_password_change_keeps_the_tokens(note, dummy_user, login, client, db):
    secret = token_for(dummy_user)
    data = {"current_password": "not my password", "password": NEW_PASSWORD}
    assert login(dummy_user).post("/account/password", data=data).status_code == 422
    login(None)
    assert api_post(client, "/comments", secret, comment_body(note)).status_code == 201


def test_resetting_ones_password_revokes_ones_tokens(note, dummy_user, client, outbox, db):
    secret = token_for(dummy_user)
    client.post("/password/forgot", data={"email": dummy_user.email})
    link = re.search(r"http://localhost(/\S+)", outbox()[0].get_content()).group(1)
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 302 and stored(db) == []
    client.post("/logout")
    assert refused(client, note, secret)


def test_a_blocked_account_loses_its_tokens_for_good(note, dummy_user, admin_user, client, db):
    from brique.moderation import decisions

    secret = token_for(dummy_user)
    assert decisions.block(dummy_user, admin_user, "Spam répété.")
    assert stored(db) == [] and refused(client, note, secret)
    assert decisions.unblock(dummy_user, admin_user)
    assert refused(client, note, secret)


def test_deleting_ones_account_revokes_ones_tokens(note, dummy_user, login, client, db):
    secret = token_for(dummy_user)
    response = login(dummy_user).post(
        "/account/delete", data={"password": TEST_PASSWORD, "understood": "y"}
    )
    assert response.status_code == 302 and stored(db) == []
    assert refused(client, note, secret)


def test_tokens_are_limited_per_participant(dummy_user, login, db, monkeypatch):
    from brique.api import tokens

    monkeypatch.setattr(tokens, "MAX_TOKENS", 2)
    client = login(dummy_user)
    assert [create(client, f"Jeton {n}").status_code for n in range(3)] == [200, 200, 422]
    assert len(stored(db)) == 2


def test_the_token_form_keeps_its_csrf_protection(app, dummy_user, login, db):
    app.config["WTF_CSRF_ENABLED"] = True
    client = login(dummy_user)
    assert create(client).status_code == 400
    assert stored(db) == []


def test_a_token_of_another_scheme_or_shape_is_not_taken(note, dummy_user, client):
    secret = token_for(dummy_user)
    for header in (f"Basic {secret}", f"Bearer {secret[4:]}", "Bearer", f"Token {secret}"):
        response = client.post(
            "/api/v1/comments", json=comment_body(note), headers={"Authorization": header}
        )
        assert response.status_code == 401
    assert bearer(secret)["Authorization"].startswith("Bearer brq_")
