"""French is complete: every message of the core and of each first-party plugin has a French
translation, compiled."""

import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]

# (source folder, catalog folder): the core, then each first-party plugin's own catalog.
SOURCES = [(ROOT / "core", ROOT / "core" / "brique" / "translations")] + [
    (init.parent, init.parent / "translations")
    for init in sorted(ROOT.glob("plugins/*/brique_*/__init__.py"))
]
IDS = [source.name for source, _ in SOURCES]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted_msgids(tmp_path, source):
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "N_",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(source.relative_to(ROOT)),
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        return {key(message.id) for message in read_po(handle) if message.id}


def key(msgid):
    """Singular messages by their text, plural ones by their singular form."""
    return msgid[0] if isinstance(msgid, tuple) else msgid


def translated(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.string) and all(strings) and not message.fuzzy


def french_catalog(catalogs):
    with (catalogs / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize(("source", "catalogs"), SOURCES, ids=IDS)
def test_every_message_is_translated_into_french(tmp_path, source, catalogs):
    catalog = french_catalog(catalogs)
    missing = sorted(
        msgid
        for msgid in extracted_msgids(tmp_path, source)
        if not catalog.get(msgid) or not catalog.get(msgid).string or catalog.get(msgid).fuzzy
    )
    assert missing == [], "run scripts/translations update, translate, then compile"


def placeholders(text):
    texts = text if isinstance(text, tuple) else (text,)
    return set().union(*(PLACEHOLDER.findall(str(item)) for item in texts))


@pytest.mark.parametrize(("source", "catalogs"), SOURCES, ids=IDS)
def test_french_translations_keep_their_placeholders(source, catalogs):
    wrong = [
        message.id
        for message in french_catalog(catalogs)
        if message.id
        and message.string
        and set(PLACEHOLDER.findall(str(message.id)))
        != set(PLACEHOLDER.findall(str(message.string)))
    ]
    assert wrong == []


@pytest.mark.parametrize(("source", "catalogs"), SOURCES, ids=IDS)
def test_compiled_french_catalog_matches_the_po_file(source, catalogs):
    expected = BytesIO()
    write_mo(expected, french_catalog(catalogs))
    expected.seek(0)
    with (catalogs / "fr" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    fresh = read_mo(expected)
    assert entries(compiled) == entries(fresh), "run scripts/translations compile"


def entries(catalog):
    """``{msgid: msgstr}``, plural forms as tuples (read_mo gives them as lists)."""

    def frozen(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {frozen(m.id): frozen(m.string) for m in catalog if m.id}
