"""Admin pages of a budgets component: its budgets and their projects."""

from __future__ import annotations

from flask import g, render_template
from sqlalchemy import select

from brique.plugin_api import component_admin_blueprint, db
from brique_budgets.models import Budget

admin_bp = component_admin_blueprint("budgets", __name__)


@admin_bp.route("/")
def index() -> str:
    budgets = db.session.scalars(
        select(Budget)
        .where(Budget.component_id == g.component.id)
        .order_by(Budget.position, Budget.id)
    ).all()
    return render_template(
        "budgets/admin/index.html", component=g.component, space=g.space, budgets=budgets
    )
