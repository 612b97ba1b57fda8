"""Log-in attempts are limited per client address; the refusal speaks the user's language."""

import pytest


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"}


def attempt(client, language):
    return client.post(
        "/login",
        data={"email": "dummy@example.org", "password": "not the password"},
        headers={"Accept-Language": language},
    )


def test_fourth_login_attempt_in_a_minute_is_refused_in_french(client, dummy_user):
    assert [attempt(client, "fr").status_code for _ in range(3)] == [401, 401, 401]
    refused = attempt(client, "fr")
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Trop de tentatives" in html


def test_refusal_is_in_english_for_english_readers(client, dummy_user):
    assert [attempt(client, "en").status_code for _ in range(3)] == [401, 401, 401]
    refused = attempt(client, "en")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)


def test_reading_the_login_page_is_not_limited(client):
    assert all(client.get("/login").status_code == 200 for _ in range(5))
