"""Platform admins define the profile fields participants answer."""

import pytest

from brique.models import ProfileField


@pytest.fixture
def admin_user(create_user):
    return create_user("admin", admin=True, locale="en")


@pytest.fixture
def age_band(db):
    field = ProfileField(
        key="age_band", label="Age band", type="choice", choices=["16-25", "26-60", "60+"]
    )
    db.session.add(field)
    db.session.commit()
    return field


AGE_BAND_FORM = {
    "key": "age_band",
    "label": "Age band",
    "type": "choice",
    "choices": "16-25, 26-60, 60+",
    "at_signup": "1",
    "required": "1",
    "position": "2",
}


def test_admin_adds_a_choice_field(login, admin_user, db):
    response = login(admin_user).post("/admin/profile-fields/new", data=AGE_BAND_FORM)
    assert response.status_code == 302
    field = db.session.query(ProfileField).one()
    assert (field.key, field.choices, field.at_signup, field.required, field.position) == (
        "age_band",
        ["16-25", "26-60", "60+"],
        True,
        True,
        2,
    )


@pytest.mark.parametrize(
    ("change", "field_name"),
    [
        ({"key": "Age Band"}, "key"),
        ({"label": ""}, "label"),
        ({"type": "date"}, "type"),
        ({"choices": "only one"}, "choices"),
        ({"choices": "a, A"}, "choices"),
        ({"position": "-1"}, "position"),
    ],
)
def test_invalid_field_is_refused_next_to_the_field(login, admin_user, db, change, field_name):
    response = login(admin_user).post("/admin/profile-fields/new", data={**AGE_BAND_FORM, **change})
    assert response.status_code == 422
    assert f'id="field-{field_name}-error"' in response.get_data(as_text=True)
    assert db.session.query(ProfileField).count() == 0


def test_key_must_be_unique(login, admin_user, age_band, db):
    response = login(admin_user).post("/admin/profile-fields/new", data=AGE_BAND_FORM)
    assert response.status_code == 422
    assert "Another profile field already uses this key." in response.get_data(as_text=True)
    assert db.session.query(ProfileField).count() == 1


def test_text_field_keeps_no_choices(login, admin_user, db):
    login(admin_user).post(
        "/admin/profile-fields/new",
        data={**AGE_BAND_FORM, "key": "job", "type": "text", "choices": "a, b"},
    )
    assert db.session.query(ProfileField).one().choices == []


def test_editing_keeps_the_key(login, admin_user, age_band, db):
    login(admin_user).post(
        f"/admin/profile-fields/{age_band.id}",
        data={**AGE_BAND_FORM, "key": "renamed", "label": "Your age"},
    )
    db.session.refresh(age_band)
    assert (age_band.key, age_band.label) == ("age_band", "Your age")


def test_deleting_a_field_erases_the_answers(login, admin_user, age_band, create_user, db):
    person = create_user(profile={"age_band": "60+", "district": "Centre"})
    login(admin_user).post(f"/admin/profile-fields/{age_band.id}/delete")
    assert db.session.query(ProfileField).count() == 0
    db.session.refresh(person)
    assert person.profile == {"district": "Centre"}


@pytest.mark.with_plugins("tiny")
def test_field_required_by_a_component_cannot_be_deleted(
    login, admin_user, age_band, dummy_space, create_component, db
):
    create_component(
        dummy_space, "tiny", permissions={"leave_note": {"profile_fields": ["age_band"]}}
    )
    response = login(admin_user).post(f"/admin/profile-fields/{age_band.id}/delete")
    assert response.status_code == 409
    assert "Budget participatif" in response.get_data(as_text=True)
    assert db.session.query(ProfileField).count() == 1


def test_profile_field_list_queries_do_not_grow(login, admin_user, db, count_queries):
    client = login(admin_user)
    db.session.add(ProfileField(key="f0", label="Field 0", type="text"))
    db.session.commit()
    with count_queries() as one:
        client.get("/admin/profile-fields/")
    db.session.add_all(
        [ProfileField(key=f"f{n}", label=f"Field {n}", type="text") for n in range(1, 50)]
    )
    db.session.commit()
    with count_queries() as fifty:
        assert "Field 49" in client.get("/admin/profile-fields/").get_data(as_text=True)
    assert len(one) == len(fifty)
