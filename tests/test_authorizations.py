"""Authorization handlers: residency (declared or on the census), age, and the verify page."""

import pytest
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from brique.authorizations import authorization_of, census_hash, grant, handlers
from brique.models import Authorization, CensusEntry, SiteSettings
from brique.signals import user_authorized

SALT = "sel-de-guerande"


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def census(db):
    """The institution uploaded its census: two residents, identifiers stored salted."""
    db.session.add(SiteSettings(id=1, name="Ville", census_salt=SALT))
    db.session.add_all(
        [
            CensusEntry(
                identifier_hash=census_hash("AB 123", SALT), postal_code="45400", district="Centre"
            ),
            CensusEntry(
                identifier_hash=census_hash("CD456", SALT), postal_code="45000", district="Nord"
            ),
        ]
    )
    db.session.commit()


def residency():
    return handlers()["residency"]


def age():
    return handlers()["age"]


def messages(error):
    return error.value.messages


# --- residency -------------------------------------------------------------------------------


def test_without_a_census_residency_is_declared(dummy_user, db):
    authorization = grant(dummy_user, residency(), {"postal_code": " 45400 ", "district": "Centre"})
    db.session.commit()
    assert authorization.data == {
        "postal_code": "45400",
        "district": "Centre",
        "method": "declared",
    }
    assert authorization.unique_hash is None


def test_declared_residency_verifies_many_accounts_with_one_postal_code(create_user, db):
    for user in (create_user(), create_user()):
        grant(user, residency(), {"postal_code": "45400"})
    db.session.commit()
    assert db.session.query(Authorization).count() == 2


def test_a_resident_on_the_census_is_verified_with_what_the_census_says(census, dummy_user, db):
    authorization = grant(
        dummy_user, residency(), {"postal_code": "45400", "identifier": "ab123", "district": "X"}
    )
    db.session.commit()
    assert authorization.data == {"postal_code": "45400", "district": "Centre", "method": "census"}
    assert authorization.unique_hash == census_hash("AB123", SALT)


def test_census_identifiers_ignore_case_and_spaces():
    assert census_hash(" ab 1 23", SALT) == census_hash("AB123", SALT)
    assert census_hash("AB123", SALT) != census_hash("AB123", "another salt")


@pytest.mark.parametrize(
    "data",
    [
        {"postal_code": "45400", "identifier": "ZZ999"},  # not on the census
        {"postal_code": "45000", "identifier": "AB123"},  # on it, with another postal code
        {"postal_code": "45400", "identifier": ""},
    ],
)
def test_someone_not_on_the_census_is_not_verified(census, dummy_user, db, data):
    with pytest.raises(ValidationError) as error:
        grant(dummy_user, residency(), data)
    assert "We could not find you on the census" in messages(error)["identifier"][0]
    assert authorization_of(dummy_user, "residency") is None


def test_one_identity_verifies_one_account_only(census, create_user, db):
    first, second = create_user(), create_user()
    grant(first, residency(), {"postal_code": "45400", "identifier": "AB123"})
    db.session.commit()
    with pytest.raises(ValidationError) as error:
        grant(second, residency(), {"postal_code": "45400", "identifier": "ab 123"})
    assert messages(error) == ["These details already verified another account."]
    db.session.rollback()
    assert authorization_of(second, "residency") is None


def test_the_same_account_may_verify_again(census, dummy_user, db):
    grant(dummy_user, residency(), {"postal_code": "45400", "identifier": "AB123"})
    db.session.commit()
    grant(dummy_user, residency(), {"postal_code": "45400", "identifier": "AB123"})
    db.session.commit()
    assert db.session.query(Authorization).count() == 1


def test_the_database_refuses_one_identity_on_two_accounts(create_user, db):
    for user in (create_user(), create_user()):
        db.session.add(Authorization(user_id=user.id, handler="residency", unique_hash="same"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    ("recorded", "options", "code"),
    [
        ({"postal_code": "45400"}, {"postal_codes": ["45400", "45410"]}, None),
        ({"postal_code": "45400"}, {"postal_codes": ["45400"], "districts": []}, None),
        ({"postal_code": "45400"}, {}, None),  # no restriction
        ({"postal_code": "45000"}, {"postal_codes": ["45400"]}, "forbidden"),
        ({"postal_code": "45400", "district": "Nord"}, {"districts": ["Centre"]}, "forbidden"),
        ({"postal_code": "45400", "district": "Centre"}, {"districts": ["Centre"]}, None),
        ({"postal_code": "45400", "district": "CENTRE"}, {"districts": ["centre"]}, None),
        ({"postal_code": "45400"}, {"districts": ["Centre"]}, "forbidden"),
        (
            {"postal_code": "45400"},
            {"postal_codes": ["45400"], "districts": ["Centre"]},
            "forbidden",
        ),
        ({"postal_code": "45400", "district": "Centre"}, {"postal_codes": ["45000"]}, "forbidden"),
        ({"postal_code": "45400"}, {"postal_codes": ["45400 "]}, None),
    ],
)
def test_residency_options_restrict_postal_codes_and_districts(app, recorded, options, code):
    decision = residency().check_data(recorded, options)
    assert decision.allowed is (code is None)
    assert decision.code == (code or "")


# --- age -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_year", "options", "reason"),
    [
        (2010, {"min_age": 16}, None),  # 16 in 2026, the clock's year
        (2011, {"min_age": 16}, "This is open from the age of 16."),
        (2001, {"max_age": 25}, None),  # 25 in 2026
        (1990, {"max_age": 25}, "This is open up to the age of 25."),
        (1990, {"min_age": None, "max_age": None}, None),
    ],
)
def test_age_limits(app, birth_year, options, reason):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        decision = age().check_data({"birth_year": birth_year}, options)
    assert decision.allowed is (reason is None)
    assert decision.reason == (reason or "")


