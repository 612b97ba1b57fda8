"""Developers: merge translations from Python files ``FR = {msgid: msgstr}`` into the French
catalogs (the core's and each first-party plugin's).

Usage: .venv/bin/python scripts/fill_translations.py path/to/fr.py [more.py ...]
Only empty or fuzzy entries are filled; then run scripts/translations compile.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_CATALOGS = ROOT.glob("plugins/*/brique_*/translations/fr/LC_MESSAGES/messages.po")
CATALOGS = [ROOT / "core/brique/translations/fr/LC_MESSAGES/messages.po", *sorted(PLUGIN_CATALOGS)]


def main(sources: list[str]) -> None:
    translations: dict = {}
    for source in sources:
        translations.update(runpy.run_path(source)["FR"])
    for po in CATALOGS:
        fill(po, translations)


def fill(po: Path, translations: dict) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key and (not all(_strings(message)) or message.fuzzy) and key in translations:
            message.string, filled = translations[key], filled + 1
            message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True, sort_output=True)
    missing = [m.id for m in catalog if m.id and not all(_strings(m))]
    print(f"{po.relative_to(ROOT)}: filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print(f"  missing: {msgid!r}")


def _strings(message: object) -> tuple:
    string = message.string
    return string if isinstance(string, tuple) else (string,)


if __name__ == "__main__":
    main(sys.argv[1:])
