"""Fixtures shared by the tests of statistics and open data (tests/test_statistics.py,
tests/test_open_data.py); holds no test. Registered in tests/conftest.py.

Both count the notes of the tiny component, and both load the documentation's example
plugin (docs/examples/note_figures.py) as if it were installed, so that the example
the docs show is the code the tests run.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brique import plugins, signals
from brique.testing import FROZEN_AT

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "note_figures.py"
EXAMPLE_MODULE = "brique_docs_example_note_figures"


def load_example() -> Any:
    """The docs' example plugin module, loaded once."""
    if EXAMPLE_MODULE not in sys.modules:
        spec = importlib.util.spec_from_file_location(EXAMPLE_MODULE, EXAMPLE)
        module = importlib.util.module_from_spec(spec)
        sys.modules[EXAMPLE_MODULE] = module
        spec.loader.exec_module(module)
    return sys.modules[EXAMPLE_MODULE]


@pytest.fixture
def note_figures_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The docs' example plugin counts as installed, for ``with_plugins("note_figures")``.

    Request it from ``app_config``: the plugins are loaded when the app is created.
    """
    example = load_example().NoteFiguresPlugin
    installed = plugins.installed_entry_points()
    monkeypatch.setattr(
        plugins, "installed_entry_points", lambda: {**installed, "note_figures": example}
    )


@pytest.fixture
def notes(dummy_space: Any, create_component: Callable[..., Any]) -> Any:
    """A published tiny component named "Idées" in ``dummy_space``."""
    return create_component(dummy_space, "tiny", name="Idées")


@pytest.fixture
def add_note(db: Any, create_user: Callable[..., Any]) -> Callable[..., Any]:
    """``add_note(component, title="Une idée", author=None, at=FROZEN_AT)``: a note, stored
    and announced with ``resource-created`` as the component would (a new author by default)."""
    from brique_tiny.models import Note

    def add(
        component: Any, title: str = "Une idée", author: Any = None, at: Any = FROZEN_AT
    ) -> Any:
        author = author or create_user()
        note = Note(component_id=component.id, author_id=author.id, title=title, created_at=at)
        db.session.add(note)
        db.session.commit()
        signals.resource_created.send("tiny.note", resource=note, user=author)
        return note

    return add
