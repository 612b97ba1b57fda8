"""URL rules of newsletters, under ``/admin/newsletters``."""

from flask import Blueprint

from brique.admin.controllers import require_staff
from brique.newsletters import controllers

bp = Blueprint("newsletters", __name__, url_prefix="/admin/newsletters")
bp.before_request(require_staff)

GET_POST = ["GET", "POST"]
NEWSLETTER = "/<int:newsletter_id>"

bp.add_url_rule("/", "index", controllers.index)
bp.add_url_rule("/new", "new", controllers.new, methods=GET_POST)
bp.add_url_rule(f"{NEWSLETTER}/", "show", controllers.show)
bp.add_url_rule(f"{NEWSLETTER}/edit", "edit", controllers.edit, methods=GET_POST)
bp.add_url_rule(f"{NEWSLETTER}/send", "send", controllers.send, methods=GET_POST)
bp.add_url_rule(f"{NEWSLETTER}/delete", "delete", controllers.delete, methods=["POST"])
