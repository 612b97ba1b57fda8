"""``brique new-plugin NAME``: a new component package that works and tests on day one."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

TEMPLATES = Path(__file__).parent / "template"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class ScaffoldError(ValueError):
    """The name or the target folder does not allow creating the plugin."""


def create_plugin(name: str, target: Path) -> list[Path]:
    """Write the package ``brique-<name>`` into ``target``; return the files written."""
    if not NAME.match(name):
        raise ScaffoldError(
            f"{name!r}: use 2 to 31 lowercase letters, digits or underscores, "
            "starting with a letter"
        )
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} exists and is not empty")
    values = {
        "name": name,
        "package": f"brique_{name}",
        "label": name.replace("_", " ").title(),
        "distribution": f"brique-{name.replace('_', '-')}",
    }
    written = []
    for source in sorted(TEMPLATES.rglob("*")):
        if source.is_dir() or source.name.endswith((".pyc", ".pyo")):
            continue
        relative = Path(Template(str(source.relative_to(TEMPLATES))).substitute(values))
        destination = target / relative.with_name(relative.name.removesuffix(".tmpl"))
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(Template(source.read_text()).substitute(values))
        written.append(destination)
    return written
