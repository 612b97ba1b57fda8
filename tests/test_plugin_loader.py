"""Loading plugins: a plugin that breaks the contract fails loudly, naming itself and the fix."""

import re
from importlib.metadata import EntryPoint
from importlib.metadata import entry_points as real_entry_points
from pathlib import Path

import pytest
from flask import Blueprint
from marshmallow import Schema, fields

from brique import create_app
from brique.cli import cli
from brique.components import Action, ComponentType
from brique.plugins import CORE_TEMPLATES, Plugin, PluginError, hookimpl
from brique.resources import ResourceType

TINY_TEMPLATES = Path(__file__).parent / "tiny_component" / "brique_tiny" / "templates"


class Defaults(Schema):
    open = fields.Boolean(load_default=False)


class NoDefaults(Schema):
    title = fields.String(required=True)


class Unprefixed:
    """Stands in for a model: the loader only reads ``__tablename__``."""

    __tablename__ = "entries"


def component_type(name, **changes):
    return ComponentType(
        name=name,
        label=name.title(),
        description="A component for tests.",
        settings_schema=changes.pop("settings_schema", Defaults),
        step_settings_schema=changes.pop("step_settings_schema", Defaults),
        actions={"act": Action("Act", step_setting="open")},
        **changes,
    )


def resource_type(type_name):
    class Resource(ResourceType):
        name = type_name
        label = "Entry"
        component_type = type_name.partition(".")[0]
        model = Unprefixed

        def url(self, resource):
            return "/"

    return Resource()


def make_plugin(plugin_name, *, component_types=(), resource_types=(), **attributes):
    """A plugin class named ``plugin_name`` contributing the given types."""

    class TestPlugin(Plugin):
        name = plugin_name
        api_version = "1.0"

        @hookimpl
        def register_component_types(self):
            return list(component_types)

        @hookimpl
        def register_resource_types(self):
            return list(resource_types)

    for key, value in attributes.items():
        setattr(TestPlugin, key, value)
    return TestPlugin


def template_folder(tmp_path, *paths):
    folder = tmp_path / "templates"
    for path in paths:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text("{# test #}", encoding="utf-8")
    return folder


@pytest.fixture
def config(tmp_path):
    """Settings for an app that is created but never reaches a database."""
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'loader.db'}",
        "TESTING": True,
    }


@pytest.fixture
def clean_environment(monkeypatch):
    for key in ("BRIQUE_PLUGINS", "BRIQUE_THEME_PATH"):
        monkeypatch.delenv(key, raising=False)


pytestmark = pytest.mark.usefixtures("clean_environment")


def fails_with(config, plugin, *fragments):
    with pytest.raises(PluginError) as caught:
        create_app(config, plugins=(plugin,))
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_a_well_formed_plugin_loads_with_its_contributions(config):
    plugin = make_plugin(
        "agenda",
        component_types=[component_type("agenda", blueprint=Blueprint("agenda", __name__))],
        resource_types=[resource_type("agenda.event")],
    )
    app = create_app(config, plugins=(plugin,))
    state = app.extensions["brique"]
    assert state.plugins["agenda"].enabled
    assert "agenda" in state.component_types and "agenda.event" in state.resource_types
    assert "agenda" in app.blueprints
    assert state.plugins["agenda"].hooks == [
        "register_component_types",
        "register_resource_types",
    ]


# --- the one-name rule ----------------------------------------------------------------------


@pytest.fixture
def fake_entry_point(monkeypatch):
    """Declare an extra installed entry point ``name = value`` next to the real ones."""

    def declare(name, value):
        extra = EntryPoint(name=name, value=value, group="brique.plugins")

        def entry_points(group):
            return [*real_entry_points(group=group), extra]

        monkeypatch.setattr("brique.plugins.entry_points", entry_points)

    return declare


MISNAMED = make_plugin("calendar")


def test_entry_point_and_class_names_must_be_the_same(config, fake_entry_point):
    fake_entry_point("agenda", f"{__name__}:MISNAMED")
    with pytest.raises(PluginError) as caught:
        create_app(config)
    message = str(caught.value)
    assert "plugin 'agenda'" in message and "name = 'calendar'" in message
    assert "entry point name and Plugin.name must be the same" in message


def test_an_entry_point_must_name_a_plugin_class(config, fake_entry_point):
    fake_entry_point("agenda", f"{__name__}:Defaults")
    with pytest.raises(PluginError, match="'agenda': the entry point must name a subclass"):
        create_app(config)


def test_a_plugin_that_fails_to_import_names_itself_and_how_to_disable_it(config, fake_entry_point):
    fake_entry_point("agenda", "brique_agenda_missing.plugin:AgendaPlugin")
    with pytest.raises(PluginError) as caught:
        create_app(config)
    message = str(caught.value)
    assert "plugin 'agenda'" in message and "brique_agenda_missing" in message
    assert "BRIQUE_PLUGINS" in message


def test_a_broken_plugin_left_out_of_brique_plugins_is_never_imported(config, fake_entry_point):
    fake_entry_point("agenda", "brique_agenda_missing.plugin:AgendaPlugin")
    app = create_app({**config, "PLUGINS": ["tiny"]})
    assert not app.extensions["brique"].plugins["agenda"].enabled


