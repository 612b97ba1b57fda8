"""Space administration: copying a space, exporting its configuration as a process file and
creating a space from one (the institution's process templates)."""

import json
from io import BytesIO

import pytest
from sqlalchemy import select

from brique import signals
from brique.models import Category, Scope, Space
from brique.space_admin.transfer import TransferError, export_space, import_space
from tests.space_admin_support import ENGLISH, admin_url, give_role, received, text_of


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def configured(dummy_space, create_component, db):
    """The dummy space with a territory, categories and a configured tiny component."""
    city = Scope(name="Beaulieu", code="45400")
    mobility = Category(name="Mobilité", description="Bus")
    dummy_space.scope = city
    dummy_space.objectives = "Investir ensemble"
    dummy_space.categories = [mobility, Category(name="Vélo", parent=mobility)]
    db.session.commit()
    steps = dummy_space.steps
    create_component(
        dummy_space,
        "tiny",
        name="Notes",
        settings={"max_length": 50},
        step_settings={steps[1]: {"notes_open": True}, steps[2]: {"notes_open": False}},
        permissions={
            "leave_note": {
                "handlers": {"age": {"min_age": 16, "max_age": None}},
                "profile_fields": [],
            }
        },
    )
    return dummy_space


def space_named(db, slug):
    return db.session.scalar(select(Space).where(Space.slug == slug))


def upload(document, name="bp.json"):
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return (BytesIO(content), name)


def test_export_downloads_the_configuration_as_json(login, create_user, configured):
    officer = give_role(create_user("officer"), configured)
    response = login(officer).get(admin_url(configured, "export"))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert document["format"] == "brique-space" and document["version"] == 1
    assert document["space"]["objectives"] == "Investir ensemble"
    assert document["space"]["scope"] == {"name": "Beaulieu", "code": "45400"}
    assert [step["title"] for step in document["steps"]] == ["Step 1", "Step 2", "Step 3"]
    assert document["categories"] == [
        {
            "name": "Mobilité",
            "description": "Bus",
            "subcategories": [{"name": "Vélo", "description": ""}],
        }
    ]
    (component,) = document["components"]
    assert component["settings"] == {"max_length": 50}
    assert component["step_settings"] == {
        "0": {"notes_open": False},
        "1": {"notes_open": True},
        "2": {"notes_open": False},
    }
    assert component["permissions"]["leave_note"]["handlers"] == {
        "age": {"min_age": 16, "max_age": None}
    }


def test_export_holds_no_content_and_no_roles(login, create_user, configured):
    officer = give_role(create_user("officer"), configured)
    text = login(officer).get(admin_url(configured, "export")).get_data(as_text=True)
    assert "officer" not in text and "roles" not in text


def test_import_round_trip_recreates_the_configuration(login, admin_user, configured, db):
    client = login(admin_user)
    document = json.loads(client.get(admin_url(configured, "export")).data)
    with received(signals.space_created) as created:
        response = client.post(
            "/admin/processes/import",
            data={"file": upload(document), "slug": "bp-2027", "title": "BP 2027"},
            content_type="multipart/form-data",
        )
    assert response.status_code == 302
    space = space_named(db, "bp-2027")
    assert created == [(space.id, {})]
    assert_same_configuration(space, configured, title="BP 2027")


def assert_same_configuration(new, original, title):
    assert new.title == title and not new.is_published
    assert new.objectives == original.objectives and new.scope_id == original.scope_id
    assert [(s.title, s.start_at, s.end_at) for s in new.steps] == [
        (s.title, s.start_at, s.end_at) for s in original.steps
    ]
    assert not any(step.pinned for step in new.steps)
    assert sorted((c.name, c.parent.name if c.parent else None) for c in new.categories) == [
        ("Mobilité", None),
        ("Vélo", "Mobilité"),
    ]
    (component,) = new.components
    assert not component.is_published
    assert component.settings == {"max_length": 50}
    assert component.step_settings == {
        str(new.steps[0].id): {"notes_open": False},
        str(new.steps[1].id): {"notes_open": True},
        str(new.steps[2].id): {"notes_open": False},
    }
    assert component.permissions == original.components[0].permissions
    assert new.roles == []


