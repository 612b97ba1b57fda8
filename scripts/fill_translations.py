"""Developers: merge translations from a Python file ``FR = {msgid: msgstr}`` into fr's .po.

Usage: .venv/bin/python scripts/fill_translations.py path/to/fr.py
Only empty or fuzzy entries are filled; then run scripts/translations compile.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parents[1] / "core/brique/translations/fr/LC_MESSAGES/messages.po"


def main(source: str) -> None:
    translations = runpy.run_path(source)["FR"]
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key and (not all(_strings(message)) or message.fuzzy) and key in translations:
            message.string, filled = translations[key], filled + 1
            message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True, sort_output=True)
    missing = [m.id for m in catalog if m.id and not all(_strings(m))]
    print(f"filled {filled}; still untranslated: {len(missing)}")


def _strings(message: object) -> tuple:
    string = message.string
    return string if isinstance(string, tuple) else (string,)


if __name__ == "__main__":
    main(sys.argv[1])