def test_two_distributions_declaring_one_name_fail(config, fake_entry_point):
    fake_entry_point("tiny", f"{__name__}:MISNAMED")
    with pytest.raises(PluginError, match="two installed distributions declare the plugin 'tiny'"):
        create_app(config)


def test_the_component_type_is_named_after_the_plugin(config):
    plugin = make_plugin("agenda", component_types=[component_type("calendar")])
    fails_with(
        config, plugin, "plugin 'agenda'", "component type is named 'calendar'", "name it 'agenda'"
    )


def test_the_public_blueprint_is_named_after_the_plugin(config):
    ctype = component_type("agenda", blueprint=Blueprint("events", __name__))
    plugin = make_plugin("agenda", component_types=[ctype])
    fails_with(config, plugin, "plugin 'agenda'", "blueprint is named 'events'", "name it 'agenda'")


def test_the_admin_blueprint_is_named_after_the_plugin(config):
    ctype = component_type("agenda", admin_blueprint=Blueprint("agenda", __name__))
    plugin = make_plugin("agenda", component_types=[ctype])
    fails_with(config, plugin, "plugin 'agenda'", "name it 'agenda_admin'")


def test_tables_carry_the_plugins_prefix(config):
    plugin = make_plugin("agenda", component_types=[component_type("agenda", models=[Unprefixed])])
    fails_with(config, plugin, "plugin 'agenda'", "table 'entries' must start with 'agenda_'")


@pytest.mark.parametrize("name", ["spaces", "admin", "users", "core", "space", "site"])
def test_a_plugin_cannot_take_a_name_the_core_uses(config, name):
    fails_with(config, make_plugin(name), f"plugin {name!r}", "the core uses this name")


@pytest.mark.parametrize("name", ["Agenda", "my-agenda", "2agenda"])
def test_a_plugin_name_is_a_lowercase_identifier(config, name):
    fails_with(config, make_plugin(name), f"plugin {name!r}", "lowercase letters")


# --- versions, requirements, settings -----------------------------------------------------


@pytest.mark.parametrize("wanted", ["2.0", "1.9", "0.9"])
def test_a_plugin_made_for_another_api_version_is_refused(config, wanted):
    plugin = make_plugin("agenda", api_version=wanted)
    fails_with(config, plugin, "plugin 'agenda'", f"needs plugin API {wanted}", "install a version")


def test_a_plugin_made_for_an_older_minor_version_loads(config, monkeypatch):
    monkeypatch.setattr("brique.plugins.API_VERSION", "1.3.0")
    app = create_app(config, plugins=(make_plugin("agenda", api_version="1.2"),))
    assert app.extensions["brique"].plugins["agenda"].enabled


def test_an_api_version_must_look_like_a_version(config):
    fails_with(config, make_plugin("agenda", api_version="latest"), "api_version must look like")


def test_a_required_plugin_must_be_enabled(config):
    plugin = make_plugin("agenda", requires=("calendar",))
    fails_with(
        config, plugin, "plugin 'agenda' requires the plugin 'calendar'", "install and enable"
    )


def test_a_required_plugin_that_is_enabled_satisfies_the_requirement(config):
    app = create_app(config, plugins=(make_plugin("agenda", requires=("tiny",)),))
    assert app.extensions["brique"].plugins["agenda"].enabled


@pytest.mark.parametrize("key", ["settings_schema", "step_settings_schema"])
def test_settings_schemas_must_load_defaults_from_nothing(config, key):
    plugin = make_plugin("agenda", component_types=[component_type("agenda", **{key: NoDefaults})])
    fails_with(config, plugin, "plugin 'agenda'", key, "load_default")


def test_plugin_settings_carry_the_plugins_prefix(config):
    from brique.config import Setting

    plugin = make_plugin("agenda", settings=(Setting("GREETING", "hi", str, "Greeting."),))
    fails_with(config, plugin, "plugin 'agenda'", "'GREETING' must start with 'AGENDA_'")


# --- names registered twice -----------------------------------------------------------------


def test_a_resource_type_name_taken_by_another_plugin_fails(config):
    plugin = make_plugin("agenda", resource_types=[resource_type("tiny.note")])
    fails_with(config, plugin, "plugin 'agenda'", "'tiny.note'", "'agenda.<kind>'")


def test_a_resource_type_registered_twice_fails(config):
    plugin = make_plugin(
        "agenda", resource_types=[resource_type("agenda.event"), resource_type("agenda.event")]
    )
    fails_with(config, plugin, "plugin 'agenda'", "resource type 'agenda.event'", "unique name")


def test_an_authorization_handler_name_taken_by_the_core_fails(config):
    from brique.authorizations import AuthorizationHandler

    class Residency(AuthorizationHandler):
        name = "residency"

    class Handlers(Plugin):
        name = "agenda"
        api_version = "1.0"

        @hookimpl
        def register_authorization_handlers(self):
            return [Residency()]

    fails_with(config, Handlers, "plugin 'agenda'", "authorization handler 'residency'")


