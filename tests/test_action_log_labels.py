"""The action log shows verbs in words: the core's own, and those a component type labels in
its ``log_verbs``. Every first-party component labels every verb it writes."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from brique.actionlog.labels import verb_label
from brique.actionlog.log import log_action
from brique.components import component_type

ROOT = Path(__file__).resolve().parents[1]
#: The packages of the first-party components, and of the tutorial's tiny one.
FIRST_PARTY = sorted(
    init.parent
    for init in [
        *ROOT.glob("plugins/*/brique_*/__init__.py"),
        *ROOT.glob("tests/*/brique_*/__init__.py"),
    ]
)


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def labelled_tiny(app, monkeypatch):
    """The tiny component type, labelling a verb of its own."""
    labelled = dataclasses.replace(component_type("tiny"), log_verbs={"tiny.pin": "Pinned a note"})
    monkeypatch.setitem(app.extensions["brique"].component_types, "tiny", labelled)
    return labelled


# --- Labels -----------------------------------------------------------------------------------


def test_a_component_types_label_names_its_verb(labelled_tiny):
    assert verb_label("tiny.pin") == "Pinned a note"


def test_a_verb_nobody_labels_shows_as_it_is(labelled_tiny):
    assert verb_label("tiny.unpin") == "tiny.unpin"
    assert verb_label("agenda.pin") == "agenda.pin"  # no such component type
    assert verb_label("nodot") == "nodot"


def test_the_cores_verbs_keep_their_labels(labelled_tiny):
    assert verb_label("space.publish") == "Published the process"


def test_a_component_type_labels_only_verbs_under_its_name(app):
    with pytest.raises(ValueError, match=r"'tiny'.*space\.publish, tinyx\.pin.*'tiny\.<action>'"):
        dataclasses.replace(
            component_type("tiny"),
            log_verbs={"tiny.pin": "Pinned", "space.publish": "Published", "tinyx.pin": "Pinned"},
        )


def test_the_log_pages_show_a_components_label(labelled_tiny, dummy_space, admin_user, login, db):
    log_action(admin_user, "tiny.pin", ("tiny.note", 1), space=dummy_space.id)
    db.session.commit()
    for url in ("/admin/log", f"/admin/processes/{dummy_space.slug}/log"):
        page = login(admin_user).get(url).get_data(as_text=True)
        assert "Pinned a note <code" in page  # the entry, its verb in words then as written
        assert "Pinned a note (tiny.pin)</option>" in page  # the filter's list of actions


# --- Every verb of the first-party components is labelled -------------------------------------


def written_verbs(package: Path) -> tuple[set[str], list[str]]:
    """The verbs ``package`` passes to ``log_action``, and where it passes one this cannot read.

    A verb is read where it is written as a string: the second argument of ``log_action``,
    a ``verb=`` argument of any call, or the default of a ``verb`` parameter (functions that
    log for their callers). ``log_action(..., verb, ...)`` is that parameter.
    """
    verbs: set[str] = set()
    unreadable: list[str] = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                verbs |= {text for text in _verb_keywords(node) if text}
                if _is_log_action(node):
                    verb = node.args[1] if len(node.args) > 1 else _keyword(node, "verb")
                    if _string(verb):
                        verbs.add(_string(verb))
                    elif not (isinstance(verb, ast.Name) and verb.id == "verb"):
                        unreadable.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                verbs |= {text for text in _verb_defaults(node.args) if text}
    return verbs, unreadable


def _is_log_action(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "log_action") or (
        isinstance(func, ast.Attribute) and func.attr == "log_action"
    )


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _string(node: ast.expr | None) -> str | None:
    is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
    return node.value if is_text else None


def _verb_keywords(call: ast.Call) -> list[str | None]:
    return [_string(k.value) for k in call.keywords if k.arg == "verb"]


def _verb_defaults(arguments: ast.arguments) -> list[str | None]:
    positional = [*arguments.posonlyargs, *arguments.args]
    defaulted = positional[len(positional) - len(arguments.defaults) :]  # the last ones
    pairs = [
        *zip(defaulted, arguments.defaults, strict=True),
        *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
    ]
    return [_string(default) for argument, default in pairs if argument.arg == "verb"]


def installed_first_party(app) -> list[Path]:
    """The first-party packages whose component type is enabled in this app."""
    enabled = app.extensions["brique"].component_types
    found = [package for package in FIRST_PARTY if package.name.removeprefix("brique_") in enabled]
    if not found:
        pytest.skip("no first-party component is installed")
    return found


def test_the_verbs_written_are_found_however_they_are_passed(app):
    budgets = ROOT / "plugins" / "budgets" / "brique_budgets"
    if budgets not in installed_first_party(app):
        pytest.skip("the budgets component is not installed")
    verbs, _unreadable = written_verbs(budgets)
    # a default of ``verb``, a ``verb=`` argument, and log_action's second argument
    assert {"budgets.add_project", "budgets.import_project", "budgets.add_budget"} <= verbs


def test_first_party_components_pass_log_action_verbs_that_can_be_read(app):
    unreadable = [where for p in installed_first_party(app) for where in written_verbs(p)[1]]
    assert unreadable == [], "write the verb as a string, or pass it through a `verb` parameter"


def test_first_party_components_label_every_verb_they_write(app):
    unlabelled = {
        verb: package.name
        for package in installed_first_party(app)
        for verb in written_verbs(package)[0]
        if verb_label(verb) == verb  # shown as it is: nobody labels it
    }
    assert unlabelled == {}, "label them in the log_verbs of the component type"


def test_first_party_components_label_only_verbs_they_write(app):
    for package in installed_first_party(app):
        ctype = component_type(package.name.removeprefix("brique_"))
        assert set(ctype.log_verbs) <= written_verbs(package)[0], package.name
