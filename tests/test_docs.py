"""The documentation covers the whole plugin contract, builds without warnings, and its
examples run.

Conventions (see docs/contributing-docs.rst):
- a hook ``X`` has the page docs/plugins/hooks/X.rst with ``.. autofunction::
  brique.hookspecs.X``, an "Example" section with included code, and is in the changelog;
- signals, settings, CLI commands and test fixtures are rendered by the directives of
  docs/_ext, so each needs its documentation text in the code (sender, description, help);
- a name of ``brique.plugin_api.__all__`` is documented by a directive naming
  ``brique.plugin_api.<name>``;
- the built inventory (objects.inv) holds every hook, signal, facade name, setting,
  command and fixture.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType

import click
import pytest
from blinker import NamedSignal
from markupsafe import escape

from brique import hookspecs, plugin_api, plugins, signals, testing
from brique.cli import cli
from brique.config import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLE_PLUGINS = ("library", "opendata", "press_office", "licence")


def hook_names() -> list[str]:
    marker = f"{hookspecs.PROJECT}_spec"
    return sorted(name for name, value in vars(hookspecs).items() if hasattr(value, marker))


def declared_fixtures() -> list[str]:
    return [
        name
        for name, value in vars(testing).items()
        if type(value).__name__ == "FixtureFunctionDefinition"
        or hasattr(value, "_pytestfixturefunction")
    ]


def declared_signals() -> list[tuple[str, NamedSignal]]:
    return [
        (name, value) for name, value in vars(signals).items() if isinstance(value, NamedSignal)
    ]


def command_paths(command: click.Command, path: str = "brique") -> list[tuple[str, click.Command]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += command_paths(sub, f"{path} {name}")
    return found


# Taken at collection: tests of the CLI later add plugins' groups to this very object.
CORE_COMMANDS = command_paths(cli)


def rst_sources() -> dict[str, str]:
    return {
        str(path.relative_to(DOCS)): path.read_text(encoding="utf-8")
        for path in DOCS.rglob("*.rst")
        if "_build" not in path.parts
    }


def page(relative: str) -> str:
    return (DOCS / relative).read_text(encoding="utf-8")


# --- The contract is documented -------------------------------------------------------------


def test_the_hook_specification_declares_hooks():
    assert "register_component_types" in hook_names()


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_page_with_its_reference_and_an_example(hook):
    path = DOCS / "plugins" / "hooks" / f"{hook}.rst"
    assert path.exists(), f"write docs/plugins/hooks/{hook}.rst"
    text = path.read_text(encoding="utf-8")
    assert f".. autofunction:: brique.hookspecs.{hook}\n" in text
    example = text.partition("\nExample\n-------\n")[2]
    assert "literalinclude::" in example or "code-block:: python" in example, (
        f"{path.name} needs an 'Example' section with code, included from tested code"
    )
    assert re.search(rf"^   {hook}$", page("plugins/hooks/index.rst"), re.MULTILINE), (
        "list the page in the toctree of docs/plugins/hooks/index.rst"
    )


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_in_the_changelog(hook):
    assert f"``{hook}``" in page("changelog.rst")


@pytest.mark.parametrize(("attribute", "signal"), declared_signals())
def test_every_signal_says_its_sender_and_is_in_the_changelog(attribute, signal):
    assert "*sender*" in (signal.__doc__ or ""), f"brique.signals.{attribute}: say the sender"
    assert f"``{signal.name}``" in page("changelog.rst")


def test_signals_page_renders_every_signal_of_the_core():
    assert ".. brique-signals:: brique.signals\n" in page("plugins/signals.rst")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.key)
def test_every_setting_has_a_description(setting):
    assert len(setting.description.split()) >= 3 and setting.description.endswith(".")


def test_configuration_page_renders_the_settings_table():
    assert re.search(r"^\.\. brique-settings::\s*$", page("reference/configuration.rst"), re.M)


@pytest.mark.parametrize(("path", "command"), CORE_COMMANDS, ids=lambda value: str(value))
def test_every_command_has_a_help_text(path, command):
    assert (command.help or command.short_help or "").strip(), f"`{path}` needs a docstring"


def test_cli_page_renders_every_command_including_flasks():
    paths = {path for path, _ in CORE_COMMANDS}
    assert {"brique run", "brique shell", "brique routes", "brique db upgrade"} <= paths
    assert ".. brique-cli:: brique.cli:cli\n" in page("reference/cli.rst")


@pytest.mark.parametrize("name", plugin_api.__all__)
def test_every_plugin_api_name_is_documented(name):
    directive = re.compile(rf"^\.\. (auto\w+|py:\w+):: brique\.plugin_api\.{name}\s*$", re.M)
    assert any(directive.search(text) for text in rst_sources().values()), (
        f"document brique.plugin_api.{name} in docs/plugins/api.rst"
    )


def test_testing_page_renders_every_fixture_and_the_with_plugins_mark():
    assert "create_component" in declared_fixtures()
    text = page("plugins/testing.rst")
    assert ".. brique-fixtures:: brique.testing\n" in text
    assert "pytest.mark.with_plugins(" in text


def test_template_slots_of_the_core_are_the_documented_ones():
    templates = Path(hookspecs.__file__).parent / "templates"
    rendered = set()
    for template in templates.rglob("*.html"):
        rendered |= set(re.findall(r"slot\(\"(\w+)\"", template.read_text(encoding="utf-8")))
    documented = hookspecs.template_slot.__doc__.partition("Slots of the core:")[2]
    assert rendered == set(re.findall(r"``(\w+)`` \(", documented))


def test_changelog_states_the_current_api_version():
    assert f"\n{plugin_api.API_VERSION}\n---" in page("changelog.rst")


# --- The build ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_docs(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess]:
    """Build the HTML docs once, as CI does: warnings are errors."""
    out = tmp_path_factory.mktemp("docs")
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-E", "-b", "html"]
    command += ["-d", str(out / ".doctrees"), str(DOCS), str(out / "html")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    return out / "html", result


def inventory(html: Path) -> set[str]:
    """``"domain:role name"`` of every object of a Sphinx ``objects.inv`` (format 2)."""
    raw = (html / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    entries = set()
    for line in body.splitlines():
        match = re.match(r"(.+?)\s+(\S+:\S+)\s+-?\d+\s", line)
        if match:
            entries.add(f"{match.group(2)} {match.group(1)}")
    return entries


def test_docs_build_without_warnings(built_docs):
    html, result = built_docs
    assert result.returncode == 0, result.stderr
    assert (html / "index.html").exists()


def test_built_docs_hold_every_hook_signal_name_setting_command_and_fixture(built_docs):
    objects = inventory(built_docs[0])
    expected = {f"py:function brique.hookspecs.{hook}" for hook in hook_names()}
    expected |= {f"py:data brique.signals.{attribute}" for attribute, _ in declared_signals()}
    expected |= {f"std:envvar BRIQUE_{setting.key}" for setting in SETTINGS}
    expected |= {f"std:confval {setting.key}" for setting in SETTINGS}
    expected |= {f"std:label cli-{'-'.join(path.split())}" for path, _ in CORE_COMMANDS}
    expected |= {f"std:fixture {name}" for name in declared_fixtures()}
    documented_api = {entry.split(" ", 1)[1] for entry in objects if entry.startswith("py:")}
    missing_api = {f"brique.plugin_api.{name}" for name in plugin_api.__all__} - documented_api
    assert not (expected - objects) and not missing_api, sorted(expected - objects) + sorted(
        missing_api
    )


def test_signal_reference_shows_each_signal_name(built_docs):
    html = (built_docs[0] / "plugins" / "signals.html").read_text(encoding="utf-8")
    for _, signal in declared_signals():
        assert signal.name in html


# --- The examples of the docs run -----------------------------------------------------------


def load_example(name: str) -> ModuleType:
    module_name = f"brique_docs_example_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, DOCS / "examples" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[module_name]


library_card = load_example("library_card")
opendata = load_example("opendata")
press_office = load_example("press_office")
licence = load_example("licence")
notes_digest = load_example("notes_digest")

EXAMPLES = {
    plugin.name: plugin
    for plugin in (
        library_card.LibraryPlugin,
        opendata.OpenDataPlugin,
        press_office.PressOfficePlugin,
        licence.LicencePlugin,
    )
}


@pytest.fixture
def app_config(monkeypatch):
    """The examples' plugins count as installed, as if pip-installed, for this module's apps."""
    installed = plugins.installed_entry_points()
    monkeypatch.setattr(plugins, "installed_entry_points", lambda: {**installed, **EXAMPLES})
    return {"PLUGINS": ["tiny", *EXAMPLE_PLUGINS]}


@pytest.fixture
def notes(dummy_space, create_component):
    current = dummy_space.steps[1]
    return create_component(dummy_space, "tiny", step_settings={current: {"notes_open": True}})


def test_library_card_example_verifies_once_and_restricts_by_branch(
    app, dummy_space, create_component, create_user
):
    from marshmallow import ValidationError

    from brique.authorizations import grant

    handler = app.extensions["brique"].authorization_handlers["library_card"]
    component = create_component(
        dummy_space,
        "tiny",
        step_settings={dummy_space.steps[1]: {"notes_open": True}},
        permissions={"leave_note": {"handlers": {"library_card": {"branches": ["Centre"]}}}},
    )
    reader, other = create_user("reader"), create_user("other")
    assert plugin_api.can(reader, "leave_note", component).code == "verification_required"
    with pytest.raises(ValidationError):
        handler.verify_schema().load({"card_number": "12", "branch": "Centre"})
    grant(
        reader, handler, handler.verify_schema().load({"card_number": "12345678", "branch": "Est"})
    )
    assert plugin_api.can(reader, "leave_note", component).code == "forbidden"
    grant(reader, handler, {"card_number": "12345678", "branch": "Centre"})
    assert plugin_api.can(reader, "leave_note", component)
    with pytest.raises(ValidationError):
        grant(other, handler, {"card_number": "12345678", "branch": "Centre"})


def test_opendata_example_lists_only_what_anyone_may_see(client, dummy_space, create_space):
    create_space("Brouillon", published=False)
    create_space("Assemblée", is_private=True)
    listed = client.get("/open-data/processes.json").get_json()
    assert [process["slug"] for process in listed] == [dummy_space.slug]


def test_opendata_example_command_exports_json(app, dummy_space):
    group = click.Group("brique")
    opendata.OpenDataPlugin().register_cli_commands(cli=group)
    result = app.test_cli_runner().invoke(group, ["opendata", "export"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["title"] == dummy_space.title


def test_press_office_example_hears_of_published_spaces(app, dummy_space):
    office = app.extensions["press_office"]
    signals.space_published.send(dummy_space)
    assert office.email == "presse@example.org"
    assert office.announced == [dummy_space.title]


def test_licence_example_fills_the_footer_and_escapes_the_organiser(client, create_space):
    space = create_space("Budget", organiser="<b>Mairie</b>")
    assert "Licence Ouverte 2.0" in client.get("/").get_data(as_text=True)
    shown = client.get(f"/processes/{space.slug}/").get_data(as_text=True)
    assert f"Questions? Ask {escape('<b>Mairie</b>')}." in shown


def test_notes_digest_example_reads_notes_through_the_resource_type(notes, dummy_user, db):
    from brique_tiny.models import Note

    db.session.add(
        Note(
            component_id=notes.id,
            author_id=dummy_user.id,
            title="Plus de bancs",
            created_at=plugin_api.now(),
        )
    )
    db.session.commit()
    (ref,) = notes_digest.latest_notes(notes)
    assert (ref.type, ref.title) == ("tiny.note", "Plus de bancs")
    assert ref.url.endswith(f"/processes/{notes.space.slug}/c/{notes.id}/notes/{ref.id}")


def test_tiny_demo_content_example_adds_its_component(app, dummy_space, admin_user):
    from brique_tiny.plugin import TinyPlugin

    ideas = dummy_space.steps[0]
    demo = plugin_api.DemoContext(dummy_space, {"ideas": ideas}, [], admin_user, [], [])
    TinyPlugin().demo_content(demo=demo)
    (component,) = dummy_space.components
    assert plugin_api.step_settings_of(component, ideas)["notes_open"] is True


def test_tiny_cli_example_says_its_setting(app):
    from brique_tiny.plugin import TinyPlugin

    group = click.Group("brique")
    TinyPlugin().register_cli_commands(cli=group)
    result = app.test_cli_runner().invoke(group, ["tiny", "hello"])
    assert result.output.strip() == app.config["TINY_GREETING"]
