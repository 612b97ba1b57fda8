"""People: list, search, detail, and who is a platform administrator."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select, update

from brique.actionlog.log import acting_user, log_action
from brique.admin import queries
from brique.admin.controllers import platform_admin_required
from brique.db import db
from brique.models import Authorization, User
from brique.permissions import can
from brique.users.verifications import describe_authorization

USERS_PER_PAGE = 50
USER_STATUSES = {
    "active": _l("Everybody (except deleted accounts)"),
    "admins": _l("Platform administrators"),
    "unconfirmed": _l("E-mail address not confirmed"),
    "deleted": _l("Deleted accounts"),
}


@platform_admin_required
def users() -> str:
    search = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "active")
    status = status if status in queries.USER_FILTERS else "active"
    page = db.paginate(
        queries.user_search(search, status),
        page=request.args.get("page", 1, type=int),
        per_page=USERS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "admin/users.html", page=page, search=search, status=status, statuses=USER_STATUSES
    )


@platform_admin_required
def user(user_id: int) -> str:
    person = db.get_or_404(User, user_id)
    rows = db.session.scalars(select(Authorization).where(Authorization.user_id == person.id))
    handlers = current_app.extensions["brique"].authorization_handlers
    authorizations = [
        describe_authorization(handlers.get(row.handler), row, row.handler) for row in rows
    ]
    return render_template(
        "admin/user.html",
        person=person,
        roles=queries.roles_of(person),
        authorizations=authorizations,
        admins=queries.platform_admin_count(),
    )


@platform_admin_required
def grant_admin(user_id: int) -> object:
    person = db.get_or_404(User, user_id)
    if not person.is_active:
        abort(400, description=_("A deleted account cannot become an administrator."))
    was_admin = person.is_admin
    person.is_admin = True
    log_action(
        current_user,
        "user.grant_admin",
        person,
        before={"is_admin": was_admin},
        after={"is_admin": True},
    )
    db.session.commit()
    flash(_("%(nickname)s is now a platform administrator.", nickname=person.nickname), "success")
    return redirect(url_for("admin.user", user_id=person.id))


@platform_admin_required
def revoke_admin(user_id: int) -> object:
    person = db.get_or_404(User, user_id)
    if not revoke_platform_admin(person):
        flash(
            _(
                "%(nickname)s is the last platform administrator. Make someone else "
                "administrator first.",
                nickname=person.nickname,
            ),
            "error",
        )
        return redirect(url_for("admin.user", user_id=person.id))
    flash(
        _("%(nickname)s is no longer a platform administrator.", nickname=person.nickname),
        "success",
    )
    if person.id == current_user.id and not can(current_user, "enter_admin"):
        return redirect(url_for("account.profile"))
    return redirect(url_for("admin.user", user_id=person.id))


def revoke_platform_admin(person: User) -> bool:
    """Revoke unless ``person`` is the last active administrator; ``False`` if refused.

    The other administrators' rows are locked (PostgreSQL) so that two admins
    revoking each other at the same moment cannot leave the site without one.
    The change is logged in its transaction, as made by the person of the request.
    """
    others = db.session.scalars(
        select(User.id)
        .where(User.is_admin, User.deleted_at.is_(None), User.id != person.id)
        .with_for_update()
    ).all()
    if not others:
        db.session.rollback()
        return False
    was_admin = person.is_admin
    db.session.execute(update(User).where(User.id == person.id).values(is_admin=False))
    log_action(
        acting_user(),
        "user.revoke_admin",
        person,
        before={"is_admin": was_admin},
        after={"is_admin": False},
    )
    db.session.commit()
    return True
