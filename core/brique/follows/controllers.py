"""Follow and unfollow buttons: small POST forms, no JavaScript needed."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from brique.db import db
from brique.follows.service import follow, unfollow
from brique.follows.targets import FollowTarget, find_target, may_follow
from brique.urls import safe_next


def follow_target(target_type: str, target_id: int) -> object:
    target = _allowed_target(target_type, target_id)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=_back(target)))
    follow(current_user.id, target.type, target.id, target.space_id)
    db.session.commit()
    flash(
        _("You follow “%(title)s”: you will be notified of what happens.", title=target.title),
        "success",
    )
    return redirect(_back(target))


def unfollow_target(target_type: str, target_id: int) -> object:
    target = _allowed_target(target_type, target_id)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=_back(target)))
    unfollow(current_user.id, target.type, target.id)
    db.session.commit()
    flash(_("You no longer follow “%(title)s”.", title=target.title), "success")
    return redirect(_back(target))


def _allowed_target(target_type: str, target_id: int) -> FollowTarget:
    target = find_target(current_user, target_type, target_id)
    if target is None:
        abort(404)
    decision = may_follow(current_user, target)
    if not decision and decision.code != "login_required":
        abort(403, description=decision.reason)
    return target


def _back(target: FollowTarget) -> str:
    return safe_next(request.form.get("next")) or target.url or url_for("spaces.home")
