"""URL rules of comments, under ``/comments``."""

from typing import Any

from flask import Blueprint

from brique.comments import controllers as ctl
from brique.comments.counts import connect_count_receivers
from brique.comments.queries import comment_section
from brique.comments.services import forget_comments
from brique.comments.text import render_comment
from brique.signals import resource_deleted

bp = Blueprint("comments", __name__, url_prefix="/comments")

GET_POST = ["GET", "POST"]
POST = ["POST"]
COMMENT = "/<int:comment_id>"

bp.add_url_rule("/<type_name>/<int:resource_id>", "create", ctl.create, methods=POST)
bp.add_url_rule(f"{COMMENT}", "show", ctl.show)
bp.add_url_rule(f"{COMMENT}/reply", "reply", ctl.reply, methods=GET_POST)
bp.add_url_rule(f"{COMMENT}/edit", "edit", ctl.edit, methods=GET_POST)
bp.add_url_rule(f"{COMMENT}/delete", "delete", ctl.delete, methods=GET_POST)
bp.add_url_rule(f"{COMMENT}/vote", "vote", ctl.vote, methods=POST)
bp.add_url_rule(f"{COMMENT}/history", "history", ctl.history)

bp.add_app_template_global(comment_section)
bp.add_app_template_filter(render_comment, "comment_markdown")


@bp.record_once
def _listen(state: Any) -> None:
    resource_deleted.connect(forget_comments)
    connect_count_receivers()
