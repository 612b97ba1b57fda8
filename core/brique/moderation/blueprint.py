"""URL rules of moderation: reporting (public) and the moderators' pages (under ``/admin``)."""

from flask import Blueprint

from brique.moderation import admin_controllers as admin
from brique.moderation import controllers, visibility
from brique.moderation.schemas import REASON_LABELS

GET_POST = ["GET", "POST"]
POST = ["POST"]

bp = Blueprint("moderation", __name__)
bp.add_url_rule(
    "/report/<type_name>/<int:target_id>", "report", controllers.report, methods=GET_POST
)
for name in ("is_hidden", "hidden_ids", "reported_ids", "moderation_placeholder"):
    bp.add_app_template_global(getattr(visibility, name), name)
bp.add_app_template_global(controllers.report_decision, "report_decision")
bp.add_app_template_global(controllers.may_moderate, "may_moderate")
bp.add_app_template_global(visibility.current_path, "moderation_return_path")
bp.add_app_template_global(REASON_LABELS, "report_reasons")

admin_bp = Blueprint("moderation_admin", __name__, url_prefix="/admin")
admin_bp.before_request(admin.require_login)

QUEUE = "/processes/<slug>/moderation"
admin_bp.add_url_rule(f"{QUEUE}/", "queue", admin.queue)
admin_bp.add_url_rule("/moderation/", "platform", admin.platform)
admin_bp.add_url_rule(
    "/moderation/users/<int:user_id>/block", "block_user", admin.block_user, methods=GET_POST
)
admin_bp.add_url_rule(
    "/moderation/users/<int:user_id>/unblock", "unblock_user", admin.unblock_user, methods=POST
)
# The action comes as a default value rather than a functools.partial: CSRF protection
# (Flask-WTF) reads the view's __name__, which partials lack.
for action in ("hide", "unhide", "dismiss"):
    admin_bp.add_url_rule(
        f"{QUEUE}/<int:moderation_id>/{action}",
        action,
        admin.decide,
        methods=POST,
        defaults={"action": action},
    )
admin_bp.add_url_rule(
    f"{QUEUE}/hide/<type_name>/<int:target_id>", "hide_target", admin.hide_target, methods=POST
)
admin_bp.add_url_rule(
    "/moderation/<int:moderation_id>/dismiss",
    "platform_dismiss",
    admin.platform_decide,
    methods=POST,
    defaults={"action": "dismiss"},
)
