"""URL rules of open data."""

from flask import Blueprint

from brique.opendata import controllers
from brique.opendata.export import is_open

bp = Blueprint("open_data", __name__)
bp.add_app_template_global(is_open, "has_open_data")

bp.add_url_rule("/processes/<slug>/open-data.zip", "download", controllers.download)
