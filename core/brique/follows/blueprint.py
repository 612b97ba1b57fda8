"""URL rules of following: ``/follow/<type>/<id>`` and ``/unfollow/<type>/<id>`` (POST)."""

from flask import Blueprint

from brique.follows import controllers
from brique.follows.service import follow_state

bp = Blueprint("follows", __name__)

bp.add_url_rule(
    "/follow/<target_type>/<int:target_id>", "follow", controllers.follow_target, methods=["POST"]
)
bp.add_url_rule(
    "/unfollow/<target_type>/<int:target_id>",
    "unfollow",
    controllers.unfollow_target,
    methods=["POST"],
)
bp.add_app_template_global(follow_state, "follow_state")
