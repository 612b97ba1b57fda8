"""Participants keep their profile: nickname, name, language, the institution's questions."""

import pytest

from brique.models import ProfileField, User


@pytest.fixture
def dummy_user(create_user):
    return create_user("dummy", locale="en", profile={"district": "Centre"})


@pytest.fixture
def questions(db):
    db.session.add_all(
        [
            ProfileField(
                key="age_band", label="Age band", choices=["16-25", "26-60", "60+"], position=1
            ),
            ProfileField(key="district", label="District", type="text", position=2),
            ProfileField(key="household", label="People at home", type="number", position=3),
        ]
    )
    db.session.commit()


def profile_form(**changes):
    return {"nickname": "dummy", "name": "Dominique", "locale": "en", **changes}


@pytest.mark.parametrize(
    "url",
    [
        "/account/",
        "/account/email",
        "/account/password",
        "/account/notifications",
        "/account/verifications",
        "/account/data",
        "/account/data/download",
        "/account/delete",
    ],
)
def test_account_pages_ask_anonymous_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_participant_saves_profile_and_answers(login, dummy_user, questions, db):
    response = login(dummy_user).post(
        "/account/",
        data=profile_form(
            name="Dominique Martin",
            **{"profile-age_band": "26-60", "profile-district": "", "profile-household": "3"},
        ),
    )
    assert response.status_code == 302
    user = db.session.get(User, dummy_user.id)
    assert user.name == "Dominique Martin"
    assert user.profile == {"age_band": "26-60", "household": 3}


def test_language_choice_changes_the_site_language(login, dummy_user, db):
    client = login(dummy_user)
    client.post("/account/", data=profile_form(locale="fr"))
    assert db.session.get(User, dummy_user.id).locale == "fr"
    assert 'lang="fr"' in client.get("/account/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "field_id"),
    [
        ({"nickname": "a b"}, "field-nickname"),
        ({"nickname": "deleted-12"}, "field-nickname"),
        ({"locale": "de"}, "field-locale"),
        ({"profile-age_band": "99+"}, "field-profile-age_band"),
        ({"profile-household": "many"}, "field-profile-household"),
    ],
)
def test_invalid_profile_is_refused_next_to_the_field(
    login, dummy_user, questions, db, change, field_id
):
    response = login(dummy_user).post("/account/", data=profile_form(name="Changed", **change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field_id}-error"' in html
    assert f'href="#{field_id}"' in html  # the summary links to the field
    assert db.session.get(User, dummy_user.id).name == ""


def test_taken_nickname_is_refused(login, dummy_user, create_user, db):
    create_user("taken")
    response = login(dummy_user).post("/account/", data=profile_form(nickname="taken"))
    assert response.status_code == 422
    assert "This nickname is taken." in response.get_data(as_text=True)
    assert db.session.get(User, dummy_user.id).nickname == "dummy"


def test_nickname_taken_in_another_case_is_refused(login, dummy_user, create_user, db):
    create_user("Taken")
    response = login(dummy_user).post("/account/", data=profile_form(nickname="tAKEN"))
    assert response.status_code == 422
    assert "This nickname is taken." in response.get_data(as_text=True)
    assert db.session.get(User, dummy_user.id).nickname == "dummy"


def test_required_question_must_be_answered(login, dummy_user, questions, db):
    db.session.query(ProfileField).filter_by(key="age_band").one().required = True
    db.session.commit()
    response = login(dummy_user).post("/account/", data=profile_form())
    assert response.status_code == 422
    assert 'id="field-profile-age_band-error"' in response.get_data(as_text=True)


def test_requested_fields_are_explained_and_lead_back_to_the_action(
    login, dummy_user, questions, db
):
    client = login(dummy_user)
    url = "/account/?require=age_band,district&next=/processes/budget/"
    page = client.get(url).get_data(as_text=True)
    assert "the organisers ask you to answer" in page
    assert 'href="#field-profile-age_band"' in page
    assert 'href="#field-profile-district"' not in page  # already answered
    refused = client.post(url, data=profile_form(**{"profile-district": "Centre"}))
    assert refused.status_code == 422
    response = client.post(
        url, data=profile_form(**{"profile-district": "Centre", "profile-age_band": "60+"})
    )
    assert response.location == "/processes/budget/"
    assert db.session.get(User, dummy_user.id).profile["age_band"] == "60+"


def test_next_must_stay_on_the_site(login, dummy_user):
    response = login(dummy_user).post("/account/?next=https://evil.example/", data=profile_form())
    assert response.location == "/account/"


def test_notification_preferences_are_stored(login, dummy_user, db):
    client = login(dummy_user)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'value="immediate" selected' in page
    client.post("/account/notifications", data={"email": "daily", "newsletter": "1"})
    assert db.session.get(User, dummy_user.id).notification_settings == {
        "email": "daily",
        "newsletter": True,
    }


def test_unknown_notification_frequency_is_refused(login, dummy_user, db):
    response = login(dummy_user).post("/account/notifications", data={"email": "hourly"})
    assert response.status_code == 422
    assert 'id="field-email-error"' in response.get_data(as_text=True)
    assert db.session.get(User, dummy_user.id).notification_settings["email"] == "immediate"


def test_account_tabs_mark_the_current_page(login, dummy_user):
    html = login(dummy_user).get("/account/notifications").get_data(as_text=True)
    assert 'href="/account/notifications" aria-current="page"' in html
    assert '<nav aria-label="My account">' in html


def test_profile_page_queries_do_not_grow_with_questions(login, dummy_user, db, count_queries):
    client = login(dummy_user)
    db.session.add(ProfileField(key="q0", label="Question 0", type="text"))
    db.session.commit()
    with count_queries() as one:
        client.get("/account/")
    db.session.add_all(
        [ProfileField(key=f"q{n}", label=f"Question {n}", type="text") for n in range(1, 50)]
    )
    db.session.commit()
    with count_queries() as fifty:
        assert "Question 49" in client.get("/account/").get_data(as_text=True)
    assert len(one) == len(fifty)


def test_completing_the_profile_returns_to_the_refused_action_page(login, dummy_user, questions):
    client = login(dummy_user)
    page = client.get(
        "/account/?require=age_band", headers={"Referer": "http://localhost/processes/budget/"}
    ).get_data(as_text=True)
    assert 'action="/account/?require=age_band&amp;next=/processes/budget/"' in page
    response = client.post(
        "/account/?require=age_band&next=/processes/budget/",
        data=profile_form(**{"profile-age_band": "60+"}),
    )
    assert response.location == "/processes/budget/"


def test_referer_from_another_site_is_ignored(login, dummy_user, questions):
    page = (
        login(dummy_user)
        .get("/account/?require=age_band", headers={"Referer": "https://evil.example/x"})
        .get_data(as_text=True)
    )
    assert "evil" not in page
