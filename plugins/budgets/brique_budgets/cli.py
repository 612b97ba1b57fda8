"""``brique budgets ...``: commands on budgets and on Pabulib files."""

from __future__ import annotations

from flask.cli import AppGroup

budgets_group = AppGroup("budgets", help="Participatory budgets: Pabulib files, results.")