# --- BRIQUE_PLUGINS -------------------------------------------------------------------------


def test_brique_plugins_naming_an_uninstalled_plugin_fails(config, monkeypatch):
    monkeypatch.setenv("BRIQUE_PLUGINS", "tiny, agenda")
    with pytest.raises(PluginError) as caught:
        create_app(config)
    message = str(caught.value)
    assert "BRIQUE_PLUGINS names agenda" in message and "not installed" in message
    assert re.search(r"\(installed: [^)]*\btiny\b", message)


def test_all_installed_plugins_are_enabled_by_default(config):
    app = create_app(config)
    assert app.extensions["brique"].plugins["tiny"].enabled
    assert "tiny" in app.blueprints


@pytest.mark.parametrize("setting", [{"PLUGINS": []}, {"PLUGINS": ""}])
def test_brique_plugins_leaving_tiny_out_disables_it(config, setting):
    app = create_app({**config, **setting})
    state = app.extensions["brique"]
    assert not state.plugins["tiny"].enabled
    assert "tiny" not in app.blueprints
    assert "tiny" not in state.component_types and "tiny.note" not in state.resource_types
    result = app.test_cli_runner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("tiny"))
    assert "disabled" in line.split()


def test_brique_plugins_from_the_environment_leaving_tiny_out_disables_it(config, monkeypatch):
    monkeypatch.setenv("BRIQUE_PLUGINS", "")
    app = create_app(config)
    assert not app.extensions["brique"].plugins["tiny"].enabled


# --- templates ------------------------------------------------------------------------------


def test_a_plugin_template_folder_holds_only_its_own_folder(config, tmp_path):
    folder = template_folder(tmp_path, "agenda/index.html", "tiny/index.html")
    plugin = make_plugin(
        "agenda", component_types=[component_type("agenda")], template_folder=folder
    )
    fails_with(
        config,
        plugin,
        "plugin 'agenda'",
        "exactly one folder named 'agenda'",
        "found: agenda, tiny",
    )


def test_a_plugin_cannot_ship_a_core_template_at_the_top_of_its_folder(config, tmp_path):
    folder = template_folder(tmp_path, "agenda/index.html", "base.html")
    plugin = make_plugin(
        "agenda", component_types=[component_type("agenda")], template_folder=folder
    )
    fails_with(config, plugin, "plugin 'agenda'", "exactly one folder named 'agenda'")


def test_a_plugin_without_a_component_type_cannot_override_core_templates_either(config, tmp_path):
    folder = template_folder(tmp_path, "spaces/home.html")
    fails_with(
        config, make_plugin("agenda", template_folder=folder), "plugin 'agenda'", "found: spaces"
    )


def test_a_plugins_first_migration_opens_the_branch_named_after_it(config, tmp_path):
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "a9e1da000002_first.py").write_text(
        'revision = "a9e1da000002"\ndown_revision = None\nbranch_labels = ("calendar",)\n'
        "depends_on = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"
    )
    plugin = make_plugin("agenda", migrations_folder=tmp_path / "migrations")
    fails_with(config, plugin, "plugin 'agenda'", "branch_labels = ('agenda',)")


def test_a_plugin_template_overrides_nothing_implicitly(config, tmp_path):
    folder = template_folder(tmp_path, "agenda/index.html", "agenda/base.html")
    plugin = make_plugin(
        "agenda", component_types=[component_type("agenda")], template_folder=folder
    )
    app = create_app(config, plugins=(plugin,))
    assert app.jinja_env.get_template("base.html").filename == str(CORE_TEMPLATES / "base.html")
    assert app.jinja_env.get_template("agenda/base.html").filename == str(
        folder / "agenda/base.html"
    )
    tiny = app.jinja_env.get_template("tiny/index.html").filename
    assert tiny == str(TINY_TEMPLATES / "tiny" / "index.html")


def test_the_theme_folder_overrides_core_and_plugin_templates(config, tmp_path):
    theme = template_folder(tmp_path, "base.html", "tiny/index.html")
    app = create_app({**config, "THEME_PATH": str(theme)})
    assert app.jinja_env.get_template("base.html").filename == str(theme / "base.html")
    assert app.jinja_env.get_template("tiny/index.html").filename == str(theme / "tiny/index.html")
    original = app.jinja_env.get_template("core:base.html").filename
    assert original == str(CORE_TEMPLATES / "base.html")


def test_a_theme_extends_the_core_base_page(app, client):
    theme = Path(app.config["THEME_PATH"])
    theme.mkdir(parents=True, exist_ok=True)
    (theme / "base.html").write_text(
        '{% extends "core:base.html" %}'
        '{% block head %}<link rel="stylesheet" href="/uploads/city.css">{% endblock %}'
        '{% block header %}<p class="city-banner">Ville de Beaulieu</p>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/uploads/city.css">' in page
    assert '<p class="city-banner">Ville de Beaulieu</p>' in page
    # The core's header, the home page's content and the core's footer are all still there.
    assert page.index("city-banner") < page.index('class="site-header"')
    assert page.index('class="site-header"') < page.index('id="phase-1"')
    assert 'class="site-footer"' in page
