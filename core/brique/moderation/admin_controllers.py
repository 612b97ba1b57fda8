"""The moderators' queue of a space, and the platform's reported and blocked people."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from brique.actionlog.labels import type_label
from brique.actionlog.log import acting_user
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Moderation, Space, User
from brique.moderation import decisions, queries, targets
from brique.moderation.schemas import REASON_LABELS, BlockSchema
from brique.permissions import can
from brique.space_admin.queries import space_by_slug

PER_PAGE = 30
DECISION_LABELS = {
    "hide": _l("hidden"),
    "unhide": _l("shown again"),
    "dismiss": _l("reports dismissed"),
    "block": _l("account blocked"),
}


def require_login() -> object | None:
    """Anonymous people log in first; each view then asks ``can()``."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    return None


def moderated_space(slug: str) -> Space:
    """The space of the URL, if the current user moderates it."""
    space = space_by_slug(slug)
    if space is None:
        abort(404)
    decision = can(current_user, "moderate", space)
    if not decision:
        abort(403, description=decision.reason)
    g.space = space
    return space


def _platform_admin() -> None:
    decision = can(current_user, "admin")
    if not decision:
        abort(403, description=decision.reason)


def _tab() -> str:
    tab = request.args.get("tab", "pending")
    return tab if tab in queries.TABS else "pending"


def queue_page(template: str, space: Space | None, **context: Any) -> str:
    tab = _tab()
    page = db.paginate(
        queries.queue_query(space.id if space else None, tab),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        template,
        space=space,
        queue_tab=tab,
        decision_labels=DECISION_LABELS,
        page=page,
        counts=queries.tab_counts(space.id if space else None),
        reports=queries.reports_of(page.items),
        people=queries.people_of(page.items),
        contexts=queries.contexts_of(page.items),
        reasons=REASON_LABELS,
        type_label=type_label,
        **context,
    )


def queue(slug: str) -> str:
    return queue_page("moderation/queue.html", moderated_space(slug))


def _moderation_of(space: Space | None, moderation_id: int) -> Moderation:
    moderation = db.session.get(Moderation, moderation_id)
    if moderation is None or moderation.space_id != (space.id if space else None):
        abort(404)
    return moderation


DONE = {
    "hide": (decisions.hide, _l("The content is hidden."), _l("It was hidden already.")),
    "unhide": (decisions.unhide, _l("The content shows again."), _l("It was not hidden.")),
    "dismiss": (
        decisions.dismiss,
        _l("The reports are dismissed."),
        _l("There was no report left to dismiss."),
    ),
}


def decide(slug: str, moderation_id: int, action: str) -> Any:
    space = moderated_space(slug)
    moderation = _moderation_of(space, moderation_id)
    decide_and_tell(moderation, action)
    return redirect(url_for("moderation_admin.queue", slug=space.slug, tab=_tab()), code=303)


def hide_target(slug: str, type_name: str, target_id: int) -> Any:
    """A moderator hides content of their space straight from its page, reported or not."""
    space = moderated_space(slug)
    target = targets.resolve(type_name, target_id)
    if target is None or target.space is None or target.space.id != space.id:
        abort(404)
    if decisions.hide_unreported(target, acting_user()):
        flash(_("The content is hidden."), "success")
    else:
        flash(_("It was hidden already."), "info")
    return redirect(target.url or url_for("moderation_admin.queue", slug=space.slug), code=303)


def decide_and_tell(moderation: Moderation, action: str) -> None:
    apply, done, already = DONE[action]
    if apply(moderation, acting_user()):
        flash(str(done), "success")
    else:
        flash(str(already), "info")


def platform() -> str:
    _platform_admin()
    blocked = db.paginate(queries.blocked_people(), page=1, per_page=PER_PAGE, error_out=False)
    return queue_page(
        "moderation/platform.html", None, spaces=queries.pending_by_space(), blocked=blocked
    )


def platform_decide(moderation_id: int, action: str) -> Any:
    _platform_admin()
    decide_and_tell(_moderation_of(None, moderation_id), action)
    return redirect(url_for("moderation_admin.platform", tab=_tab()), code=303)


def block_user(user_id: int) -> Any:
    _platform_admin()
    person = db.get_or_404(User, user_id)
    refusal = _block_refusal(person)
    if refusal:
        abort(400, description=refusal)
    if request.method == "GET":
        return _block_page(person, {}, {})
    data, errors, raw = load_form(BlockSchema, request.form)
    if data is None:
        return _block_page(person, raw, errors)
    if decisions.block(person, acting_user(), data["reason"]):
        flash(_("%(nickname)s is blocked.", nickname=person.nickname), "success")
    return redirect(url_for("moderation_admin.platform"), code=303)


def _block_refusal(person: User) -> str | None:
    if person.id == current_user.id:
        return _("You cannot block yourself.")
    if person.is_admin:
        return _("Platform administrators cannot be blocked: revoke the role first.")
    if not person.is_active:
        return _("This account is deleted.")
    return None


def _block_page(person: User, values: dict, errors: dict) -> Any:
    fields = form_fields(BlockSchema, values, errors)
    body = render_template("moderation/block.html", person=person, fields=fields, errors=errors)
    return (body, 422) if errors else body


def unblock_user(user_id: int) -> Any:
    _platform_admin()
    person = db.get_or_404(User, user_id)
    if decisions.unblock(person, acting_user()):
        flash(_("%(nickname)s can log in again.", nickname=person.nickname), "success")
    return redirect(url_for("moderation_admin.platform"), code=303)
