"""URL rules of the JSON API, version 1, and of the account page of API tokens."""

from typing import Any

from flask import Blueprint
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from brique.api import account, controllers, writes
from brique.api.errors import ApiError, api_error
from brique.api.pagination import BadArguments
from brique.api.tokens import forget_tokens
from brique.extensions import csrf
from brique.signals import user_blocked, user_deleted

bp = Blueprint("api", __name__, url_prefix="/api/v1")

bp.add_url_rule("/openapi.json", "openapi", controllers.openapi)
bp.add_url_rule("/spaces", "spaces", controllers.spaces)
bp.add_url_rule("/spaces/<slug>", "space", controllers.space)
bp.add_url_rule("/spaces/<slug>/steps", "space_steps", controllers.space_steps)
bp.add_url_rule("/spaces/<slug>/statistics", "space_statistics", controllers.space_statistics)
bp.add_url_rule("/components/<int:component_id>", "component", controllers.component)
bp.add_url_rule("/components/<int:component_id>/resources", "resources", controllers.resources)
bp.add_url_rule("/comments", "comments", controllers.comments)
bp.add_url_rule("/comments", "create_comment", writes.create_comment, methods=["POST"])
bp.add_url_rule("/comments/<int:comment_id>", "comment", controllers.comment)
bp.add_url_rule(
    "/comments/<int:comment_id>", "edit_comment", writes.edit_comment, methods=["PATCH"]
)
bp.add_url_rule(
    "/comments/<int:comment_id>", "delete_comment", writes.delete_comment, methods=["DELETE"]
)
bp.add_url_rule(
    "/comments/<int:comment_id>/report", "report_comment", writes.report_comment, methods=["POST"]
)
bp.add_url_rule(
    "/comments/<int:comment_id>/vote", "vote_comment", writes.vote_comment, methods=["POST"]
)
bp.add_url_rule("/follows", "follow", writes.follow, methods=["POST"])
bp.add_url_rule("/follows", "unfollow", writes.unfollow, methods=["DELETE"])
bp.register_error_handler(BadArguments, controllers.bad_arguments)
bp.register_error_handler(ApiError, api_error)
bp.register_error_handler(HTTPException, controllers.http_error)

# Any site may call the API from a browser. No cookie is sent or needed: reads are
# public, and writes are authenticated by the token of the Authorization header only.
CORS(
    bp,
    methods=["GET", "HEAD", "OPTIONS", "POST", "PATCH", "DELETE"],
    allow_headers=["Authorization", "Content-Type", "Accept-Language"],
    send_wildcard=True,
    supports_credentials=False,
)


@bp.record_once
def _setup(state: Any) -> None:
    for view in writes.TOKEN_VIEWS:
        csrf.exempt(view)  # a token, never a cookie, authenticates them: see brique.api.auth
    user_deleted.connect(forget_tokens)
    user_blocked.connect(forget_tokens)


tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")
tokens_bp.add_url_rule("/", "index", account.index, methods=["GET", "POST"])
tokens_bp.add_url_rule("/<int:token_id>/revoke", "revoke", account.revoke, methods=["POST"])
