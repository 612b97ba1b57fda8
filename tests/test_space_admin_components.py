"""Space administration: adding components, their settings and step settings, publishing,
ordering and removing them."""

import pytest
from sqlalchemy import select

from brique import signals
from brique.models import Component
from brique.testing import FROZEN_AT
from brique_tiny.models import Note
from tests.space_admin_support import ENGLISH, admin_url, give_role, received, text_of


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def officer(create_user, dummy_space):
    """An administrator of the dummy space (not of the platform)."""
    return give_role(create_user("officer"), dummy_space)


@pytest.fixture
def as_officer(login, officer):
    return login(officer)


@pytest.fixture
def tiny(dummy_space, create_component):
    return create_component(dummy_space, "tiny", name="Notes", published=False)


def component_url(component, path=""):
    return admin_url(component.space, f"components/{component.id}/{path}")


def components_of(db, space):
    return db.session.scalars(
        select(Component).where(Component.space_id == space.id).order_by(Component.position)
    ).all()


def test_add_a_component_lists_installed_types_with_their_description(as_officer, dummy_space):
    page = text_of(as_officer.get(admin_url(dummy_space, "components/new")))
    assert "Tiny notes" in page
    assert "Participants leave one short note." in page
    assert '<svg class="icon"' in page


def test_adding_a_component_creates_it_unpublished_with_defaults(as_officer, dummy_space, db):
    with received(signals.component_added) as added:
        response = as_officer.post(
            admin_url(dummy_space, "components/new"), data={"type": "tiny", "tiny-name": "Idées"}
        )
    assert response.status_code == 302
    (component,) = components_of(db, dummy_space)
    assert component.name == "Idées" and component.type == "tiny"
    assert not component.is_published
    assert component.settings == {"max_length": 140}
    assert set(component.step_settings) == {str(step.id) for step in dummy_space.steps}
    assert added == [(component.id, {})]
    assert response.location.endswith(component_url(component))


def test_adding_a_component_without_a_name_shows_the_error_in_its_card(as_officer, dummy_space, db):
    response = as_officer.post(
        admin_url(dummy_space, "components/new"), data={"type": "tiny", "tiny-name": ""}
    )
    assert response.status_code == 422
    assert 'id="field-tiny-name-error"' in text_of(response)
    assert components_of(db, dummy_space) == []


def test_unknown_component_type_cannot_be_added(as_officer, dummy_space, db):
    response = as_officer.post(
        admin_url(dummy_space, "components/new"), data={"type": "nope", "nope-name": "X"}
    )
    assert response.status_code == 400
    assert components_of(db, dummy_space) == []


def test_component_list_shows_type_name_state_and_order(as_officer, dummy_space, create_component):
    create_component(dummy_space, "tiny", name="Premières idées")
    create_component(dummy_space, "tiny", name="Secondes idées", published=False)
    page = text_of(as_officer.get(admin_url(dummy_space, "components/")))
    assert page.index("Premières idées") < page.index("Secondes idées")
    assert "Tiny notes" in page
    assert "Published" in page and "Draft" in page


def test_component_list_queries_do_not_grow_with_components(
    as_officer, dummy_space, create_component, count_queries
):
    create_component(dummy_space, "tiny")
    url = admin_url(dummy_space, "components/")
    with count_queries() as one:
        assert as_officer.get(url).status_code == 200
    for _ in range(49):
        create_component(dummy_space, "tiny")
    with count_queries() as fifty:
        assert as_officer.get(url).status_code == 200
    assert len(one) == len(fifty)


def test_settings_are_validated_by_the_type_schema(as_officer, tiny, db):
    with received(signals.settings_changed) as changed:
        response = as_officer.post(
            component_url(tiny), data={"name": "Notes", "settings-max_length": "5"}
        )
    assert response.status_code == 422
    page = text_of(response)
    assert "Enter a value from 10 to 140." in page
    assert 'id="field-settings-max_length-error"' in page
    assert 'href="#field-settings-max_length"' in page
    db.session.refresh(tiny)
    assert tiny.settings == {"max_length": 140}
    assert changed == []


def test_settings_and_name_are_saved_together(as_officer, tiny, db):
    with received(signals.settings_changed) as changed:
        response = as_officer.post(
            component_url(tiny), data={"name": "Vos notes", "settings-max_length": "80"}
        )
    assert response.status_code == 302
    db.session.refresh(tiny)
    assert tiny.name == "Vos notes" and tiny.settings == {"max_length": 80}
    assert changed == [(tiny.id, {"part": "settings"})]


