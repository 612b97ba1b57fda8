"""``can(user, action, target)``: the one function that decides every action.

It combines, in order: visibility of the space and component; the active
step's settings opening the action; who the user is (logged in, confirmed,
role in the space); the requirements the admin set on the action
(authorization handlers, profile fields); the component's own rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context, request, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from brique.components import component_type, step_settings_of
from brique.db import db
from brique.models import Comment, Component, Space, SpaceRole, User
from brique.moderation.accounts import is_blocked, login_refusal
from brique.moderation.targets import describe as reported_target
from brique.moderation.visibility import has_reported, shows_hidden
from brique.timeline import active_step, upcoming_steps

DEFAULT_REQUIREMENTS: dict[str, Any] = {"handlers": {"email": {}}}


@dataclass(frozen=True)
class Decision:
    """The answer of :func:`can`: whether the action is allowed and, if not, why."""

    allowed: bool
    reason: str = ""
    #: A short machine code: ``login_required``, ``unconfirmed``, ``closed``, ``not_found``,
    #: ``forbidden``, ``verification_required``, ``profile_incomplete``, ``limit``,
    #: ``blocked`` (the account is blocked), ``own`` and ``reported`` (reporting)...
    code: str = ""
    #: Where the user can lift the refusal (log in, verify...), if anywhere.
    url: str | None = None
    url_label: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def refuse(
    reason: str, code: str, url: str | None = None, url_label: str | None = None
) -> Decision:
    return Decision(False, str(reason), code, url, None if url_label is None else str(url_label))


def can(user: User | AnonymousUserMixin | None, action: str, target: Any = None) -> Decision:
    """Decide whether ``user`` may do ``action`` on ``target``.

    ``target`` is ``None`` (platform actions: ``admin``, ``create_space``), a
    :class:`~brique.models.Space` (``view``, ``admin``, ``moderate``,
    ``valuate``), a :class:`~brique.models.Component` (``view``, ``admin`` or one
    of its type's actions), a resource of a registered resource type (its
    component's actions), or a :class:`~brique.models.Comment` (``reply``,
    ``vote_comment``, ``edit``, ``delete``, ``history``). ``report`` takes a resource, a
    comment or a :class:`~brique.models.User`; ``follow`` a space, a resource or a user.

    A blocked person is refused every action but reading, with the reason of the block.
    """
    person = user if isinstance(user, User) and user.is_active else None
    if person is not None and is_blocked(person):
        if action not in READ_ACTIONS:
            return refuse(login_refusal(person), "blocked")
        person = None  # reads what anyone reads
    if action in SERVICE_ACTIONS:
        return SERVICE_ACTIONS[action](person, target)
    if target is None:
        return _platform(person, action)
    if isinstance(target, Space):
        return _space(person, action, target)
    if isinstance(target, Comment):
        return _comment(person, action, target)
    component = target if isinstance(target, Component) else _component_of(target)
    if isinstance(component, Component):
        return _component(person, action, component, target)
    raise TypeError(f"can(): no rule for targets of type {type(target).__name__}")


#: What a blocked person may still do: read, as anyone may.
READ_ACTIONS = frozenset({"view", "history"})


def _component_of(resource: Any) -> Component | None:
    """The component of a resource: its ``component`` attribute, or its resource type's."""
    component = getattr(resource, "component", None)
    if component is not None:
        return component
    for rtype in current_app.extensions["brique"].resource_types.values():
        if isinstance(resource, rtype.model):
            return rtype.component_of(resource)
    return None


def _platform(user: User | None, action: str) -> Decision:
    if action == "enter_admin" and user is not None and (user.is_admin or staff_spaces(user)):
        return ALLOWED
    if user is not None and user.is_admin and action in {"admin", "create_space", "enter_admin"}:
        return ALLOWED
    return refuse(_l("Only platform administrators can do this."), "forbidden")


SPACE_ROLES_FOR = {
    "admin": {"admin"},
    "moderate": {"admin", "moderator"},
    "valuate": {"admin", "valuator"},
}


def _space(user: User | None, action: str, space: Space) -> Decision:
    if action == "view":
        return _view_space(user, space)
    allowed_roles = SPACE_ROLES_FOR.get(action)
    if allowed_roles is None:
        raise ValueError(f"can(): unknown action {action!r} on a space")
    if user is not None and (user.is_admin or roles_in(user, space) & allowed_roles):
        return ALLOWED
    return refuse(_l("You do not have the role this needs in this process."), "forbidden")


def _view_space(user: User | None, space: Space) -> Decision:
    if user is not None and (user.is_admin or roles_in(user, space) - {"member"}):
        return ALLOWED  # staff preview drafts and private spaces
    if not space.is_published:
        return refuse(_l("This process is not published."), "not_found")
    if space.is_private and (user is None or "member" not in roles_in(user, space)):
        return refuse(_l("This process is open to its members only."), "not_found")
    return ALLOWED


