"""Write endpoints of the API: comment, reply, edit, delete, report and vote on comments,
follow and unfollow.

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
from brique.api.comments import (
    comment_data,
    names_another_resource,
    replies_count,
    visible_comment,
    visible_target,
)
from brique.api.errors import ApiError, invalid, not_found, require
from brique.api.schemas import (
    CommentEditSchema,
    CommentSchema,
    CommentTargetSchema,
    FollowResultSchema,
    FollowSchema,
    NewCommentSchema,
    ReportResultSchema,
    ReportSchema,
    VoteResultSchema,
    VoteSchema,
)
from brique.comments import services
from brique.comments.controllers import VOTES, posting_limit, voting_limit
from brique.comments.schemas import alignment_name
from brique.comments.services import Commented, CommentRemoved
from brique.db import db
from brique.extensions import limiter
from brique.follows.service import follow as start_following
from brique.follows.service import unfollow as stop_following
from brique.follows.targets import FollowTarget, find_target, followed_target
from brique.forms import translate_errors
from brique.models import Comment, User
from brique.moderation import reporting, targets
from brique.permissions import Decision, can


def _token_owner() -> str:
    return f"user:{current_user.id}"


#: Every write of one participant through the API, whatever the endpoint; comments and
#: votes also count in the site's own limits, shared with its forms.
api_write_limit = limiter.shared_limit(
    lambda: current_app.config["API_WRITE_RATE_LIMIT"],
    scope="api-writes",
    key_func=_token_owner,
    methods=["POST", "PATCH", "DELETE"],
)


#: Reports through the API, per participant (the site's form counts per address).
report_limit = limiter.limit(
    lambda: current_app.config["RATELIMIT_REPORT"],
    key_func=_token_owner,
    methods=["POST"],
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
    data = _official_only_for_staff(load_body(NewCommentSchema()), target)
    comment = services.publish_comment(target, _me(), data, parent)
    location = url_for("api.comment", comment_id=comment.id, _external=True)
    body = CommentSchema().dump(comment_data(comment, 0))
    return jsonify(body), 201, {"Location": location}


def _commented(wanted: dict[str, Any]) -> tuple[Commented, Comment | None]:
    if wanted.get("parent_id") is None:
        return visible_target(wanted["resource_type"], wanted["resource_id"]), None
    parent, target = visible_comment(wanted["parent_id"])
    if names_another_resource(wanted, target):
        raise invalid({"parent_id": [_("This comment is not on this resource.")]})
    return target, parent


def can_act(action: str, target: Any) -> Decision:
    """``can()`` for the token's owner (the current user of the request)."""
    return can(current_user, action, target)


def _official_only_for_staff(data: dict[str, Any], target: Commented) -> dict[str, Any]:
    """Only staff answer on the institution's behalf, as on the site."""
    if not can_act("moderate", target.component.space):
        data["official"] = False
    return data


@token_required
@api_write_limit
def edit_comment(comment_id: int) -> Any:
    """``PATCH /comments/<id>``: change one's comment; the fields left out keep their value."""
    comment, target = visible_comment(comment_id)
    require(can_act("edit", comment))
    sent = request.get_json(silent=True)
    current = {
        "body": comment.body,
        "alignment": alignment_name(comment.alignment),
        "official": comment.is_official,
    }
    data = load_body(
        CommentEditSchema(), source={**current, **sent} if isinstance(sent, dict) else sent
    )
    data = _official_only_for_staff(data, target)
    try:
        services.edit_comment(comment, _me(), data)
    except CommentRemoved:  # deleted or hidden since can() was asked
        message = _("This comment was removed meanwhile: your change is not saved.")
        raise ApiError(message, "closed", 403) from None
    return jsonify(_dumped(comment))


@token_required
@api_write_limit
def delete_comment(comment_id: int) -> Any:
    """``DELETE /comments/<id>``: delete one's comment; its place in the thread stays."""
    comment, _target = visible_comment(comment_id)
    require(can_act("delete", comment))
    services.delete_comment(comment, _me())
    return jsonify(_dumped(comment))


@token_required
@api_write_limit
@report_limit
def report_comment(comment_id: int) -> Any:
    """``POST /comments/<id>/report``: ask the moderators to review a comment."""
    comment, _target = visible_comment(comment_id)
    require(can_act("report", comment))
    data = load_body(ReportSchema())
    try:
        reporting.report(_me(), targets.describe(comment), data["reason"], data["details"].strip())
    except reporting.AlreadyReported:  # the same report sent twice at once
        message = _("You reported this. The moderators will review it.")
        raise ApiError(message, "reported", 403) from None
    result = {"target_type": "comment", "target_id": comment.id, "reason": data["reason"]}
    return jsonify(ReportResultSchema().dump(result)), 201


def _dumped(comment: Comment) -> dict[str, Any]:
    db.session.refresh(comment)
    replies = replies_count([comment.id]).get(comment.id, 0)
    return CommentSchema().dump(comment_data(comment, replies))


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
    """``POST /follows``: follow a process, a resource or a person, if ``can()`` allows it."""
    wanted = load_body(FollowSchema())
    target = find_target(current_user, wanted["target_type"], wanted["target_id"])
    if target is None:
        raise not_found()
    require(can_act("follow", target.subject))
    changed = start_following(_me().id, target.type, target.id, target.space_id)
    db.session.commit()
    return _followed(target, True, changed)


@token_required
@api_write_limit
def unfollow() -> Any:
    """``DELETE /follows``: stop following (the target in the body or the query string).

    Always possible for what one follows, even what one may no longer follow or see.
    """
    source = request.get_json(silent=True)
    wanted = load_body(
        FollowSchema(), source=source if source is not None else request.args.to_dict()
    )
    target = followed_target(current_user, wanted["target_type"], wanted["target_id"])
    if target is None:
        raise not_found()
    changed = stop_following(_me().id, target.type, target.id)
    db.session.commit()
    return _followed(target, False, changed)


def _followed(target: FollowTarget, following: bool, changed: bool) -> Any:
    result = {
        "target_type": target.type,
        "target_id": target.id,
        "following": following,
        "changed": changed,
    }
    return jsonify(FollowResultSchema().dump(result))


#: The views authenticated by token only, hence exempt from CSRF (see :mod:`brique.api.auth`).
TOKEN_VIEWS = (
    create_comment,
    edit_comment,
    delete_comment,
    report_comment,
    vote_comment,
    follow,
    unfollow,
)
