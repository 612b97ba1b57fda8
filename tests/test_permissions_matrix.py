"""Who may do what, and why not: ``can()`` as a table of persons, moments and settings.

The tiny component's action ``leave_note`` is opened by the step setting
``notes_open``; in these tests only the CURRENT step of ``dummy_space`` opens
it (24 February to 11 March 2026, the clock stands on 1 March).
"""

from datetime import UTC, datetime, timedelta

import pytest

from brique.authorizations import grant, handlers
from brique.models import SpaceRole
from brique.permissions import can
from brique.testing import FROZEN_AT

DAY = timedelta(days=1)
BEFORE = FROZEN_AT - 10 * DAY  # in the past step: notes not open yet
DURING = FROZEN_AT  # in the current step: notes open
AFTER = FROZEN_AT + 15 * DAY  # in the upcoming step: notes closed for good

OPENS_ON = "This opens on February 24, 2026."
CLOSED_FOR_GOOD = "This is closed at this stage of the process."
LOG_IN = "Log in to take part."
CONFIRM = "Confirm your e-mail address to take part."
VERIFY_RESIDENCY = "Verify your residency to take part."
RESIDENTS_ONLY = "This is open to residents of 45400 only."

PEOPLE = (
    "anonymous",
    "unconfirmed",
    "participant",
    "verified",
    "moderator",
    "space_admin",
    "other_space_admin",
    "platform_admin",
)
RESIDENCY_45400 = {
    "leave_note": {"handlers": {"email": {}, "residency": {"postal_codes": ["45400"]}}}
}


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def people(people, db, create_user, create_space, dummy_space):
    """Everyone of the matrix, plus a member, residents of the town and of another one, and
    the administrator of another process."""
    found = dict(people)
    for name in ("verified", "elsewhere"):
        found[name] = create_user(name)
    for role, name, space in (
        ("member", "member", dummy_space),
        ("admin", "other_space_admin", create_space("Another process")),
    ):
        found[name] = create_user(name)
        db.session.add(SpaceRole(space=space, user=found[name], role=role))
    residency = handlers()["residency"]
    grant(found["verified"], residency, {"postal_code": "45400"})
    grant(found["elsewhere"], residency, {"postal_code": "45000"})
    db.session.commit()
    return found


@pytest.fixture
def notes(dummy_space, create_component):
    """Tiny notes, opened by the current step only."""
    return create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )


def notes_url(component):
    return f"/processes/{component.space.slug}/c/{component.id}/notes"


def assert_decision(decision, expected_code, expected_reason=None):
    if expected_code is None:
        assert decision.allowed, decision.reason
        assert decision.reason == ""
        return
    assert not decision.allowed
    assert decision.code == expected_code
    if expected_reason is not None:
        assert decision.reason == expected_reason


# --- leave_note before / during / after the opening step ------------------------------------

#: During the opening step, with the default requirement (a confirmed e-mail address).
DURING_STEP = {
    "anonymous": ("login_required", LOG_IN),
    "unconfirmed": ("unconfirmed", CONFIRM),
    "participant": (None, None),
    "verified": (None, None),
    "moderator": (None, None),
    "space_admin": (None, None),
    "other_space_admin": (None, None),
    "platform_admin": (None, None),
}


@pytest.mark.parametrize("person", PEOPLE)
def test_nobody_leaves_a_note_before_the_opening_step_and_is_told_when_it_opens(
    person, people, notes, clock, login
):
    clock.set(BEFORE)
    assert_decision(can(people[person], "leave_note", notes), "closed", OPENS_ON)
    client = login(people[person])
    assert client.post(notes_url(notes), data={"title": "Too early"}).status_code == 403


@pytest.mark.parametrize(("person", "expected"), DURING_STEP.items())
def test_who_leaves_a_note_during_the_opening_step(person, expected, people, notes, clock, login):
    clock.set(DURING)
    assert_decision(can(people[person], "leave_note", notes), *expected)
    client = login(people[person])
    response = client.post(notes_url(notes), data={"title": "Plus d'arbres"})
    assert response.status_code == (302 if expected[0] is None else 403)


