"""URL rules of the action log pages, under ``/admin``."""

from flask import Blueprint

from brique.actionlog import controllers
from brique.actionlog.receivers import connect_receivers

bp = Blueprint("actionlog", __name__, url_prefix="/admin")
bp.record_once(lambda state: connect_receivers())
bp.before_request(controllers.require_login)

bp.add_url_rule("/log", "platform_log", controllers.platform_log)
bp.add_url_rule("/processes/<slug>/log", "space_log", controllers.space_log)
