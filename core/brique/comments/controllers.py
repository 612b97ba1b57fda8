"""Views of comments: publish, reply, edit, delete, vote, history, and links to a comment.

The thread itself shows on the resource's page (``participation/_comments.html``);
these views change it and send the participant back there. Forms that fail
validation come back on a page of their own, with the errors next to the fields.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from brique.comments import services
from brique.comments.schemas import PREFIX, CommentSchema, alignment_name
from brique.comments.services import Commented, CommentRemoved
from brique.db import db
from brique.extensions import limiter
from brique.forms import form_fields, load_form
from brique.models import Comment, CommentVersion
from brique.permissions import Decision, can
from brique.urls import safe_next

VOTES = {"up": 1, "down": -1, "none": 0}


def _per_participant() -> str:
    """Rate limits count per participant, whatever address they post from."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return request.remote_addr or "unknown"


def _posted(response: Any) -> bool:
    return response.status_code < 400  # forms sent back with errors do not count


posting_limit = limiter.shared_limit(
    lambda: current_app.config["COMMENTS_RATE_LIMIT"],
    scope="comments",
    key_func=_per_participant,
    methods=["POST"],
    deduct_when=_posted,
)
voting_limit = limiter.shared_limit(
    lambda: current_app.config["COMMENTS_VOTE_RATE_LIMIT"],
    scope="comment-votes",
    key_func=_per_participant,
    methods=["POST"],
)


def permalink(comment: Comment, target: Commented | None = None) -> str:
    """The resource's page showing the comment's thread, scrolled to the comment."""
    target = target or services.commented_by(comment)
    if target is None:
        return "/"
    return f"{target.rtype.url(target.resource)}?comment={comment.id}#comment-{comment.id}"


def _require(decision: Decision) -> None:
    if not decision:
        abort(404 if decision.code == "not_found" else 403, description=decision.reason)


def _target(type_name: str, resource_id: int) -> Commented:
    target = services.find_commented(type_name, resource_id)
    if target is None:
        abort(404)
    _require(can(current_user, "view", target.component))
    return target


def _comment(comment_id: int) -> tuple[Comment, Commented]:
    comment = db.session.get(Comment, comment_id)
    target = services.commented_by(comment) if comment is not None else None
    if target is None:
        abort(404)
    _require(can(current_user, "view", target.component))
    return comment, target


def _is_staff(target: Commented) -> bool:
    return current_user.is_authenticated and bool(
        can(current_user, "moderate", target.component.space)
    )


def _load(target: Commented, prefix: str) -> tuple[dict | None, dict, dict]:
    data, errors, raw = load_form(CommentSchema(), request.form, prefix)
    if data is not None and not _is_staff(target):
        data["official"] = False  # only staff answer on the institution's behalf
    return data, errors, raw


def _form_page(
    template: str, target: Commented, raw: dict, errors: dict, prefix: str = PREFIX, **context: Any
) -> Any:
    fields = form_fields(CommentSchema(), raw, errors, prefix)
    body = render_template(
        template,
        target=target,
        fields={item.name.removeprefix(prefix): item for item in fields},
        errors={prefix + name: messages for name, messages in errors.items()},
        is_staff=_is_staff(target),
        **context,
    )
    return (body, 422) if errors else body


@posting_limit
def create(type_name: str, resource_id: int) -> Any:
    target = _target(type_name, resource_id)
    _require(can(current_user, "comment", target.resource))
    data, errors, raw = _load(target, PREFIX)
    if data is None:
        return _form_page("comments/new.html", target, raw, errors)
    comment = services.publish_comment(target, current_user._get_current_object(), data)
    flash(_("Your comment is published."), "success")
    return redirect(permalink(comment, target))


@posting_limit
def reply(comment_id: int) -> Any:
    parent, target = _comment(comment_id)
    _require(can(current_user, "reply", parent))
    prefix = f"reply-{parent.id}-"
    if request.method == "GET":
        return _form_page("comments/reply.html", target, {}, {}, prefix, parent=parent)
    data, errors, raw = _load(target, prefix)
    if data is None:
        return _form_page("comments/reply.html", target, raw, errors, prefix, parent=parent)
    comment = services.publish_comment(target, current_user._get_current_object(), data, parent)
    flash(_("Your reply is published."), "success")
    return redirect(permalink(comment, target))


@posting_limit
def edit(comment_id: int) -> Any:
    comment, target = _comment(comment_id)
    _require(can(current_user, "edit", comment))
    if request.method == "GET":
        values = {
            "body": comment.body,
            "alignment": alignment_name(comment.alignment),
            "official": comment.is_official,
        }
        return _form_page("comments/edit.html", target, values, {}, comment=comment)
    data, errors, raw = _load(target, PREFIX)
    if data is None:
        return _form_page("comments/edit.html", target, raw, errors, comment=comment)
    try:
        changed = services.edit_comment(comment, current_user._get_current_object(), data)
    except CommentRemoved:
        flash(_("This comment was removed meanwhile: your change is not saved."), "error")
        return redirect(permalink(comment, target))
    if changed:
        flash(_("Your comment is changed."), "success")
    return redirect(permalink(comment, target))


def delete(comment_id: int) -> Any:
    comment, target = _comment(comment_id)
    _require(can(current_user, "delete", comment))
    if request.method == "GET":
        return render_template("comments/delete.html", comment=comment, target=target)
    services.delete_comment(comment, current_user._get_current_object())
    flash(_("Your comment is deleted."), "success")
    return redirect(permalink(comment, target))


@voting_limit
def vote(comment_id: int) -> Any:
    comment, target = _comment(comment_id)
    _require(can(current_user, "vote_comment", comment))
    value = VOTES.get(request.form.get("vote", ""))
    if value is None:
        abort(400, description=_("Choose to vote up, down, or to take your vote back."))
    services.set_vote(comment, current_user._get_current_object(), value)
    back = safe_next(request.form.get("next"))
    return redirect(f"{back}#comment-{comment.id}" if back else permalink(comment, target))


def history(comment_id: int) -> Any:
    comment, target = _comment(comment_id)
    _require(can(current_user, "history", comment))
    versions = db.session.scalars(
        select(CommentVersion)
        .where(CommentVersion.comment_id == comment.id)
        .order_by(CommentVersion.replaced_at.desc(), CommentVersion.id.desc())
    ).all()
    return render_template(
        "comments/history.html", comment=comment, target=target, versions=versions
    )


def show(comment_id: int) -> Any:
    """A lasting address for a comment (e-mails, notifications): its thread, on the resource."""
    comment, target = _comment(comment_id)
    return redirect(permalink(comment, target))