def _component(user: User | None, action: str, component: Component, target: Any) -> Decision:
    visible = _view_space(user, component.space)
    if not visible:
        return visible
    staff = user is not None and (user.is_admin or "admin" in roles_in(user, component.space))
    if action == "admin":
        return (
            ALLOWED
            if staff
            else refuse(_l("Only this process's administrators can do this."), "forbidden")
        )
    if not component.is_published and not staff:
        return refuse(_l("This part of the process is not published yet."), "not_found")
    if action == "view":
        return ALLOWED
    ctype = component_type(component.type)
    if action in COMMENT_ACTIONS and (ctype is None or action not in ctype.actions):
        return refuse(COMMENT_ACTIONS[action], "closed")  # the component never offers them
    if ctype is None or action not in ctype.actions:
        raise ValueError(f"can(): component type {component.type!r} has no action {action!r}")
    for check in (_step_opens, _participant, _requirements, _own_rule):
        decision = check(user, action, component, target)
        if not decision:
            return decision
    return ALLOWED


def _step_opens(user: User | None, action: str, component: Component, target: Any) -> Decision:
    if not component.space.is_published or not component.is_published:
        return refuse(_l("This is not open to participants yet."), "closed")
    setting = component_type(component.type).actions[action].step_setting
    if setting is None:
        return ALLOWED
    space = component.space
    if not space.steps:
        opened = step_settings_of(component, None).get(setting, False)
        return ALLOWED if opened else refuse(_l("This is closed."), "closed")
    if step_settings_of(component, active_step(space)).get(setting, False):
        return ALLOWED
    return _closed_until(component, action, setting)


def _closed_until(component: Component, action: str, setting: str) -> Decision:
    declared = component_type(component.type).actions[action]
    for step in upcoming_steps(component.space):
        if step_settings_of(component, step).get(setting, False):
            date = format_date(step.start_at, format="long")
            message = declared.opens_message or _l("This opens on %(date)s.")
            return refuse(str(message) % {"date": date}, "closed")
    return refuse(_l("This is closed at this stage of the process."), "closed")


def _participant(user: User | None, action: str, component: Component, target: Any) -> Decision:
    return _login_to(_l("Log in to take part.")) if user is None else ALLOWED


def _here() -> str | None:
    """The page being shown, so logging in from a refused action comes back to it."""
    if has_request_context() and request.method == "GET":
        return request.full_path.rstrip("?")
    return None


def _requirements(user: User, action: str, component: Component, target: Any) -> Decision:
    requirements = component.permissions.get(action, DEFAULT_REQUIREMENTS)
    handlers = current_app.extensions["brique"].authorization_handlers
    # No "handlers" key: the default (a confirmed e-mail); an empty mapping: none at all.
    chosen = requirements.get("handlers", DEFAULT_REQUIREMENTS["handlers"])
    for name, options in chosen.items():
        handler = handlers.get(name)
        if handler is None:
            return refuse(
                _l("This action needs a verification that is not available."), "forbidden"
            )
        decision = handler.check(user, options or {})
        if not decision:
            return decision
    missing = [key for key in requirements.get("profile_fields", []) if not user.profile.get(key)]
    if missing:
        return refuse(
            _l("Complete your profile to take part."),
            "profile_incomplete",
            url_for("account.profile", require=",".join(missing)),
            _l("Complete my profile"),
        )
    return ALLOWED


def _own_rule(user: User, action: str, component: Component, target: Any) -> Decision:
    check = component_type(component.type).check_action
    decision = check(user, action, component, target) if check else None
    return ALLOWED if decision is None else decision  # a refusal is falsy: test for None


# --- Comments: the component opens them, then rules per comment --------------------------

#: The actions a component type declares to open comments on its resources, with the
#: reason participants read when it does not.
COMMENT_ACTIONS = {
    "comment": _l("Comments are not enabled here."),
    "vote_comment": _l("Voting on comments is not enabled here."),
}

#: What each action on a comment needs of its component first.
COMMENT_NEEDS = {
    "reply": "comment",
    "edit": "comment",
    "vote_comment": "vote_comment",
    "delete": "view",
    "history": "view",
}


def _comment(user: User | None, action: str, comment: Comment) -> Decision:
    needed = COMMENT_NEEDS.get(action)
    if needed is None:
        raise ValueError(f"can(): unknown action {action!r} on a comment")
    opened = _component(user, needed, comment.component, comment)
    return comment_rule(user, action, comment, opened)


