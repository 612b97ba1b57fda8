"""Moderators hide content of their space from its page, whether or not anyone reported it."""

from sqlalchemy import select

from brique.models import ActionLogEntry, Moderation, SpaceRole


def note_in(db, space, create_component, author):
    from brique.clock import now
    from brique_tiny.models import Note

    component = create_component(
        space, "tiny", step_settings={space.steps[1]: {"notes_open": True}}
    )
    note = Note(component_id=component.id, author_id=author.id, title="Hello", created_at=now())
    db.session.add(note)
    db.session.commit()
    return component, note


def hide_url(space, note):
    return f"/admin/processes/{space.slug}/moderation/hide/tiny.note/{note.id}"


def test_a_moderator_hides_an_unreported_note_and_it_is_logged(
    db, client, login, dummy_space, create_component, create_user
):
    author, moderator = create_user(), create_user()
    db.session.add(SpaceRole(space=dummy_space, user=moderator, role="moderator"))
    component, note = note_in(db, dummy_space, create_component, author)
    page = f"/processes/{dummy_space.slug}/c/{component.id}/notes/{note.id}"
    login(moderator)
    assert hide_url(dummy_space, note) in client.get(page).get_data(as_text=True)
    response = client.post(hide_url(dummy_space, note))
    assert response.status_code == 303
    moderation = db.session.scalar(select(Moderation).filter_by(target_id=note.id))
    assert moderation.hidden_at is not None and moderation.decision == "hide"
    verbs = db.session.scalars(select(ActionLogEntry.verb)).all()
    assert "moderation.hide" in verbs
    login(author)
    assert hide_url(dummy_space, note) not in client.get(page).get_data(as_text=True)


def test_a_participant_cannot_hide_content(
    db, client, login, dummy_space, create_component, create_user
):
    author, other = create_user(), create_user()
    _, note = note_in(db, dummy_space, create_component, author)
    login(other)
    assert client.post(hide_url(dummy_space, note)).status_code in (403, 404)
    assert db.session.scalar(select(Moderation).filter_by(target_id=note.id)) is None


def test_a_moderator_of_another_space_gets_a_404(
    db, client, login, dummy_space, create_space, create_component, create_user
):
    author, moderator = create_user(), create_user()
    other_space = create_space("Elsewhere")
    db.session.add(SpaceRole(space=other_space, user=moderator, role="moderator"))
    _, note = note_in(db, dummy_space, create_component, author)
    login(moderator)
    assert client.post(hide_url(other_space, note)).status_code == 404
