"""Follow and unfollow buttons: small POST forms, no JavaScript needed.

Following asks ``can(user, "follow", ...)`` and shows its reason when refused;
stopping to follow is always possible for what one follows.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from brique.db import db
from brique.follows.service import follow, unfollow
from brique.follows.targets import FollowTarget, find_target, followed_target
from brique.permissions import can
from brique.urls import safe_next


def follow_target(target_type: str, target_id: int) -> object:
    target = find_target(current_user, target_type, target_id)
    if target is None:
        abort(404)
    decision = can(current_user, "follow", target.subject)
    if decision.code == "login_required":
        return redirect(url_for("auth.login", next=_back(target)))
    if not decision:
        abort(403, description=decision.reason)
    follow(current_user.id, target.type, target.id, target.space_id)
    db.session.commit()
    flash(
        _("You follow “%(title)s”: you will be notified of what happens.", title=target.title),
        "success",
    )
    return redirect(_back(target))


def unfollow_target(target_type: str, target_id: int) -> object:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=safe_next(request.form.get("next"))))
    target = followed_target(current_user, target_type, target_id)
    if target is None:
        abort(404)
    unfollow(current_user.id, target.type, target.id)
    db.session.commit()
    if target.title:
        flash(_("You no longer follow “%(title)s”.", title=target.title), "success")
    else:
        flash(_("You no longer follow this."), "success")
    return redirect(_back(target))


def _back(target: FollowTarget) -> str:
    return safe_next(request.form.get("next")) or target.url or url_for("spaces.home")
