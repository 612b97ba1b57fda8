"""The action log of the platform administration (people, scopes, profile fields, census,
branding): every edit is logged with its values before and after in the transaction of the
change, and never with a secret (password hashes, census hashes or salt)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from sqlalchemy import select, text

from brique.actionlog import log
from brique.admin.census import replace_census
from brique.admin.site import census_salt, editable_site_settings
from brique.authorizations import census_hash
from brique.models import ActionLogEntry, ProfileField, Scope, User
from tests.space_admin_support import ENGLISH

#: The tables the platform administration changes, and the columns of ``users`` it changes
#: (requests may touch others, such as the time of the last visit).
TABLES = ("scopes", "profile_fields", "census_entries", "site_settings")
USER_COLUMNS = "id, is_admin, profile"

CENSUS = "identifier;postal_code\nZQ987;45400\nCD456;45000\nAB123;45000\n"


@pytest.fixture
def app_config():
    return ENGLISH


@dataclass
class Scene:
    """A platform admin, a second admin, a participant who answered a profile field,
    a city with a district, and a census of one person."""

    admin: Any
    colleague: Any
    bob: Any
    city: Any
    field: Any


@pytest.fixture
def scene(create_user, db):
    admin = create_user("admin", admin=True)
    colleague = create_user("colleague", admin=True)
    bob = create_user("bob", profile={"district": "Centre"})
    city = Scope(name="Orléans", code="45000")
    field = ProfileField(key="district", label="District", type="text")
    db.session.add_all([city, Scope(name="Centre", code="D1", parent=city), field])
    site = editable_site_settings()
    db.session.flush()
    replace_census([_entry("OLD1", census_salt(site))], site)
    return Scene(admin=admin, colleague=colleague, bob=bob, city=city, field=field)


def _entry(identifier: str, salt: str) -> dict[str, str]:
    return {"identifier_hash": census_hash(identifier, salt), "postal_code": "1", "district": ""}


def _upload(content: str) -> dict[str, Any]:
    return {"census": (BytesIO(content.encode()), "census.csv")}


def _branding() -> dict[str, Any]:
    return {"name": "Ville d'Orléans", "primary_color": "#1F4E8C", "welcome_text": "Bienvenue"}


FIELD_FORM = {"label": "Quartier", "type": "text", "choices": "", "position": "1"}

#: (verb logged, request as ``(path, form)`` given the scene), by edit.
EDITS = {
    "user.grant_admin": lambda s: (f"/admin/users/{s.bob.id}/admin", {}),
    "user.revoke_admin": lambda s: (f"/admin/users/{s.colleague.id}/admin/revoke", {}),
    "scope.create": lambda s: ("/admin/scopes/new", {"name": "Argonne", "code": "D2"}),
    "scope.update": lambda s: (
        f"/admin/scopes/{s.city.id}",
        {"name": "Orléans Métropole", "code": "45000", "parent_id": ""},
    ),
    "scope.delete": lambda s: (f"/admin/scopes/{s.city.id}/delete", {}),
    "profile_field.create": lambda s: (
        "/admin/profile-fields/new",
        {**FIELD_FORM, "key": "age_band", "label": "Age band"},
    ),
    "profile_field.update": lambda s: (f"/admin/profile-fields/{s.field.id}", FIELD_FORM),
    "profile_field.delete": lambda s: (f"/admin/profile-fields/{s.field.id}/delete", {}),
    "census.import": lambda s: ("/admin/census", _upload(CENSUS)),
    "census.delete": lambda s: ("/admin/census/delete", {}),
    "site.branding": lambda s: ("/admin/branding", _branding()),
}


def database_state(db) -> dict[str, list[str]]:
    """Every row of the tables the platform administration changes."""
    queries = {table: f"SELECT * FROM {table}" for table in TABLES}
    queries["users"] = f"SELECT {USER_COLUMNS} FROM users"
    return {
        name: sorted(repr(tuple(row)) for row in db.session.execute(text(query)))
        for name, query in queries.items()
    }


def logged(db) -> list[ActionLogEntry]:
    return list(db.session.scalars(select(ActionLogEntry).order_by(ActionLogEntry.position)))


def post(client, path: str, form: dict[str, Any]):
    return client.post(path, data=form, content_type="multipart/form-data")


def edit(scene, login, db, name: str) -> ActionLogEntry:
    """Make the edit ``name`` as the admin; its one log entry."""
    earlier = len(logged(db))  # the scene's own census import
    path, form = EDITS[name](scene)
    response = post(login(scene.admin), path, form)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    (entry,) = logged(db)[earlier:]
    return entry


class LogUnavailable(Exception):
    """The log cannot be written (a full disk, a lost connection...)."""


@pytest.mark.parametrize("name", EDITS)
def test_each_edit_of_the_platform_administration_is_logged_once_with_its_author(
    scene, login, db, name
):
    before = database_state(db)
    entry = edit(scene, login, db, name)
    assert database_state(db) != before
    assert (entry.verb, entry.user_id) == (name, scene.admin.id)


@pytest.mark.parametrize("name", EDITS)
def test_a_platform_edit_whose_log_entry_cannot_be_written_changes_nothing(
    scene, login, db, monkeypatch, name
):
    def unavailable(**values):
        raise LogUnavailable

    path, form = EDITS[name](scene)
    before, entries = database_state(db), len(logged(db))
    monkeypatch.setattr(log, "append", unavailable)
    with pytest.raises(LogUnavailable):
        post(login(scene.admin), path, form)
    assert database_state(db) == before
    assert len(logged(db)) == entries


def test_granting_the_administration_logs_the_flag_before_and_after(scene, login, db):
    entry = edit(scene, login, db, "user.grant_admin")
    assert (entry.target_id, entry.summary) == (scene.bob.id, "bob")
    assert (entry.before, entry.after) == ({"is_admin": False}, {"is_admin": True})


def test_revoking_the_administration_logs_the_flag_before_and_after(scene, login, db):
    entry = edit(scene, login, db, "user.revoke_admin")
    assert entry.target_id == scene.colleague.id
    assert (entry.before, entry.after) == ({"is_admin": True}, {"is_admin": False})


def test_granting_the_administration_to_an_admin_logs_nothing(scene, login, db):
    response = post(login(scene.admin), f"/admin/users/{scene.colleague.id}/admin", {})
    assert response.status_code == 302
    assert [entry.verb for entry in logged(db)] == ["census.import"]


def test_refusing_to_revoke_the_last_admin_logs_nothing(create_user, login, db):
    admin = create_user("admin", admin=True)
    response = post(login(admin), f"/admin/users/{admin.id}/admin/revoke", {})
    assert response.status_code == 302
    assert db.session.get(User, admin.id).is_admin
    assert logged(db) == []


def test_a_scope_edit_logs_only_what_changed(scene, login, db):
    entry = edit(scene, login, db, "scope.update")
    assert (entry.before, entry.after) == ({"name": "Orléans"}, {"name": "Orléans Métropole"})


def test_a_new_scope_is_logged_with_its_values(scene, login, db):
    entry = edit(scene, login, db, "scope.create")
    assert entry.before is None
    assert entry.after == {"name": "Argonne", "code": "D2", "parent_id": None}


def test_deleting_a_scope_logs_what_it_was_and_its_sub_scopes(scene, login, db):
    entry = edit(scene, login, db, "scope.delete")
    assert entry.before == {
        "name": "Orléans",
        "code": "45000",
        "parent_id": None,
        "sub_scopes": 1,
        "spaces": 0,
    }
    assert entry.after is None


def test_a_scope_code_clash_is_refused_and_logs_nothing(scene, login, db):
    form = {"name": "Autre", "code": "D1", "parent_id": ""}
    assert post(login(scene.admin), "/admin/scopes/new", form).status_code == 422
    assert [entry.verb for entry in logged(db)] == ["census.import"]


def test_a_profile_field_edit_logs_its_values_before_and_after(scene, login, db):
    entry = edit(scene, login, db, "profile_field.update")
    assert (entry.before, entry.after) == (
        {"label": "District", "position": 0},
        {"label": "Quartier", "position": 1},
    )


def test_deleting_a_profile_field_logs_how_many_answers_were_erased(scene, login, db):
    entry = edit(scene, login, db, "profile_field.delete")
    assert entry.before["key"] == "district" and entry.before["answers"] == 1
    assert "Centre" not in json.dumps(entry.before)


def test_a_census_import_logs_how_many_people_never_who(scene, login, db):
    entry = edit(scene, login, db, "census.import")
    assert (entry.before["entries"], entry.after["entries"]) == (1, 3)
    assert set(entry.before) | set(entry.after) <= {"entries", "imported_at"}
    written = json.dumps([entry.before, entry.after, entry.summary])
    site = editable_site_settings()
    assert site.census_salt not in written
    assert census_hash("ZQ987", site.census_salt) not in written
    assert "ZQ987" not in written


def test_importing_a_census_of_the_same_size_again_is_logged_by_its_date(scene, login, db, clock):
    clock.advance(days=1)
    client = login(scene.admin)
    post(client, "/admin/census", _upload("identifier;postal_code\nNEW1;45400\n"))
    (entry,) = [entry for entry in logged(db) if entry.user_id == scene.admin.id]
    assert (
        list(entry.after) == ["imported_at"]
        and entry.after["imported_at"] > entry.before["imported_at"]
    )


def test_deleting_the_census_logs_how_many_people_it_held(scene, login, db):
    entry = edit(scene, login, db, "census.delete")
    assert (entry.before["entries"], entry.after) == (1, {"entries": 0, "imported_at": None})


def test_a_branding_edit_logs_the_settings_before_and_after(scene, login, db):
    entry = edit(scene, login, db, "site.branding")
    assert entry.before == {"name": "Brique", "welcome_text": ""}
    assert entry.after == {"name": "Ville d'Orléans", "welcome_text": "Bienvenue"}


def test_a_new_logo_is_logged_by_its_file_name(scene, login, db):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    form = {**_branding(), "logo": (BytesIO(png), "logo.png")}
    post(login(scene.admin), "/admin/branding", form)
    (entry,) = [entry for entry in logged(db) if entry.verb == "site.branding"]
    assert entry.before["logo"] is None and entry.after["logo"].startswith("branding/")
