"""Write endpoints of the API: comment, reply, vote on comments, follow and unfollow.

Each one runs as the owner of the request's token (:mod:`brique.api.auth`), asks
``can()`` exactly what the site's views ask, then calls the same service
functions: the API adds a way in, never a rule.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError

from brique.api.auth import token_required
from brique.api.comments import comment_data, visible_comment, visible_target
from brique.api.errors import ApiError, invalid, not_found, require
from brique.api.schemas import (
    CommentSchema,
    CommentTargetSchema,
    FollowResultSchema,
    FollowSchema,
    NewCommentSchema,
    VoteResultSchema,
    VoteSchema,
)
from brique.comments import services
from brique.comments.controllers import VOTES, posting_limit, voting_limit
from brique.comments.services import Commented
from brique.db import db
from brique.extensions import limiter
from brique.follows.service import follow as start_following
from brique.follows.service import unfollow as stop_following
from brique.follows.targets import FollowTarget, find_target, may_follow
from brique.forms import translate_errors
from brique.models import Comment, User
from brique.permissions import Decision, can


def _token_owner() -> str:
    return f"user:{current_user.id}"


#: Every write of one participant through the API, whatever the endpoint; comments and
#: votes also count in the site's own limits, shared with its forms.
api_write_limit = limiter.shared_limit(
    lambda: current_app.config["API_WRITE_RATE_LIMIT"],
    scope="api-writes",
    key_func=_token_owner,
    methods=["POST", "DELETE"],
)


def load_body(schema: Schema, unknown: str = RAISE, source: Any = None) -> dict[str, Any]:
    """The JSON object of the request (or ``source``) validated by ``schema``; a 422 naming
    each wrong field, in the participant's language."""
    data = request.get_json(silent=True) if source is None else source
    if not isinstance(data, dict):
        raise ApiError(_("Send a JSON object (Content-Type: application/json)."), "invalid", 400)
    try:
        return schema.load(data, unknown=unknown)
    except ValidationError as error:
        raise invalid(translate_errors(error.messages)) from error


def _me() -> User:
    return current_user._get_current_object()


# --- Comments -------------------------------------------------------------------------------


@token_required
@api_write_limit
@posting_limit
def create_comment() -> Any:
    """``POST /comments``: a comment on a resource, or a reply to ``parent_id``."""
    wanted = load_body(CommentTargetSchema(), unknown=EXCLUDE)
    target, parent = _commented(wanted)
    if parent is None:
        require(can_act("comment", target.resource))
    else:
        require(can_act("reply", parent))
    data = load_body(NewCommentSchema())
    if not can_act("moderate", target.component.space):
        data["official"] = False  # only staff answer on the institution's behalf, as on the site
    comment = services.publish_comment(target, _me(), data, parent)
    location = url_for("api.comment", comment_id=comment.id, _external=True)
    body = CommentSchema().dump(comment_data(comment, 0))
    return jsonify(body), 201, {"Location": location}


def _commented(wanted: dict[str, Any]) -> tuple[Commented, Comment | None]:
    if wanted.get("parent_id") is None:
        return visible_target(wanted["resource_type"], wanted["resource_id"]), None
    parent, target = visible_comment(wanted["parent_id"])
    named = (wanted.get("resource_type"), wanted.get("resource_id"))
    if named != (None, None) and named != (target.rtype.name, target.resource.id):
        raise invalid({"parent_id": [_("This comment is not on this resource.")]})
    return target, parent


def can_act(action: str, target: Any) -> Decision:
    """``can()`` for the token's owner (the current user of the request)."""
    return can(current_user, action, target)


@token_required
@api_write_limit
@voting_limit
def vote_comment(comment_id: int) -> Any:
    """``POST /comments/<id>/vote``: vote up, down, or take one's vote back."""
    comment, _target = visible_comment(comment_id)
    require(can_act("vote_comment", comment))
    wanted = load_body(VoteSchema())["vote"]
    services.set_vote(comment, _me(), VOTES[wanted])
    db.session.refresh(comment)
    result = {
        "id": comment.id,
        "vote": wanted,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
    }
    return jsonify(VoteResultSchema().dump(result))


# --- Follows --------------------------------------------------------------------------------


@token_required
@api_write_limit
def follow() -> Any:
    """``POST /follows``: follow a process, a resource or a person."""
    target = _follow_target(request.get_json(silent=True))
    changed = start_following(_me().id, target.type, target.id, target.space_id)
    db.session.commit()
    return _followed(target, True, changed)


@token_required
@api_write_limit
def unfollow() -> Any:
    """``DELETE /follows``: stop following (the target in the body or the query string)."""
    source = request.get_json(silent=True)
    target = _follow_target(source if source is not None else request.args.to_dict())
    changed = stop_following(_me().id, target.type, target.id)
    db.session.commit()
    return _followed(target, False, changed)


def _follow_target(source: Any) -> FollowTarget:
    wanted = load_body(FollowSchema(), source=source)
    target = find_target(current_user, wanted["target_type"], wanted["target_id"])
    if target is None:
        raise not_found()
    require(may_follow(current_user, target))
    return target


def _followed(target: FollowTarget, following: bool, changed: bool) -> Any:
    result = {
        "target_type": target.type,
        "target_id": target.id,
        "following": following,
        "changed": changed,
    }
    return jsonify(FollowResultSchema().dump(result))


#: The views authenticated by token only, hence exempt from CSRF (see :mod:`brique.api.auth`).
TOKEN_VIEWS = (create_comment, vote_comment, follow, unfollow)
