"""Resource types: how one component reaches another's resources without importing it."""

import hashlib

import pytest
from sqlalchemy import func, select

from brique.models import ResourceLink
from brique.resources import ResourceRef, link, linked, resource_type, resource_types_of
from brique.testing import FROZEN_AT


@pytest.fixture
def notes_component(dummy_space, create_component):
    return create_component(dummy_space, "tiny", name="Notes")


@pytest.fixture
def add_note(db, create_user):
    from brique_tiny.models import Note

    def add(component, title):
        note = Note(
            component_id=component.id,
            author_id=create_user().id,
            title=title,
            created_at=FROZEN_AT,
        )
        db.session.add(note)
        db.session.commit()
        return note

    return add


def notes():
    return resource_type("tiny.note")


def test_a_resource_type_is_found_by_its_name(app):
    assert notes().name == "tiny.note" and notes().component_type == "tiny"


def test_an_unknown_resource_type_names_the_registered_ones(app):
    with pytest.raises(
        KeyError, match=r"no resource type .agenda\.event.; registered: .*tiny\.note"
    ):
        resource_type("agenda.event")


def test_a_components_resource_types(notes_component):
    assert resource_types_of(notes_component) == [notes()]


def test_list_gives_the_resources_of_one_component_in_order(
    notes_component, dummy_space, create_component, add_note
):
    other = create_component(dummy_space, "tiny", name="Other notes")
    first = add_note(notes_component, "Plus d'arbres")
    add_note(other, "Ailleurs")
    second = add_note(notes_component, "Des bancs")
    assert notes().list(notes_component) == [first, second]
    assert notes().list(notes_component, limit=1) == [first]


def test_a_resource_seen_from_outside(notes_component, add_note):
    note = add_note(notes_component, "Plus d'arbres")
    ref = notes().ref(note)
    assert isinstance(ref, ResourceRef)
    assert ref.type == "tiny.note" and ref.id == note.id
    assert ref.title == "Plus d'arbres"
    assert ref.url.endswith(
        f"/processes/{notes_component.space.slug}/c/{notes_component.id}/notes/{ref.id}"
    )
    assert ref.state is None  # notes have no state
    assert notes().get(note.id) is note and notes().get(note.id + 1000) is None


def test_the_fingerprint_is_the_sha256_of_the_canonical_content(notes_component, add_note):
    note = add_note(notes_component, "Idée : plus d'arbres")
    canonical = f'{{"id":{note.id},"title":"Idée : plus d\'arbres","type":"tiny.note"}}'
    assert notes().fingerprint(note) == hashlib.sha256(canonical.encode()).hexdigest()


def test_the_fingerprint_is_stable_and_follows_the_content(notes_component, add_note, db):
    note = add_note(notes_component, "Des bancs")
    before = notes().fingerprint(note)
    db.session.expire_all()
    assert notes().fingerprint(notes().get(note.id)) == before
    note.title = "Des bancs à l'ombre"
    assert notes().fingerprint(note) != before


def test_link_is_idempotent(notes_component, add_note, db):
    proposal, project = add_note(notes_component, "A"), add_note(notes_component, "B")
    first = link(("tiny.note", proposal.id), ("tiny.note", project.id), "imported_as")
    db.session.commit()
    again = link(("tiny.note", proposal.id), ("tiny.note", project.id), "imported_as")
    db.session.commit()
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(ResourceLink)) == 1
    link(("tiny.note", proposal.id), ("tiny.note", project.id), "drawn_from")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ResourceLink)) == 2


def test_linked_resources_are_found_from_both_ends(notes_component, add_note, db):
    source, target, unrelated = (add_note(notes_component, title) for title in "STU")
    link(("tiny.note", source.id), ("tiny.note", target.id), "imported_as")
    db.session.commit()
    assert [ref.title for ref in linked(("tiny.note", source.id))] == ["T"]
    assert [ref.title for ref in linked(("tiny.note", target.id))] == ["S"]
    assert linked(("tiny.note", unrelated.id)) == []


def test_linked_can_be_narrowed_to_one_link_name(notes_component, add_note, db):
    source, imported, drawn = (add_note(notes_component, title) for title in "SID")
    link(("tiny.note", source.id), ("tiny.note", imported.id), "imported_as")
    link(("tiny.note", drawn.id), ("tiny.note", source.id), "drawn_from")
    db.session.commit()
    assert [ref.title for ref in linked(("tiny.note", source.id))] == ["I", "D"]
    assert [ref.title for ref in linked(("tiny.note", source.id), "drawn_from")] == ["D"]


def test_links_to_deleted_or_unregistered_resources_are_skipped(notes_component, add_note, db):
    source, deleted = add_note(notes_component, "S"), add_note(notes_component, "gone")
    link(("tiny.note", source.id), ("tiny.note", deleted.id), "imported_as")
    link(("tiny.note", source.id), ("uninstalled.thing", 1), "imported_as")
    db.session.delete(deleted)
    db.session.commit()
    assert linked(("tiny.note", source.id)) == []


def test_linked_takes_the_same_queries_for_1_and_20_links(
    notes_component, add_note, db, count_queries
):
    source = add_note(notes_component, "S")

    def add_links(count):
        for number in range(count):
            target = add_note(notes_component, f"T{number}")
            link(("tiny.note", source.id), ("tiny.note", target.id), "imported_as")
        db.session.commit()
        db.session.expire_all()

    add_links(1)
    with count_queries() as one:
        assert len(linked(("tiny.note", source.id))) == 1
    add_links(19)
    with count_queries() as twenty:
        assert len(linked(("tiny.note", source.id))) == 20
    assert len(one) == len(twenty)