def test_a_birth_year_in_the_future_is_refused(dummy_user):
    with pytest.raises(ValidationError) as error:
        grant(dummy_user, age(), {"birth_year": 2027})
    assert list(messages(error)) == ["birth_year"]


def test_an_unverified_participant_is_sent_to_the_verify_page(app, dummy_user):
    decision = age().check(dummy_user, {"min_age": 16})
    assert decision.code == "verification_required"
    assert decision.url.endswith("/account/verify/age")


# --- the verify page -------------------------------------------------------------------------


@pytest.fixture
def participant(create_user):
    return create_user("camille", locale="en")


def test_a_participant_declares_residency_on_the_verify_page(participant, login, db):
    received = []
    user_authorized.connect(lambda sender, **kwargs: received.append((sender, kwargs)), weak=False)
    client = login(participant)
    page = client.get("/account/verify/residency")
    assert page.status_code == 200
    assert 'name="postal_code"' in page.get_data(as_text=True)
    response = client.post("/account/verify/residency", data={"postal_code": "45400"})
    assert response.status_code == 302 and response.location.startswith("/account/")
    row = db.session.scalar(select(Authorization).where(Authorization.user_id == participant.id))
    assert row.handler == "residency" and row.data["postal_code"] == "45400"
    assert received and received[-1][1] == {"handler": "residency"}
    assert "your residency is verified" in client.get(response.location).get_data(as_text=True)


def test_a_missing_postal_code_is_shown_next_to_the_field(participant, login, db):
    response = login(participant).post("/account/verify/residency", data={"postal_code": ""})
    body = response.get_data(as_text=True)
    assert 'id="field-postal_code-error"' in body and "This field is required." in body
    assert 'class="error-summary"' in body
    assert db.session.query(Authorization).count() == 0


def test_the_census_refusal_is_shown_next_to_the_identifier(census, participant, login, db):
    response = login(participant).post(
        "/account/verify/residency", data={"postal_code": "45400", "identifier": "nobody"}
    )
    body = response.get_data(as_text=True)
    assert 'id="field-identifier-error"' in body
    assert "We could not find you on the census" in body
    assert db.session.query(Authorization).count() == 0


def test_an_identity_used_by_another_account_is_refused_on_the_page(
    census, participant, create_user, login, db
):
    grant(create_user(), residency(), {"postal_code": "45400", "identifier": "AB123"})
    db.session.commit()
    response = login(participant).post(
        "/account/verify/residency", data={"postal_code": "45400", "identifier": "AB123"}
    )
    assert "These details already verified another account." in response.get_data(as_text=True)
    assert authorization_of(participant, "residency") is None


@pytest.mark.parametrize(
    ("birth_year", "error"),
    [("2030", "This year is in the future."), ("soon", "Enter a whole number."), ("", None)],
)
def test_a_wrong_birth_year_is_shown_in_the_form(participant, login, db, birth_year, error):
    response = login(participant).post("/account/verify/age", data={"birth_year": birth_year})
    body = response.get_data(as_text=True)
    assert 'id="field-birth_year-error"' in body
    if error:
        assert error in body
    assert db.session.query(Authorization).count() == 0


def test_a_participant_gives_a_birth_year_then_may_go_back_where_they_were(participant, login, db):
    response = login(participant).post(
        "/account/verify/age?next=/processes/budget/", data={"birth_year": "1990"}
    )
    assert response.status_code == 302 and response.location == "/processes/budget/"
    assert authorization_of(participant, "age").data == {"birth_year": 1990}


def test_the_verify_page_never_redirects_to_another_site(participant, login):
    response = login(participant).post(
        "/account/verify/age?next=https://evil.example/", data={"birth_year": "1990"}
    )
    assert response.location.startswith("/account/")


@pytest.mark.parametrize("handler", ["email", "france_connect"])
def test_handlers_without_a_form_have_no_verify_page(participant, login, handler):
    assert login(participant).get(f"/account/verify/{handler}").status_code == 404


def test_the_verify_page_needs_an_account(client):
    response = client.get("/account/verify/residency")
    assert response.status_code == 302 and "/login" in response.location
