"""Sphinx configuration of Brique's documentation.

Build with warnings as errors (as CI does)::

    .venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html
"""

import sys
from pathlib import Path

DOCS = Path(__file__).parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "Brique"
author = "The Brique contributors"
copyright = "The Brique contributors, AGPL-3.0-or-later"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "brique_docs",
]

# No intersphinx: the build never fetches anything from the network.
root_doc = "index"
exclude_patterns = ["_build", "examples", "_ext"]
templates_path: list[str] = []
language = "en"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"

html_theme = "alabaster"
html_title = "Brique documentation"
html_theme_options = {
    "description": "Participatory democracy: a small core and pluggable components",
    "fixed_sidebar": True,
    "show_relbars": True,
    "page_width": "1160px",
    "sidebar_width": "240px",
}
html_static_path = ["_static"]
