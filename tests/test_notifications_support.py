"""Helpers shared by the tests of jobs, follows, notifications and newsletters (no tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from brique import plugins

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def run_jobs(app: Any) -> int:
    """Run the due jobs as ``brique jobs work --once`` does, then let the test's session
    see what the worker changed."""
    from brique.db import db
    from brique.jobs.queue import work

    db.session.commit()
    count = work(app, once=True)
    db.session.expire_all()
    return count


def load_example(name: str) -> ModuleType:
    """A module of ``docs/examples``, loaded once."""
    module_name = f"brique_docs_example_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


def install(monkeypatch: Any, *plugin_classes: type) -> list[str]:
    """Make plugin classes count as installed; returns the ``PLUGINS`` to enable with tiny."""
    installed = plugins.installed_entry_points()
    extra = {plugin.name: plugin for plugin in plugin_classes}
    monkeypatch.setattr(plugins, "installed_entry_points", lambda: {**installed, **extra})
    return ["tiny", *extra]


def outbox_to(outbox: Any, address: str) -> list[Any]:
    return [message for message in outbox() if message["To"] == address]
