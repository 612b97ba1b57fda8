"""URL rules of statistics; participation is recorded once the blueprint is registered."""

from flask import Blueprint

from brique.charts import render_chart
from brique.statistics import controllers
from brique.statistics.participation import connect_receivers

bp = Blueprint("statistics", __name__)
bp.record_once(lambda state: connect_receivers())
bp.add_app_template_global(controllers.space_summary, "space_summary")
bp.add_app_template_global(render_chart, "render_chart")
bp.add_app_template_filter(controllers.format_figure, "figure")

bp.add_url_rule("/statistics", "platform", controllers.platform_page)
bp.add_url_rule("/processes/<slug>/statistics", "space", controllers.space_page)
bp.add_url_rule("/admin/statistics", "admin_platform", controllers.admin_platform_page)
bp.add_url_rule("/admin/processes/<slug>/statistics", "admin_space", controllers.admin_space_page)