@pytest.mark.parametrize("person", PEOPLE)
def test_nobody_leaves_a_note_after_the_opening_step(person, people, notes, clock, login):
    clock.set(AFTER)
    assert_decision(can(people[person], "leave_note", notes), "closed", CLOSED_FOR_GOOD)
    client = login(people[person])
    assert client.post(notes_url(notes), data={"title": "Too late"}).status_code == 403


def test_the_opening_date_is_shown_in_the_institutions_timezone(
    create_space, create_component, clock
):
    # 23:30 UTC on 9 March is already 10 March in Paris.
    opening = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    space = create_space(steps=[(FROZEN_AT - DAY, opening), (opening, opening + 5 * DAY)])
    component = create_component(
        space, "tiny", step_settings={space.steps[1]: {"notes_open": True}}
    )
    assert can(None, "leave_note", component).reason == "This opens on March 10, 2026."


def test_refusals_say_where_to_lift_them(people, notes):
    login_needed = can(None, "leave_note", notes)
    assert login_needed.url.endswith("/login") and login_needed.url_label == "Log in"
    unconfirmed = can(people["unconfirmed"], "leave_note", notes)
    assert unconfirmed.url.endswith("/confirm") and unconfirmed.url_label == "Send the link again"


def test_a_pinned_step_decides_whatever_the_clock_says(people, notes, dummy_space, db, clock):
    dummy_space.steps[0].pinned = True
    db.session.commit()
    assert_decision(can(people["participant"], "leave_note", notes), "closed", CLOSED_FOR_GOOD)
    dummy_space.steps[0].pinned = False
    dummy_space.steps[1].pinned = True
    db.session.commit()
    clock.set(AFTER)
    assert can(people["participant"], "leave_note", notes)


def test_the_notes_page_explains_a_refusal_and_offers_the_form_when_allowed(
    people, notes, login, clock
):
    page_url = notes_url(notes).removesuffix("notes")
    anonymous = login(None).get(page_url)
    assert anonymous.status_code == 200
    body = anonymous.get_data(as_text=True)
    assert LOG_IN in body and 'name="title"' not in body
    participant = login(people["participant"]).get(page_url).get_data(as_text=True)
    assert 'name="title"' in participant


# --- requirements the admin sets on the action ------------------------------------------


#: During the opening step, when leaving a note needs residency in 45400.
RESIDENCY_REQUIRED = {
    "anonymous": ("login_required", LOG_IN),
    "unconfirmed": ("unconfirmed", CONFIRM),
    "participant": ("verification_required", VERIFY_RESIDENCY),
    "verified": (None, None),
    "elsewhere": ("forbidden", RESIDENTS_ONLY),
    # Roles give no exemption from what the admin requires of participants.
    "moderator": ("verification_required", VERIFY_RESIDENCY),
    "space_admin": ("verification_required", VERIFY_RESIDENCY),
    "platform_admin": ("verification_required", VERIFY_RESIDENCY),
}


@pytest.mark.parametrize(("person", "expected"), RESIDENCY_REQUIRED.items())
def test_residency_in_the_allowed_postal_codes_is_required(
    person, expected, people, dummy_space, create_component, login
):
    component = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        permissions=RESIDENCY_45400,
    )
    decision = can(people[person], "leave_note", component)
    assert_decision(decision, *expected)
    if expected[0] == "verification_required":
        assert decision.url.endswith("/account/verify/residency")
    response = login(people[person]).post(notes_url(component), data={"title": "Une idée"})
    assert response.status_code == (302 if expected[0] is None else 403)


@pytest.mark.parametrize(
    ("birth_year", "expected"),
    [
        (None, ("verification_required", "Verify your age to take part.")),
        (2011, ("forbidden", "This is open from the age of 16.")),  # 15 in 2026
        (2010, (None, None)),  # 16 in 2026
        (1950, (None, None)),
    ],
)
def test_a_minimum_age_is_required(
    birth_year, expected, dummy_user, dummy_space, create_component, db
):
    component = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        permissions={"leave_note": {"handlers": {"email": {}, "age": {"min_age": 16}}}},
    )
    if birth_year is not None:
        grant(dummy_user, handlers()["age"], {"birth_year": birth_year})
        db.session.commit()
    assert_decision(can(dummy_user, "leave_note", component), *expected)