def test_copy_remaps_step_settings_to_the_new_steps(login, admin_user, configured, db):
    give_role(admin_user, configured, "moderator")
    response = login(admin_user).post(
        admin_url(configured, "copy"), data={"title": "Copie", "slug": "copie"}
    )
    assert response.status_code == 302
    assert response.location.endswith("/admin/processes/copie/")
    copy = space_named(db, "copie")
    assert_same_configuration(copy, configured, title="Copie")
    assert {int(key) for key in copy.components[0].step_settings}.isdisjoint(
        step.id for step in configured.steps
    )


def test_copy_needs_a_free_slug(login, admin_user, configured, db):
    response = login(admin_user).post(
        admin_url(configured, "copy"), data={"title": "Copie", "slug": configured.slug}
    )
    assert response.status_code == 422
    assert "already uses this address" in text_of(response)
    assert len(db.session.scalars(select(Space)).all()) == 1


def test_copy_duplicates_the_hero_image_file(login, admin_user, configured, db, app):
    from pathlib import Path

    from brique import uploads

    configured.hero_image = uploads.store(b"\x89PNG\r\n\x1a\nimage", "png", uploads.HERO_IMAGES)
    db.session.commit()
    login(admin_user).post(admin_url(configured, "copy"), data={"title": "C", "slug": "c"})
    copy = space_named(db, "c")
    assert copy.hero_image and copy.hero_image != configured.hero_image
    assert (Path(app.config["UPLOAD_PATH"]) / copy.hero_image).exists()


def test_space_admins_cannot_copy_or_import(login, create_user, configured):
    client = login(give_role(create_user("officer"), configured))
    assert client.get(admin_url(configured, "copy")).status_code == 403
    assert client.get("/admin/processes/import").status_code == 403


def post_file(client, document, slug="nouveau"):
    return client.post(
        "/admin/processes/import",
        data={"file": upload(document), "slug": slug, "title": ""},
        content_type="multipart/form-data",
    )


@pytest.fixture
def exported(configured):
    return json.loads(json.dumps(export_space(configured), default=str))


def test_unknown_component_type_says_which_is_not_installed(login, admin_user, exported, db):
    exported["components"][0]["type"] = "sortition"
    response = post_file(login(admin_user), exported)
    assert response.status_code == 422
    assert "the component type “sortition” is not installed on this site." in text_of(response)
    assert space_named(db, "nouveau") is None


def test_settings_in_the_file_are_validated_by_the_type_schema(login, admin_user, exported, db):
    exported["components"][0]["settings"]["max_length"] = 5
    response = post_file(login(admin_user), exported)
    assert response.status_code == 422
    assert "settings / max_length: Enter a value from 10 to 140." in text_of(response)
    assert space_named(db, "nouveau") is None


def test_file_that_is_not_json_is_refused(login, admin_user, db):
    response = post_file(login(admin_user), b"\x00not json")
    assert response.status_code == 422
    assert "This file is not a JSON process file." in text_of(response)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "This is not a Brique process file."),
        (lambda d: d.update(version=9), "cannot read"),
        (lambda d: d["steps"][1].update(start_at=d["steps"][0]["start_at"]), "overlap"),
        (lambda d: d["space"].update(title=""), "space / title"),
        (
            lambda d: d["components"][0]["permissions"]["leave_note"]["handlers"].update(x={}),
            "the verification “x” is not installed.",
        ),
        (
            lambda d: d["components"][0]["step_settings"].update({"7": {}}),
            "The file has no such step.",
        ),
    ],
)
def test_invalid_files_are_refused_with_a_clear_message(
    login, admin_user, exported, db, change, message
):
    change(exported)
    response = post_file(login(admin_user), exported)
    assert response.status_code == 422
    assert message in text_of(response)
    assert space_named(db, "nouveau") is None


def test_import_needs_a_file_and_a_free_slug(login, admin_user, configured, db):
    response = login(admin_user).post(
        "/admin/processes/import",
        data={"slug": configured.slug},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="field-file-error"' in page and 'id="field-slug-error"' in page


def test_transfer_functions_need_no_request(app, configured, db):
    document = json.loads(json.dumps(export_space(configured), default=str))
    space = import_space(document, slug="from-cli")
    db.session.commit()
    assert space.title == configured.title and len(space.components) == 1
    with pytest.raises(TransferError) as error:
        import_space(document, slug="from-cli")
    assert "already uses the address" in error.value.messages[0]
