"""The ``brique`` command, run as an institution would, in a fresh instance folder."""

import json
import os
import stat
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import func, inspect, select

from brique import create_app
from brique.cli import DEMO_ADMIN_EMAIL, add_plugin_commands, cli, main
from brique.config import CONFIG_FILE, read_config_file
from brique.db import db
from tests.fresh_database import fresh_database_url


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """``BRIQUE_INSTANCE_PATH`` pointing at an empty folder, and an empty database."""
    for key in list(os.environ):
        if key.startswith("BRIQUE_") and key != "BRIQUE_TEST_DATABASE_URL":
            monkeypatch.delenv(key)
    folder = tmp_path / "instance"
    monkeypatch.setenv("BRIQUE_INSTANCE_PATH", str(folder))
    with fresh_database_url(tmp_path) as url:
        if not url.startswith("sqlite"):
            monkeypatch.setenv("BRIQUE_DATABASE_URL", url)
        yield folder


class Looker:
    """Opens apps on the instance's database to look at what commands did."""

    def __init__(self):
        self.apps = []

    def app(self):
        app = create_app()
        self.apps.append(app)
        return app

    def scalar(self, statement):
        with self.app().app_context():
            return db.session.scalar(statement)

    def close(self):
        for app in self.apps:
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def database(instance):
    """Look at the instance's database; connections close before it is dropped."""
    looker = Looker()
    yield looker
    looker.close()


def brique(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_init_writes_a_private_config_with_a_secret_key_and_creates_the_database(
    instance, database
):
    result = brique("init")
    assert result.exit_code == 0, result.output
    assert f"Instance ready in {instance}" in result.output
    config = instance / CONFIG_FILE
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    secret = read_config_file(config)["SECRET_KEY"]
    assert len(secret) >= 40
    with database.app().app_context():
        names = set(inspect(db.engine).get_table_names())
    assert {"users", "spaces", "components", "tiny_notes", "alembic_version"} <= names


def test_init_again_keeps_the_secret_key(instance):
    brique("init")
    first = read_config_file(instance / CONFIG_FILE)["SECRET_KEY"]
    assert brique("init").exit_code == 0
    assert read_config_file(instance / CONFIG_FILE)["SECRET_KEY"] == first


def test_init_with_another_database_than_the_configured_one_fails_with_a_message(instance):
    brique("init")
    result = CliRunner().invoke(cli, ["init", "--database-url", "sqlite:////elsewhere/brique.db"])
    assert result.exit_code == 1
    assert "exists with another database" in result.output
    assert "DATABASE_URL" not in read_config_file(instance / CONFIG_FILE)


def test_the_config_file_is_never_readable_by_others(instance, monkeypatch):
    opened_modes = []
    real_open = os.open

    def spy(path, flags, mode=0o777, *args, **kwargs):
        if str(path).endswith(CONFIG_FILE):
            opened_modes.append(mode)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    brique("init")
    assert opened_modes == [0o600]  # created private, not made private afterwards


def test_init_creates_an_admin_when_asked(instance, database):
    from brique.models import User

    result = brique(
        "init", "--admin-email", "Mairie@Example.org", "--admin-password", "long secret"
    )
    assert result.exit_code == 0 and "Platform admin Mairie@Example.org created." in result.output
    with database.app().app_context():
        admin = db.session.scalar(select(User).where(User.email == "mairie@example.org"))
        assert admin.is_admin and admin.email_confirmed and admin.check_password("long secret")


def test_users_create_admin(instance, database):
    from brique.models import User

    brique("init")
    result = brique("users", "create-admin", "--email", "elu@example.org", "--password", "pw long")
    assert result.exit_code == 0 and "Platform admin elu@example.org created." in result.output
    with database.app().app_context():
        admin = db.session.scalar(select(User).where(User.email == "elu@example.org"))
        assert admin.is_admin and admin.nickname == "admin" and admin.check_password("pw long")


def test_users_create_admin_with_an_address_in_use_fails_with_a_message(instance, database):
    from brique.models import User

    brique("init")
    brique("users", "create-admin", "--email", "elu@example.org", "--password", "pw long")
    result = brique(
        "users",
        "create-admin",
        "--email",
        "elu@example.org",
        "--nickname",
        "other",
        "--password",
        "x",
    )
    assert result.exit_code == 1
    assert "an account already uses the address elu@example.org" in result.output
    assert database.scalar(select(func.count()).select_from(User)) == 1


def test_plugins_lists_tiny_with_its_hooks(instance):
    brique("init")
    result = brique("plugins")
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if line.startswith("tiny"))
    assert "1.0.0" in line and "enabled" in line
    assert "register_component_types" in line and "register_cli_commands" in line


