"""Sign-up, e-mail confirmation, log-in and password reset, as a participant meets them."""

import re

import pytest

from brique.models import ProfileField, User
from brique.signals import user_registered
from brique.testing import TEST_PASSWORD

SIGNUP = {
    "email": "Lea@Example.org",
    "nickname": "lea",
    "password": "une phrase de passe",
    "accept_terms": "1",
}


def link_in(message):
    return re.search(r"http://localhost(/\S+)", message.get_content()).group(1)


@pytest.fixture
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_signup_creates_the_account_and_mails_a_confirmation_link(english, db, outbox):
    registered = []

    def receiver(sender, **kwargs):
        registered.append(sender)

    user_registered.connect(receiver)
    try:
        response = english.post("/signup", data=SIGNUP)
    finally:
        user_registered.disconnect(receiver)
    assert response.status_code == 302
    user = db.session.query(User).one()
    assert (user.email, user.locale, user.email_confirmed) == ("lea@example.org", "en", False)
    assert registered == [user]
    [message] = outbox()
    assert message["To"] == "lea@example.org"
    english.get(link_in(message))
    db.session.refresh(user)
    assert user.email_confirmed


def test_signup_errors_show_next_to_fields_and_never_echo_the_password(english, db):
    response = english.post("/signup", data={**SIGNUP, "nickname": "x"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="field-nickname-error"' in html and 'href="#field-nickname"' in html
    assert "une phrase de passe" not in html
    assert db.session.query(User).count() == 0


def test_signup_requires_accepting_the_terms(english, db):
    unticked = {key: value for key, value in SIGNUP.items() if key != "accept_terms"}
    response = english.post("/signup", data=unticked)
    assert response.status_code == 422
    assert 'id="field-accept_terms-error"' in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_signup_refuses_reserved_nicknames(english, db):
    response = english.post("/signup", data={**SIGNUP, "nickname": "Deleted-7"})
    assert response.status_code == 422
    assert db.session.query(User).count() == 0


def test_signup_with_a_used_address_says_so(english, create_user, db):
    create_user("lea2", email="lea@example.org")
    response = english.post("/signup", data=SIGNUP)
    assert response.status_code == 422
    assert "An account already uses this address." in response.get_data(as_text=True)


@pytest.fixture
def signup_questions(db):
    db.session.add_all(
        [
            ProfileField(
                key="age_band",
                label="Age band",
                choices=["16-25", "26+"],
                at_signup=True,
                required=True,
            ),
            ProfileField(key="district", label="District", type="text", at_signup=True),
            ProfileField(key="job", label="Job", type="text"),
        ]
    )
    db.session.commit()


def test_signup_asks_the_questions_marked_for_sign_up(english, signup_questions):
    html = english.get("/signup").get_data(as_text=True)
    assert 'name="profile-age_band"' in html and 'name="profile-district"' in html
    assert 'name="profile-job"' not in html
    assert html.index("profile-district") < html.index('name="accept_terms"')


def test_signup_requires_required_questions(english, signup_questions, db):
    response = english.post("/signup", data=SIGNUP)
    assert response.status_code == 422
    assert 'id="field-profile-age_band-error"' in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_signup_stores_the_answers(english, signup_questions, db):
    english.post("/signup", data={**SIGNUP, "profile-age_band": "26+", "profile-district": ""})
    assert db.session.query(User).one().profile == {"age_band": "26+"}


def test_forged_confirmation_link_is_refused(english, create_user, db):
    user = create_user("unconfirmed", confirmed=False)
    response = english.get("/confirm/not-a-real-token")
    assert response.location == "/confirm"
    db.session.refresh(user)
    assert not user.email_confirmed


def test_expired_confirmation_link_is_refused(english, outbox, db, clock):
    english.post("/signup", data=SIGNUP)
    clock.advance(days=8)
    english.get(link_in(outbox()[0]))
    assert not db.session.query(User).one().email_confirmed


def test_login_with_a_wrong_password_gets_a_generic_error(english, dummy_user):
    wrong = english.post("/login", data={"email": "dummy@example.org", "password": "nope"})
    unknown = english.post("/login", data={"email": "nobody@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    message = "E-mail address or password is incorrect."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_login_accepts_any_case_of_the_address(english, dummy_user):
    response = english.post(
        "/login", data={"email": "DUMMY@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_never_redirects_off_site(english, dummy_user, target):
    response = english.post(
        "/login",
        query_string={"next": target},
        data={"email": "dummy@example.org", "password": TEST_PASSWORD},
    )
    assert response.location == "/"


def test_login_follows_a_local_next(english, dummy_user):
    response = english.post(
        "/login?next=/account/notifications",
        data={"email": "dummy@example.org", "password": TEST_PASSWORD},
    )
    assert response.location == "/account/notifications"


def test_password_reset_link_works_once(english, dummy_user, outbox, db):
    english.post("/password/forgot", data={"email": "dummy@example.org"})
    link = link_in(outbox()[0])
    response = english.post(link, data={"password": "a completely new one"})
    assert response.status_code == 302
    db.session.refresh(dummy_user)
    assert dummy_user.check_password("a completely new one")
    english.post("/logout")
    again = english.post(link, data={"password": "yet another password"})
    assert again.location == "/password/forgot"
    db.session.refresh(dummy_user)
    assert dummy_user.check_password("a completely new one")


def test_password_reset_link_does_not_reveal_the_hash(english, dummy_user, outbox):
    english.post("/password/forgot", data={"email": "dummy@example.org"})
    assert dummy_user.password_hash[-16:] not in outbox()[0].get_content()


def test_password_reset_link_expires(english, dummy_user, outbox, clock, db):
    english.post("/password/forgot", data={"email": "dummy@example.org"})
    clock.advance(hours=3)
    response = english.post(link_in(outbox()[0]), data={"password": "a completely new one"})
    assert response.location == "/password/forgot"
    db.session.refresh(dummy_user)
    assert dummy_user.check_password(TEST_PASSWORD)


def test_password_reset_answers_the_same_for_unknown_addresses(english, dummy_user, outbox):
    known = english.post("/password/forgot", data={"email": "dummy@example.org"})
    unknown = english.post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert len(outbox()) == 1


def test_password_reset_confirms_the_address(english, create_user, outbox, db):
    user = create_user("late", confirmed=False)
    english.post("/password/forgot", data={"email": "late@example.org"})
    english.post(link_in(outbox()[0]), data={"password": "a completely new one"})
    db.session.refresh(user)
    assert user.email_confirmed


def test_password_reset_ends_other_sessions(app, english, dummy_user, outbox):
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = dummy_user.get_id()
    english.post("/password/forgot", data={"email": "dummy@example.org"})
    english.post(link_in(outbox()[0]), data={"password": "a completely new one"})
    assert other_device.get("/account/").status_code == 302


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_form_without_token_is_refused(self, english, dummy_user):
        response = english.post(
            "/login", data={"email": "dummy@example.org", "password": TEST_PASSWORD}
        )
        assert response.status_code == 400
        assert "Your form expired or came from another site." in response.get_data(as_text=True)

    def test_form_with_its_token_is_accepted(self, english, dummy_user):
        page = english.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = english.post(
            "/login",
            data={"email": "dummy@example.org", "password": TEST_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302

    def test_logout_needs_the_token_too(self, login, dummy_user):
        client = login(dummy_user)
        assert client.post("/logout").status_code == 400
        assert client.get("/account/").status_code == 200
