"""The action log of the space administration: every edit is logged in the transaction of the
change, so that a change is never saved without its entry (nor an entry without its change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select, text

from brique.actionlog import log
from brique.models import ActionLogEntry, Category, SpaceRole
from tests.space_admin_support import ENGLISH, admin_url

pytestmark = pytest.mark.with_plugins("tiny")

#: The tables the space administration changes.
TABLES = ("spaces", "steps", "components", "categories", "space_roles")


@pytest.fixture
def app_config():
    return ENGLISH


@dataclass
class Scene:
    """A process with steps (the first one pinned), a published and an unpublished
    component, a category and a moderator; a draft process; a platform admin."""

    space: Any
    draft: Any
    notes: Any
    unpublished: Any
    category: Any
    role: Any
    admin: Any


@pytest.fixture
def scene(dummy_space, create_space, create_component, create_user, admin_user, db):
    dummy_space.steps[0].pinned = True
    category = Category(space_id=dummy_space.id, name="Mobilité", description="")
    role = SpaceRole(space_id=dummy_space.id, user_id=create_user("camille").id, role="moderator")
    db.session.add_all([category, role])
    db.session.commit()
    create_user("bob")
    return Scene(
        space=dummy_space,
        draft=create_space("Brouillon", published=False),
        notes=create_component(dummy_space, "tiny", name="Idées"),
        unpublished=create_component(dummy_space, "tiny", name="Plus tard", published=False),
        category=category,
        role=role,
        admin=admin_user,
    )


def _step(scene: Scene, number: int) -> int:
    return scene.space.steps[number].id


def _component(scene: Scene, component: Any, path: str = "") -> str:
    return admin_url(scene.space, f"components/{component.id}/{path}")


#: (verbs logged, request as ``(path, form)`` given the scene), by edit.
EDITS = {
    "space.update": (
        ["space.update"],
        lambda s: (admin_url(s.space), {"title": "Budget 2027", "slug": s.space.slug}),
    ),
    "space.create": (["space.create"], lambda s: ("/admin/processes/new", {"title": "Nouveau"})),
    "space.copy": (
        ["space.create"],
        lambda s: (admin_url(s.space, "copy"), {"title": "Copie", "slug": "copie"}),
    ),
    "space.publish": (["space.publish"], lambda s: (admin_url(s.draft, "publish"), {})),
    "space.unpublish": (["space.unpublish"], lambda s: (admin_url(s.space, "unpublish"), {})),
    "space.delete": (
        ["component.remove", "component.remove", "space.delete"],
        lambda s: (admin_url(s.space, "delete"), {}),
    ),
    "step.update": (
        ["step.update"],
        lambda s: (
            admin_url(s.space, f"steps/{_step(s, 2)}/"),
            {"title": "Vote", "start_at": "2026-03-11T10:00", "end_at": "2026-03-31T10:00"},
        ),
    ),
    "step.pin": (["step.pin"], lambda s: (admin_url(s.space, f"steps/{_step(s, 2)}/pin"), {})),
    "step.unpin": (
        ["step.unpin"],
        lambda s: (admin_url(s.space, f"steps/{_step(s, 0)}/unpin"), {}),
    ),
    "step.move": (
        ["step.move", "step.move"],
        lambda s: (admin_url(s.space, f"steps/{_step(s, 1)}/move"), {"direction": "up"}),
    ),
    "step.delete": (
        ["step.delete"],
        lambda s: (admin_url(s.space, f"steps/{_step(s, 2)}/delete"), {}),
    ),
    "component.add": (
        ["component.add"],
        lambda s: (admin_url(s.space, "components/new"), {"type": "tiny", "tiny-name": "Vélo"}),
    ),
    "component.settings": (
        ["component.settings"],
        lambda s: (_component(s, s.notes), {"name": "Idées", "settings-max_length": "100"}),
    ),
    "component.step_settings": (
        ["component.step_settings"],
        lambda s: (
            _component(s, s.notes, f"steps/{_step(s, 1)}"),
            {f"step-{_step(s, 1)}-notes_open": "1"},
        ),
    ),
    "component.permissions": (
        ["component.permissions"],
        lambda s: (
            _component(s, s.notes, "permissions"),
            {"leave_note-handlers": ["email", "age"], "leave_note-age-min_age": "16"},
        ),
    ),
    "component.publish": (
        ["component.publish"],
        lambda s: (_component(s, s.unpublished, "publish"), {}),
    ),
    "component.unpublish": (
        ["component.unpublish"],
        lambda s: (_component(s, s.notes, "unpublish"), {}),
    ),
    "component.move": (
        ["component.move"],
        lambda s: (_component(s, s.notes, "move"), {"direction": "down"}),
    ),
    "component.remove": (
        ["component.remove"],
        lambda s: (_component(s, s.unpublished, "remove"), {}),
    ),
    "category.create": (
        ["category.create"],
        lambda s: (admin_url(s.space, "categories/new"), {"name": "Vélo", "parent_id": ""}),
    ),
    "category.update": (
        ["category.update"],
        lambda s: (
            admin_url(s.space, f"categories/{s.category.id}/"),
            {"name": "Mobilités", "parent_id": ""},
        ),
    ),
    "category.delete": (
        ["category.delete"],
        lambda s: (admin_url(s.space, f"categories/{s.category.id}/delete"), {}),
    ),
    "role.grant": (
        ["role.grant"],
        lambda s: (admin_url(s.space, "roles/add"), {"person": "bob", "role": "valuator"}),
    ),
    "role.revoke": (
        ["role.revoke"],
        lambda s: (admin_url(s.space, f"roles/{s.role.id}/remove"), {}),
    ),
}


def database_state(db) -> dict[str, list[str]]:
    """Every row of the tables the administration changes."""
    return {
        table: sorted(
            repr(tuple(row)) for row in db.session.execute(text(f"SELECT * FROM {table}"))
        )
        for table in TABLES
    }


def logged(db) -> list[ActionLogEntry]:
    return list(db.session.scalars(select(ActionLogEntry).order_by(ActionLogEntry.position)))


class LogUnavailable(Exception):
    """The log cannot be written (a full disk, a lost connection...)."""


@pytest.mark.parametrize("edit", EDITS)
def test_each_edit_of_the_administration_is_logged_with_who_made_it(scene, login, db, edit):
    verbs, request_of = EDITS[edit]
    path, form = request_of(scene)
    before = database_state(db)
    response = login(scene.admin).post(path, data=form)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    assert database_state(db) != before
    entries = logged(db)
    assert sorted(entry.verb for entry in entries) == sorted(verbs)
    assert {entry.user_id for entry in entries} == {scene.admin.id}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_whose_log_entry_cannot_be_written_changes_nothing(
    scene, login, db, monkeypatch, edit
):
    def unavailable(**values):
        raise LogUnavailable

    _verbs, request_of = EDITS[edit]
    path, form = request_of(scene)
    before = database_state(db)
    monkeypatch.setattr(log, "append", unavailable)
    with pytest.raises(LogUnavailable):
        login(scene.admin).post(path, data=form)
    assert database_state(db) == before
    assert logged(db) == []


def test_the_log_of_a_process_edit_holds_its_values_before_and_after(scene, login, db):
    _verbs, request_of = EDITS["space.update"]
    path, form = request_of(scene)
    login(scene.admin).post(path, data=form)
    (entry,) = logged(db)
    assert entry.before == {"title": "Budget participatif"}
    assert entry.after == {"title": "Budget 2027"}


def test_the_log_of_step_settings_names_the_step_and_its_values(scene, login, db):
    _verbs, request_of = EDITS["component.step_settings"]
    path, form = request_of(scene)
    login(scene.admin).post(path, data=form)
    (entry,) = logged(db)
    key = str(scene.space.steps[1].id)
    assert entry.before == {key: {"notes_open": False}}
    assert entry.after == {key: {"notes_open": True}}


def test_saving_step_settings_without_change_logs_nothing(scene, login, db):
    key = str(scene.space.steps[1].id)
    path = _component(scene, scene.notes, f"steps/{key}")
    assert login(scene.admin).post(path, data={}).status_code == 302
    assert logged(db) == []


def test_a_role_given_twice_is_refused_and_logged_once(scene, login, db):
    client = login(scene.admin)
    path = admin_url(scene.space, "roles/add")
    client.post(path, data={"person": "bob", "role": "valuator"})
    refused = client.post(path, data={"person": "bob", "role": "valuator"})
    assert refused.status_code == 422
    assert [entry.verb for entry in logged(db)] == ["role.grant"]