@pytest.mark.parametrize(
    ("profile", "expected_code"),
    [
        ({}, "profile_incomplete"),
        ({"district": "Centre"}, "profile_incomplete"),
        ({"district": "Centre", "age_band": "25-34"}, None),
    ],
)
def test_required_profile_fields_must_be_filled_in(
    profile, expected_code, create_user, dummy_space, create_component
):
    participant = create_user(profile=profile)
    component = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        permissions={
            "leave_note": {"handlers": {"email": {}}, "profile_fields": ["district", "age_band"]}
        },
    )
    decision = can(participant, "leave_note", component)
    assert_decision(decision, expected_code)
    if expected_code:
        assert decision.reason == "Complete your profile to take part."
        assert "require=" in decision.url and "age_band" in decision.url


def test_requiring_profile_fields_alone_still_requires_a_confirmed_address(
    people, dummy_space, create_component
):
    component = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        permissions={"leave_note": {"profile_fields": ["district"]}},
    )
    assert_decision(can(people["unconfirmed"], "leave_note", component), "unconfirmed", CONFIRM)


def test_an_admin_may_explicitly_drop_every_verification(people, dummy_space, create_component):
    component = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        permissions={"leave_note": {"handlers": {}}},
    )
    assert can(people["unconfirmed"], "leave_note", component)


def test_a_requirement_on_an_uninstalled_handler_refuses_everyone(
    people, dummy_space, create_component
):
    component = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        permissions={"leave_note": {"handlers": {"france_connect": {}}}},
    )
    decision = can(people["platform_admin"], "leave_note", component)
    assert_decision(
        decision, "forbidden", "This action needs a verification that is not available."
    )


# --- the component's own rule -----------------------------------------------------------


def test_the_components_own_rule_is_asked_last(people, dummy_space, create_component, login):
    paused = create_component(
        dummy_space,
        "tiny",
        settings={"max_length": 10},
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
    )
    assert_decision(
        can(people["participant"], "leave_note", paused),
        "limit",
        "Notes are paused by the organisers.",
    )
    assert_decision(can(None, "leave_note", paused), "login_required")
    assert (
        login(people["participant"]).post(notes_url(paused), data={"title": "Hi"}).status_code
        == 403
    )


# --- a space without steps --------------------------------------------------------------


@pytest.mark.parametrize(
    ("defaults", "expected"),
    [({"notes_open": True}, (None, None)), ({}, ("closed", "This is closed."))],
)
def test_a_space_without_steps_uses_the_default_step_settings(
    defaults, expected, people, create_space, create_component, clock
):
    space = create_space("No timeline")
    component = create_component(space, "tiny", default_step_settings=defaults)
    for moment in (BEFORE, DURING, AFTER):
        clock.set(moment)
        assert_decision(can(people["participant"], "leave_note", component), *expected)


# --- space-level actions ----------------------------------------------------------------

#: A published public space.
SPACE_ACTIONS = {
    #                    view   admin  moderate valuate
    "anonymous":         (True, False, False, False),
    "unconfirmed":       (True, False, False, False),
    "participant":       (True, False, False, False),
    "member":            (True, False, False, False),
    "moderator":         (True, False, True, False),
    "valuator":          (True, False, False, True),
    "space_admin":       (True, True, True, True),
    "other_space_admin": (True, False, False, False),
    "platform_admin":    (True, True, True, True),
}  # fmt: skip


@pytest.mark.parametrize(("person", "expected"), SPACE_ACTIONS.items())
def test_space_actions_follow_the_role_in_the_space(person, expected, people, dummy_space):
    for action, allowed in zip(("view", "admin", "moderate", "valuate"), expected, strict=True):
        decision = can(people[person], action, dummy_space)
        assert decision.allowed is allowed, action
        if not allowed:
            assert decision.code == "forbidden"


