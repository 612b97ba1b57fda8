"""The tiny component, installed by entry point, proves the plugin contract end to end."""

from datetime import timedelta

import pytest

from brique.testing import FROZEN_AT


@pytest.fixture
def notes(dummy_space, create_component):
    current = dummy_space.steps[1]
    return create_component(dummy_space, "tiny", step_settings={current: {"notes_open": True}})


def test_installed_plugin_is_discovered_and_enabled(app):
    info = app.extensions["brique"].plugins["tiny"]
    assert info.enabled and info.distribution == "brique-tiny"
    assert "register_component_types" in info.hooks


def test_participant_leaves_a_note_while_the_step_opens_notes(notes, dummy_user, login):
    client = login(dummy_user)
    page = client.get(f"/processes/{notes.space.slug}/c/{notes.id}/")
    assert page.status_code == 200
    response = client.post(
        f"/processes/{notes.space.slug}/c/{notes.id}/notes", data={"title": "Plus d'arbres"}
    )
    assert response.status_code == 302
    assert "Plus d&#39;arbres" in client.get(response.location).get_data(as_text=True)


def test_note_is_refused_once_the_step_is_over(notes, dummy_user, login, clock):
    clock.set(FROZEN_AT + timedelta(days=11))
    client = login(dummy_user)
    response = client.post(
        f"/processes/{notes.space.slug}/c/{notes.id}/notes", data={"title": "Trop tard"}
    )
    assert response.status_code == 403


def test_page_queries_do_not_grow_with_notes(notes, create_user, db, client, count_queries):
    from brique_tiny.models import Note

    def add_notes(count):
        for _ in range(count):
            db.session.add(
                Note(
                    component_id=notes.id,
                    author_id=create_user().id,
                    title="idée",
                    created_at=FROZEN_AT,
                )
            )
        db.session.commit()

    url = f"/processes/{notes.space.slug}/c/{notes.id}/"
    add_notes(1)
    with count_queries() as one:
        client.get(url)
    add_notes(49)
    with count_queries() as fifty:
        client.get(url)
    assert len(one) == len(fifty)
