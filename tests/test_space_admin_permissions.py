"""Space administration: what each action of a component requires of participants."""

import pytest

from brique import signals
from brique.models import ProfileField
from brique.permissions import can
from tests.space_admin_support import ENGLISH, admin_url, give_role, received, text_of


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def tiny(dummy_space, create_component):
    current = dummy_space.steps[1]
    return create_component(dummy_space, "tiny", step_settings={current: {"notes_open": True}})


@pytest.fixture
def as_officer(login, create_user, dummy_space):
    return login(give_role(create_user("officer"), dummy_space))


@pytest.fixture
def age_band(db):
    field = ProfileField(key="age_band", label="Age band", choices=["16-24", "25+"])
    db.session.add(field)
    db.session.commit()
    return field


def url(component):
    return admin_url(component.space, f"components/{component.id}/permissions")


def test_never_configured_action_shows_email_checked(as_officer, tiny):
    page = text_of(as_officer.get(url(tiny)))
    assert "Leave a note" in page
    assert 'name="leave_note-handlers" value="email" checked' in page
    assert 'name="leave_note-handlers" value="residency" aria' in page
    assert 'id="field-leave_note-residency-postal_codes"' in page
    assert 'id="field-leave_note-age-min_age"' in page


def test_handlers_with_options_and_profile_fields_are_stored_as_permissions_reads_them(
    as_officer, tiny, age_band, db
):
    data = {
        "leave_note-handlers": ["email", "residency", "age"],
        "leave_note-residency-postal_codes": "45400, 45410",
        "leave_note-residency-districts": "",
        "leave_note-age-min_age": "16",
        "leave_note-age-max_age": "",
        "leave_note-profile_fields": ["age_band"],
    }
    with received(signals.settings_changed) as changed:
        response = as_officer.post(url(tiny), data=data)
    assert response.status_code == 302
    db.session.refresh(tiny)
    assert tiny.permissions["leave_note"] == {
        "handlers": {
            "email": {},
            "residency": {"postal_codes": ["45400", "45410"], "districts": []},
            "age": {"min_age": 16, "max_age": None},
        },
        "profile_fields": ["age_band"],
    }
    assert changed == [(tiny.id, {"part": "permissions"})]
    page = text_of(as_officer.get(url(tiny)))
    assert 'value="45400, 45410"' in page
    assert 'value="age_band" checked' in page


def test_unchecking_every_handler_opens_the_action_to_any_logged_in_user(
    as_officer, tiny, create_user, db
):
    as_officer.post(url(tiny), data={})
    db.session.refresh(tiny)
    assert tiny.permissions["leave_note"] == {"handlers": {}, "profile_fields": []}
    unconfirmed = create_user("newcomer", confirmed=False)
    assert can(unconfirmed, "leave_note", tiny)


def test_stored_requirements_are_enforced_by_can(as_officer, tiny, dummy_user, db):
    data = {"leave_note-handlers": ["residency"], "leave_note-residency-postal_codes": "45400"}
    as_officer.post(url(tiny), data=data)
    db.session.refresh(tiny)
    decision = can(dummy_user, "leave_note", tiny)
    assert not decision and decision.code == "verification_required"


def test_invalid_options_are_shown_next_to_the_field_and_nothing_saved(as_officer, tiny, db):
    data = {"leave_note-handlers": ["age"], "leave_note-age-min_age": "200"}
    response = as_officer.post(url(tiny), data=data)
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="field-leave_note-age-min_age-error"' in page
    assert 'href="#field-leave_note-age-min_age"' in page
    assert 'name="leave_note-handlers" value="age" checked' in page
    db.session.refresh(tiny)
    assert tiny.permissions == {}


def test_unknown_handler_or_profile_field_is_refused(as_officer, tiny, db):
    data = {"leave_note-handlers": ["fingerprint"], "leave_note-profile_fields": ["shoe_size"]}
    response = as_officer.post(url(tiny), data=data)
    assert response.status_code == 422
    assert "This verification is not available." in text_of(response)
    assert "Choose among the profile fields listed." in text_of(response)
    db.session.refresh(tiny)
    assert tiny.permissions == {}


def test_participants_cannot_see_permissions(login, dummy_user, tiny):
    assert login(dummy_user).get(url(tiny)).status_code == 403