def test_plugins_as_json(instance):
    brique("init")
    rows = json.loads(brique("plugins", "--json").output)
    tiny = next(row for row in rows if row["name"] == "tiny")
    assert tiny["enabled"] is True and tiny["distribution"] == "brique-tiny"
    assert tiny["version"] == "1.0.0"
    assert {"register_component_types", "register_resource_types", "demo_content"} <= set(
        tiny["hooks"]
    )


def test_a_bad_setting_ends_a_command_with_its_message(instance, monkeypatch):
    brique("init")
    monkeypatch.setenv("BRIQUE_PLUGINS", "tiny,agenda")
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code != 0
    assert "BRIQUE_PLUGINS names agenda" in result.output
    assert "Traceback" not in result.output


def demo_password(output):
    line = next(line for line in output.splitlines() if line.startswith("Admin login:"))
    email, _, password = line.removeprefix("Admin login: ").partition(" / ")
    assert email == DEMO_ADMIN_EMAIL
    return password


def test_demo_creates_a_french_participatory_budget(instance, database):
    from brique.demo import DEMO_SLUG
    from brique.models import Component, Space, User
    from brique.timeline import active_step

    result = brique("demo")
    assert result.exit_code == 0, result.output
    assert "Demo process created: Budget participatif 2026." in result.output
    assert "Site: http://127.0.0.1:5000/" in result.output
    password = demo_password(result.output)
    with database.app().app_context():
        space = db.session.scalar(select(Space).where(Space.slug == DEMO_SLUG))
        assert space.title == "Budget participatif 2026" and space.is_published
        current = active_step(space, datetime.now(UTC))
        assert current is not None and current.title == "Dépôt des idées"
        assert len(space.steps) == 4
        admin = db.session.scalar(select(User).where(User.email == DEMO_ADMIN_EMAIL))
        assert admin.is_admin and admin.check_password(password)
        participants = db.session.scalars(select(User).where(User.is_admin.is_(False))).all()
        assert len(participants) >= 10
        assert all(user.locale == "fr" and user.profile.get("district") for user in participants)
        camille = next(user for user in participants if user.email == "camille@example.org")
        assert camille.check_password(password)  # demo participants share the password
        notes = db.session.scalar(select(Component).where(Component.type == "tiny"))
        assert notes.space_id == space.id and notes.is_published
        assert notes.step_settings[str(current.id)]["notes_open"] is True


def test_demo_is_idempotent(instance, database):
    from brique.models import Space, User

    first = brique("demo")
    second = brique("demo")
    assert second.exit_code == 0
    assert "Demo process created" not in second.output
    assert demo_password(second.output) == demo_password(first.output)
    assert database.scalar(select(func.count()).select_from(Space)) == 3
    assert database.scalar(select(func.count()).select_from(User).where(User.is_admin)) == 1


def test_demo_reset_starts_again(instance, database):
    from brique.models import Space

    first = brique("demo")
    again = brique("demo", "--reset")
    assert again.exit_code == 0, again.output
    assert "Demo process created" in again.output
    assert demo_password(again.output) != demo_password(first.output)
    assert database.scalar(select(func.count()).select_from(Space)) == 3


def test_db_downgrade_and_upgrade(instance, database):
    brique("init")
    result = brique("db", "downgrade", "tiny@base")
    assert result.exit_code == 0 and "Database downgraded to tiny@base." in result.output
    with database.app().app_context():
        assert "tiny_notes" not in inspect(db.engine).get_table_names()
    result = brique("db", "upgrade")
    assert result.exit_code == 0 and "Database up to date." in result.output
    with database.app().app_context():
        assert "tiny_notes" in inspect(db.engine).get_table_names()


def test_plugin_subcommands_are_added_and_read_plugin_settings(instance, monkeypatch):
    brique("init")
    add_plugin_commands()
    assert brique("tiny", "hello").output.strip() == "hello from tiny"
    monkeypatch.setenv("BRIQUE_TINY_GREETING", "bonjour de tiny")
    assert brique("tiny", "hello").output.strip() == "bonjour de tiny"


def test_main_reports_a_plugin_problem_without_a_traceback(instance, monkeypatch, capsys):
    monkeypatch.setenv("BRIQUE_PLUGINS", "agenda")
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("Error: BRIQUE_PLUGINS names agenda")
