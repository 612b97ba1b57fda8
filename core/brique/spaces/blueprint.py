"""URL rules of the public site: home, processes, language, uploads."""

from flask import Blueprint

from brique.spaces import controllers
from brique.spaces.queries import period

bp = Blueprint("spaces", __name__)

bp.add_url_rule("/", "home", controllers.home)
bp.add_url_rule("/processes/", "processes", controllers.processes)
bp.add_url_rule("/processes/<slug>/", "show", controllers.show)
bp.add_url_rule("/language", "set_language", controllers.set_language, methods=["POST"])
bp.add_url_rule("/uploads/<path:filename>", "upload", controllers.upload)

# Cards show a process's dates, or else its timeline's first and last days.
bp.add_app_template_global(period, "space_period")