def test_an_invalid_name_keeps_the_settings_unsaved(as_officer, tiny, db):
    response = as_officer.post(component_url(tiny), data={"name": "", "settings-max_length": "80"})
    assert response.status_code == 422
    assert 'value="80"' in text_of(response)
    db.session.refresh(tiny)
    assert tiny.settings == {"max_length": 140}


def test_step_settings_page_has_one_form_per_step(as_officer, tiny, dummy_space):
    page = text_of(as_officer.get(component_url(tiny, "steps")))
    for step in dummy_space.steps:
        assert f'action="{component_url(tiny, f"steps/{step.id}")}"' in page
        assert f'id="field-step-{step.id}-notes_open"' in page


def test_step_settings_are_saved_for_one_step(as_officer, tiny, dummy_space, db):
    step = dummy_space.steps[1]
    with received(signals.settings_changed) as changed:
        response = as_officer.post(
            component_url(tiny, f"steps/{step.id}"), data={f"step-{step.id}-notes_open": "1"}
        )
    assert response.status_code == 302
    db.session.refresh(tiny)
    assert tiny.step_settings[str(step.id)] == {"notes_open": True}
    assert changed == [(tiny.id, {"part": "step_settings"})]


def test_space_without_steps_edits_default_step_settings(
    as_admin_of_empty_space, create_component, db
):
    client, space = as_admin_of_empty_space
    component = create_component(space, "tiny")
    page = text_of(client.get(component_url(component, "steps")))
    assert "Default step settings" in page
    client.post(component_url(component, "steps/default"), data={"step-default-notes_open": "1"})
    db.session.refresh(component)
    assert component.default_step_settings == {"notes_open": True}


@pytest.fixture
def as_admin_of_empty_space(login, admin_user, create_space):
    return login(admin_user), create_space("Sans étapes")


def test_step_settings_of_an_unknown_step_are_not_found(as_officer, tiny):
    assert as_officer.post(component_url(tiny, "steps/999")).status_code == 404
    assert as_officer.post(component_url(tiny, "steps/default")).status_code == 404


def test_publishing_a_component_sends_component_published(as_officer, tiny, db):
    with received(signals.component_published) as published:
        as_officer.post(component_url(tiny, "publish"))
    db.session.refresh(tiny)
    assert tiny.is_published and published == [(tiny.id, {})]
    as_officer.post(component_url(tiny, "unpublish"))
    db.session.refresh(tiny)
    assert not tiny.is_published


def test_moving_components_changes_their_order(as_officer, dummy_space, create_component, db):
    first = create_component(dummy_space, "tiny", name="A")
    create_component(dummy_space, "tiny", name="B")
    create_component(dummy_space, "tiny", name="C")
    as_officer.post(component_url(first, "move"), data={"direction": "down"})
    assert [c.name for c in components_of(db, dummy_space)] == ["B", "A", "C"]
    as_officer.post(component_url(first, "move"), data={"direction": "up"})
    as_officer.post(component_url(first, "move"), data={"direction": "up"})  # already first
    assert [c.name for c in components_of(db, dummy_space)] == ["A", "B", "C"]


def test_removal_asks_confirmation_with_the_types_warning(as_officer, tiny, db):
    url, tiny_id, space = component_url(tiny, "remove"), tiny.id, tiny.space
    assert "Its notes are deleted." in text_of(as_officer.get(url))
    with received(signals.component_removed) as removed:
        response = as_officer.post(url)
    assert response.status_code == 302
    assert removed == [(tiny_id, {})]
    assert components_of(db, space) == []


def test_removing_a_component_deletes_its_content(as_officer, tiny, dummy_user, db):
    db.session.add(
        Note(component_id=tiny.id, author_id=dummy_user.id, title="x", created_at=FROZEN_AT)
    )
    db.session.commit()
    as_officer.post(component_url(tiny, "remove"))
    assert db.session.scalars(select(Note)).all() == []


def test_component_of_another_space_is_not_found(
    as_officer, dummy_space, create_space, create_component
):
    other = create_component(create_space(), "tiny")
    url = admin_url(dummy_space, f"components/{other.id}/")
    assert as_officer.get(url).status_code == 404


def test_admin_of_another_space_cannot_touch_components(create_user, login, tiny):
    stranger = create_user("stranger")
    client = login(stranger)
    assert client.get(component_url(tiny)).status_code == 403
    assert client.post(component_url(tiny, "publish")).status_code == 403