#: Who sees a private space, an unpublished space and an unpublished component.
VISIBILITY = {
    #                    private  draft space  draft component
    "anonymous":         (False, False, False),
    "unconfirmed":       (False, False, False),
    "participant":       (False, False, False),
    "member":            (True, False, False),
    "moderator":         (True, True, False),
    "valuator":          (True, True, False),
    "space_admin":       (True, True, True),
    "other_space_admin": (False, False, False),
    "platform_admin":    (True, True, True),
}  # fmt: skip


@pytest.mark.parametrize(("person", "expected"), VISIBILITY.items())
def test_private_and_unpublished_things_are_not_found_for_others(
    person, expected, people, dummy_space, create_component, db, login
):
    sees_private, sees_draft_space, sees_draft_component = expected
    draft_component = create_component(dummy_space, "tiny", published=False)
    assert can(people[person], "view", draft_component).allowed is sees_draft_component
    dummy_space.is_private = True
    db.session.commit()
    assert can(people[person], "view", dummy_space).allowed is sees_private
    dummy_space.published_at = None
    db.session.commit()
    decision = can(people[person], "view", dummy_space)
    assert decision.allowed is sees_draft_space
    if not decision.allowed:
        assert decision.code == "not_found"
    response = login(people[person]).get(f"/processes/{dummy_space.slug}/")
    assert response.status_code == (200 if sees_draft_space else 404)


@pytest.mark.parametrize(
    ("person", "expected"),
    [("anonymous", 404), ("participant", 404), ("member", 200), ("space_admin", 200)],
)
def test_a_private_spaces_components_are_for_its_members(
    person, expected, people, dummy_space, notes, db, login
):
    dummy_space.is_private = True
    db.session.commit()
    page = login(people[person]).get(notes_url(notes).removesuffix("notes"))
    assert page.status_code == expected
    decision = can(people[person], "leave_note", notes)
    if expected == 404:
        assert_decision(decision, "not_found", "This process is open to its members only.")
    else:
        assert decision.allowed


@pytest.mark.parametrize("person", ["space_admin", "platform_admin"])
def test_staff_preview_an_unpublished_component_but_cannot_act_in_it(
    person, people, dummy_space, create_component, login
):
    draft = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        published=False,
    )
    assert can(people[person], "view", draft)
    assert_decision(
        can(people[person], "leave_note", draft), "closed", "This is not open to participants yet."
    )
    client = login(people[person])
    assert client.get(notes_url(draft).removesuffix("notes")).status_code == 200
    assert client.post(notes_url(draft), data={"title": "Preview"}).status_code == 403


@pytest.mark.parametrize("person", ["anonymous", "participant", "moderator"])
def test_others_do_not_find_an_unpublished_component(
    person, people, dummy_space, create_component, login
):
    draft = create_component(dummy_space, "tiny", published=False)
    assert_decision(can(people[person], "view", draft), "not_found")
    assert login(people[person]).get(notes_url(draft).removesuffix("notes")).status_code == 404


@pytest.mark.parametrize(
    ("person", "allowed"),
    [("participant", False), ("moderator", False), ("space_admin", True), ("platform_admin", True)],
)
def test_only_the_spaces_admins_administer_its_components(person, allowed, people, notes):
    assert can(people[person], "admin", notes).allowed is allowed


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", (False, False, False)),
        ("participant", (False, False, False)),
        ("moderator", (False, False, True)),
        ("other_space_admin", (False, False, True)),
        ("platform_admin", (True, True, True)),
    ],
)
def test_platform_actions(person, expected, people):
    for action, allowed in zip(("admin", "create_space", "enter_admin"), expected, strict=True):
        assert can(people[person], action).allowed is allowed, action


def test_a_deleted_account_is_treated_as_anonymous(people, notes, dummy_space, db):
    people["space_admin"].deleted_at = FROZEN_AT
    db.session.commit()
    assert_decision(can(people["space_admin"], "leave_note", notes), "login_required")
    assert not can(people["space_admin"], "admin", dummy_space)


def test_unknown_actions_are_programming_errors(people, notes, dummy_space):
    with pytest.raises(ValueError, match="no action 'fly'"):
        can(people["participant"], "fly", notes)
    with pytest.raises(ValueError, match="unknown action 'fly'"):
        can(people["participant"], "fly", dummy_space)
    with pytest.raises(TypeError):
        can(people["participant"], "view", object())
