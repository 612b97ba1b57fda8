"""The plugins' test folders are not packages: pytest imports their modules by file name,
so two plugins must not hold test modules of the same name (the second fails to import)."""

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_plugin_test_modules_have_names_of_their_own():
    names = Counter(path.name for path in ROOT.glob("plugins/*/tests/test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
