"""URL rules of notifications: ``/notifications`` and the e-mailed unsubscribe links."""

from flask import Blueprint

from brique.extensions import csrf
from brique.notifications import controllers
from brique.notifications.queries import unread_notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

bp.add_url_rule("/", "index", controllers.index)
bp.add_url_rule("/<int:notification_id>/read", "mark_read", controllers.mark_read, methods=["POST"])
bp.add_url_rule("/read", "mark_all_read", controllers.mark_all_read, methods=["POST"])
# The token is the proof: mail clients post to it without a form (RFC 8058 one-click).
bp.add_url_rule(
    "/unsubscribe/<token>",
    "unsubscribe",
    csrf.exempt(controllers.unsubscribe),
    methods=["GET", "POST"],
)
bp.add_app_template_global(unread_notifications, "unread_notifications")