def comment_rule(user: User | None, action: str, comment: Comment, opened: Decision) -> Decision:
    """The rule of ``action`` on ``comment``, once the component's decision is known.

    ``opened`` is the component's decision on ``COMMENT_NEEDS[action]``: pages
    showing many comments compute it once, then ask this for each comment.
    """
    if not opened:
        return opened
    own = user is not None and comment.author_id == user.id
    if action == "history":
        if own or (user is not None and _space(user, "moderate", comment.component.space)):
            return ALLOWED
        return refuse(_l("Only the author and the moderators see earlier versions."), "forbidden")
    if comment.is_removed or is_blocked(comment.author):  # its author's block hides it
        return refuse(_l("This comment was removed."), "closed")
    if action in {"edit", "delete"}:
        return ALLOWED if own else refuse(_l("Only its author can change a comment."), "forbidden")
    if action == "vote_comment":
        return refuse(_l("You cannot vote on your own comment."), "forbidden") if own else ALLOWED
    if comment.depth + 1 > current_app.config["COMMENTS_MAX_DEPTH"]:
        return refuse(_l("This conversation cannot go deeper: reply above instead."), "limit")
    return ALLOWED


# --- Participation services: reporting and following ------------------------------------


def _login_to(reason: Any) -> Decision:
    return refuse(reason, "login_required", url_for("auth.login", next=_here()), _l("Log in"))


def _visible(user: User | None, target: Any) -> Decision:
    """Whether ``user`` sees ``target``: a space, a person, or what a component holds."""
    if isinstance(target, Space):
        return _view_space(user, target)
    if isinstance(target, User):
        return ALLOWED if target.is_active else refuse(_l("This account is deleted."), "not_found")
    component = target.component if isinstance(target, Comment) else _component_of(target)
    if component is None:
        return refuse(_l("This cannot be found."), "not_found")
    return _component(user, "view", component, target)


def _report(user: User | None, target: Any) -> Decision:
    """People report what they see, once each, never their own, nothing hidden already."""
    reported = reported_target(target)
    if reported is None:
        return refuse(_l("This cannot be reported."), "not_found")
    visible = _visible(user, target)
    if not visible:
        return visible
    if not reported.is_public:
        return refuse(_l("This content is not public."), "not_found")
    if user is None:
        return _login_to(_l("Log in to report content."))
    if user.id in reported.author_ids:
        return refuse(_l("You cannot report your own contribution."), "own")
    if shows_hidden(reported):
        return refuse(_l("This is hidden already: the moderators have it in hand."), "closed")
    if has_reported(user, reported):
        return refuse(_l("You reported this. The moderators will review it."), "reported")
    if not user.email_confirmed:
        return refuse(
            _l("Confirm your e-mail address to report content."),
            "unconfirmed",
            url_for("auth.resend_confirmation"),
            _l("Confirm my address"),
        )
    return ALLOWED


def _follow(user: User | None, target: Any) -> Decision:
    """People follow what they see; nobody follows themselves nor a blocked account."""
    visible = _visible(user, target)
    if not visible:
        return visible
    if isinstance(target, User) and is_blocked(target):
        return refuse(_l("This account is blocked: it cannot be followed."), "forbidden")
    if user is None:
        return _login_to(_l("Log in to follow."))
    if isinstance(target, User) and target.id == user.id:
        return refuse(_l("You cannot follow yourself."), "forbidden")
    return ALLOWED


#: Actions of the core's participation services, on targets of any component.
SERVICE_ACTIONS = {"report": _report, "follow": _follow}


def roles_in(user: User, space: Space) -> set[str]:
    """The user's roles in ``space``, read once per request."""
    return _roles_by_space(user).get(space.id, set())


def staff_spaces(user: User) -> set[int]:
    """Ids of the spaces where the user has a staff role (admin, moderator, valuator)."""
    return {space_id for space_id, roles in _roles_by_space(user).items() if roles - {"member"}}


def spaces_with_role(user: User, roles: set[str]) -> set[int]:
    """Ids of the spaces where the user holds one of ``roles`` (``{"moderator"}``...)."""
    return {space_id for space_id, held in _roles_by_space(user).items() if held & roles}


def _roles_by_space(user: User) -> dict[int, set[str]]:
    cache = g.setdefault("_brique_roles", {})
    if user.id not in cache:
        rows = db.session.execute(
            select(SpaceRole.space_id, SpaceRole.role).where(SpaceRole.user_id == user.id)
        )
        remember_roles(user, rows)
    return cache[user.id]


def remember_roles(user: User, rows: Iterable[tuple[int, str]]) -> None:
    """Keep ``user``'s roles, ``(space id, role)`` pairs, for the rest of the request (the
    session loads them with the user)."""
    roles: dict[int, set[str]] = {}
    for space_id, role in rows:
        roles.setdefault(space_id, set()).add(role)
    g.setdefault("_brique_roles", {})[user.id] = roles


def forget_roles() -> None:
    """Drop the per-request role cache after roles changed."""
    g.pop("_brique_roles", None)
