"""``brique new-plugin`` writes a component package that loads, migrates and works."""

import importlib
import sys

import pytest
from click.testing import CliRunner

from brique.cli import cli
from brique.scaffold import ScaffoldError, create_plugin
from brique.testing import FROZEN_AT


@pytest.fixture
def generated(tmp_path, monkeypatch):
    target = tmp_path / "brique-petitions"
    create_plugin("petitions", target)
    monkeypatch.syspath_prepend(str(target))
    yield importlib.import_module("brique_petitions.plugin")
    for module in [name for name in sys.modules if name.startswith("brique_petitions")]:
        del sys.modules[module]


def test_new_plugin_command_writes_the_package(tmp_path):
    result = CliRunner().invoke(
        cli, ["new-plugin", "petitions", "--directory", str(tmp_path / "pkg")]
    )
    assert result.exit_code == 0, result.output
    assert (
        tmp_path / "pkg" / "brique_petitions" / "templates" / "petitions" / "index.html"
    ).exists()
    assert (
        "petitions = brique_petitions.plugin:Plugin" in (tmp_path / "pkg" / "setup.cfg").read_text()
    )


@pytest.mark.parametrize("name", ["Petitions", "9lives", "a", "with-dash"])
def test_new_plugin_refuses_names_that_break_the_one_name_rule(name, tmp_path):
    with pytest.raises(ScaffoldError):
        create_plugin(name, tmp_path / "pkg")


def test_generated_plugin_loads_and_takes_contributions(generated, tmp_path):
    from datetime import timedelta

    from brique import create_app
    from brique.db import db
    from brique.models import Component, Space, Step, User

    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "i"),
            "SECRET_KEY": "s",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "PLUGINS": [],
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        },
        plugins=(generated.Plugin,),
    )
    with app.app_context():
        db.create_all()
        step = Step(
            title="Ideas",
            start_at=FROZEN_AT - timedelta(days=1),
            end_at=FROZEN_AT + timedelta(days=3650),
        )
        space = Space(slug="s", title="S", published_at=FROZEN_AT, steps=[step])
        user = User(
            email="u@example.org", nickname="u", session_token="t", email_confirmed_at=FROZEN_AT
        )
        db.session.add_all([space, user])
        db.session.flush()
        component = Component(
            space=space,
            type="petitions",
            name="Petitions",
            published_at=FROZEN_AT,
            step_settings={str(step.id): {"creation_open": True}},
        )
        db.session.add(component)
        db.session.commit()
        url, session_id = f"/processes/s/c/{component.id}/", user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    assert client.post(url + "items", data={"title": "A bench"}).status_code == 302
    assert "A bench" in client.get(url).get_data(as_text=True)
