"""The action log: what is recorded, the hash chain ``brique audit verify`` checks, and
appends staying one chain under parallel writers."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text

from brique import signals
from brique.actionlog.chain import GENESIS, entry_hash, verify_chain
from brique.actionlog.cli import audit_group
from brique.actionlog.log import log_action, snapshot
from brique.models import ActionLogEntry, ActionLogHead
from brique.testing import FROZEN_AT


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def entries(db):
    return db.session.scalars(select(ActionLogEntry).order_by(ActionLogEntry.position)).all()


def verify(app):
    return app.test_cli_runner().invoke(audit_group, ["verify"])


def write_entries(db, user, count):
    for number in range(count):
        log_action(user, "test.write", ("thing", number), after={"number": number})
    db.session.commit()


@pytest.fixture
def notes(dummy_space, create_component):
    return create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )


# --- What is recorded -----------------------------------------------------------------------


def test_a_participants_note_is_logged_from_the_resource_created_signal(
    notes, dummy_user, login, db
):
    path = f"/processes/{notes.space.slug}/c/{notes.id}/notes"
    login(dummy_user).post(path, data={"title": "Plus de bancs"})
    (entry,) = [entry for entry in entries(db) if entry.verb == "resource.create"]
    assert (entry.user_id, entry.target_type, entry.space_id) == (
        dummy_user.id,
        "tiny.note",
        notes.space_id,
    )
    assert entry.summary == "Plus de bancs" and entry.created_at == FROZEN_AT


def test_sign_ups_are_logged(client, db):
    data = {
        "email": "ana@example.org",
        "nickname": "ana",
        "password": "long enough password",
        "accept_terms": "1",
    }
    client.post("/signup", data=data)
    (entry,) = entries(db)
    assert entry.verb == "user.register" and entry.summary == "ana"
    assert entry.user_id == entry.target_id


def test_updates_and_deletions_of_resources_are_logged_with_their_changes(notes, dummy_user, db):
    from brique_tiny.models import Note

    note = Note(component_id=notes.id, author_id=dummy_user.id, title="Bancs", created_at=FROZEN_AT)
    db.session.add(note)
    db.session.commit()
    signals.resource_updated.send(
        "tiny.note", resource=note, user=dummy_user, changes={"title": ("Banc", "Bancs")}
    )
    signals.resource_deleted.send(
        "tiny.note", resource_id=note.id, component_id=notes.id, user=dummy_user
    )
    update, deletion = entries(db)
    assert (update.verb, update.before, update.after) == (
        "resource.update",
        {"title": "Banc"},
        {"title": "Bancs"},
    )
    assert (deletion.verb, deletion.target_type, deletion.target_id, deletion.space_id) == (
        "resource.delete",
        "tiny.note",
        note.id,
        notes.space_id,
    )


def test_publishing_a_process_is_logged_with_who_did_it(create_space, admin_user, login, db):
    space = create_space(published=False)
    login(admin_user).post(f"/admin/processes/{space.slug}/publish")
    (entry,) = entries(db)
    assert (entry.verb, entry.user_id, entry.space_id) == ("space.publish", admin_user.id, space.id)


def test_editing_a_process_logs_the_values_before_and_after(dummy_space, admin_user, login, db):
    data = {"title": "Budget 2027", "slug": dummy_space.slug, "organiser": "Mairie"}
    login(admin_user).post(f"/admin/processes/{dummy_space.slug}/", data=data)
    (entry,) = entries(db)
    assert entry.verb == "space.update" and entry.user_id == admin_user.id
    assert entry.before == {"organiser": "", "title": "Budget participatif"}
    assert entry.after == {"organiser": "Mairie", "title": "Budget 2027"}


def test_saving_a_process_without_change_logs_nothing(dummy_space, admin_user, login, db):
    data = {"title": dummy_space.title, "slug": dummy_space.slug}
    login(admin_user).post(f"/admin/processes/{dummy_space.slug}/", data=data)
    assert entries(db) == []


def test_editing_a_step_logs_the_values_before_and_after(dummy_space, admin_user, login, db):
    step = dummy_space.steps[2]
    data = {"title": "Vote", "start_at": "2026-03-11T10:00", "end_at": "2026-03-31T10:00"}
    path = f"/admin/processes/{dummy_space.slug}/steps/{step.id}/"
    assert login(admin_user).post(path, data=data).status_code == 302
    (entry,) = entries(db)
    assert (entry.verb, entry.target_type, entry.target_id) == ("step.update", "step", step.id)
    assert entry.before["title"] == "Step 3" and entry.after["title"] == "Vote"


def test_component_settings_are_logged_once_with_their_values(
    notes, dummy_space, admin_user, login, db
):
    path = f"/admin/processes/{dummy_space.slug}/components/{notes.id}/"
    data = {"name": "Idées", "settings-max_length": "100"}
    assert login(admin_user).post(path, data=data).status_code == 302
    (entry,) = entries(db)
    assert entry.verb == "component.settings"
    assert entry.before == {"max_length": 140, "name": "Tiny notes"}
    assert entry.after == {"max_length": 100, "name": "Idées"}


def test_log_action_keeps_values_as_json_and_names_the_space_of_a_resource(notes, dummy_user, db):
    from brique_tiny.models import Note

    note = Note(component_id=notes.id, author_id=dummy_user.id, title="Bancs", created_at=FROZEN_AT)
    db.session.add(note)
    db.session.flush()
    entry = log_action(
        dummy_user, "tiny.note.answer", note, before={"on": date(2026, 3, 1)}, after={"on": None}
    )
    db.session.commit()
    assert entry.space_id == notes.space_id and entry.target_type == "tiny.note"
    assert entry.before == {"on": "2026-03-01"} and entry.after == {"on": None}
    assert log_action(dummy_user, "x.y", note, before={"a": 1}, after={"a": 1}) is None
    assert snapshot(note, ["title"]) == {"title": "Bancs"}


# --- The hash chain -------------------------------------------------------------------------


def test_each_entry_holds_the_hash_of_the_one_before(db, dummy_user):
    write_entries(db, dummy_user, 3)
    first, second, third = entries(db)
    assert [first.position, second.position, third.position] == [1, 2, 3]
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert all(entry.hash == entry_hash(entry) for entry in (first, second, third))
    assert db.session.get(ActionLogHead, 1).hash == third.hash


def test_verify_reports_an_intact_chain(app, db, dummy_user):
    write_entries(db, dummy_user, 3)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "Action log intact: 3 entries." in result.output
    assert entries(db)[-1].hash in result.output


def test_verify_accepts_an_empty_log(app, db):
    result = verify(app)
    assert result.exit_code == 0 and "0 entries" in result.output


def test_verify_detects_a_changed_entry(app, db, dummy_user):
    write_entries(db, dummy_user, 3)
    db.session.execute(text("UPDATE action_log SET summary = 'forged' WHERE position = 2"))
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert "entry #2 was changed" in result.output and "The 1 entries before it" in result.output


def test_verify_detects_a_changed_entry_whose_hash_was_recomputed(app, db, dummy_user):
    write_entries(db, dummy_user, 3)
    second = entries(db)[1]
    second.user_id = None
    forged = entry_hash(second)
    db.session.rollback()
    db.session.execute(
        text("UPDATE action_log SET user_id = NULL, hash = :hash WHERE position = 2"),
        {"hash": forged},
    )
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1 and "entry #2 was changed" in result.output


def test_verify_detects_a_deleted_entry(app, db, dummy_user):
    write_entries(db, dummy_user, 3)
    db.session.execute(text("DELETE FROM action_log WHERE position = 2"))
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1 and "entry #2 is missing" in result.output


def test_verify_detects_deleted_last_entries(app, db, dummy_user):
    write_entries(db, dummy_user, 3)
    db.session.execute(text("DELETE FROM action_log WHERE position = 3"))
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1 and "entries from #3 on were deleted" in result.output


def test_verify_reads_the_log_in_batches(db, dummy_user):
    write_entries(db, dummy_user, 7)
    assert verify_chain(batch=3).checked == 7 and verify_chain(batch=3).problem is None


def test_parallel_appends_keep_one_chain(app, db, create_user):
    """On PostgreSQL the head row's lock orders writers; SQLite serialises them."""
    writers = [create_user(f"writer{number}") for number in range(8)]
    barrier = threading.Barrier(len(writers))
    failures = []

    def write(user_id):
        from brique.models import User

        with app.app_context():
            barrier.wait()
            try:
                for number in range(5):
                    log_action(db.session.get(User, user_id), "test.parallel", ("thing", number))
                    db.session.commit()
            except Exception as error:  # reported by the assertion below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(user.id,)) for user in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    count = db.session.scalar(select(func.count()).select_from(ActionLogEntry))
    assert count == 40
    result = verify_chain()
    assert result.problem is None and result.checked == 40
