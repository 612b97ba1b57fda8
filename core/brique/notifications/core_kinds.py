"""The core's notification kinds: comments, replies, official answers, moderation
decisions, new and changed resources, steps starting, results published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blinker import Signal
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from brique import signals
from brique.db import db
from brique.follows.service import followers_of
from brique.models.notifications import SPACE, USER
from brique.notifications.kinds import Notice, NotificationKind
from brique.resources import resource_types
from brique.text import render_markdown

EXCERPT_LENGTH = 200


def excerpt(markdown: str) -> str:
    """The start of a text as plain words, for lists and e-mails."""
    from markupsafe import Markup

    text = " ".join(Markup(render_markdown(markdown or "")).striptags().split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


# --- Comments (when the comments service is there) ------------------------------------------


def _comment_notice(comment: Any, kwargs: dict[str, Any], recipients: list[int]) -> Notice | None:
    rtype = resource_types().get(kwargs.get("resource_type", ""))
    resource, component = kwargs.get("resource"), kwargs.get("component")
    if rtype is None or resource is None or component is None or not rtype.is_public(resource):
        return None
    if not component.is_published:
        return None
    return Notice(
        recipients=recipients,
        title=rtype.title(resource),
        url=_comment_url(comment, rtype, resource),
        actor=kwargs.get("author"),
        space=component.space,
        target=(rtype.name, resource.id),
        data={"excerpt": excerpt(getattr(comment, "body", ""))},
    )


def _comment_url(comment: Any, rtype: Any, resource: Any) -> str:
    if "comments.show" in current_app.view_functions:
        return url_for("comments.show", comment_id=comment.id)
    return f"{rtype.url(resource)}#comment-{comment.id}"


def official_answer_notice(sender: Any, **kwargs: Any) -> Notice | None:
    """The authors of a resource hear of the institution's official answer on it."""
    rtype = resource_types().get(kwargs.get("resource_type", ""))
    if rtype is None or not getattr(sender, "is_official", False) or kwargs.get("resource") is None:
        return None
    return _comment_notice(sender, kwargs, rtype.authors(kwargs["resource"]))


def reply_notice(sender: Any, parent: Any = None, **kwargs: Any) -> Notice | None:
    """The author of a comment hears of the replies to it."""
    if parent is None or parent.author_id is None:
        return None
    return _comment_notice(sender, kwargs, [parent.author_id])


def comment_notice(sender: Any, **kwargs: Any) -> Notice | None:
    """The followers of a resource hear of the comments on it."""
    target = (kwargs.get("resource_type", ""), kwargs.get("resource_id"))
    return _comment_notice(sender, kwargs, followers_of(target))


def comment_kinds() -> list[NotificationKind]:
    signal = getattr(signals, "comment_created", None)
    if not isinstance(signal, Signal):
        return []
    return [
        NotificationKind(
            "official-answer",
            signal,
            _l("The organisers answered on “%(title)s”"),
            official_answer_notice,
        ),
        NotificationKind(
            "reply", signal, _l("%(actor)s replied to your comment on “%(title)s”"), reply_notice
        ),
        NotificationKind(
            "comment", signal, _l("%(actor)s commented on “%(title)s”"), comment_notice
        ),
    ]


# --- Moderation: authors hear that their content was hidden or shown again -----------------


def _moderated(type_name: str, target_id: int | None) -> tuple[Any, Any, str, str] | None:
    """``(rtype, resource, url, excerpt)`` of moderated content, ``None`` for people."""
    if type_name == "comment":
        from brique.comments.services import commented_by
        from brique.models import Comment

        comment = db.session.get(Comment, target_id) if target_id is not None else None
        target = commented_by(comment) if comment is not None else None
        if target is None:
            return None
        url = _comment_url(comment, target.rtype, target.resource)
        return target.rtype, target.resource, url, excerpt(comment.body)
    rtype = resource_types().get(type_name)
    resource = rtype.get(target_id) if rtype is not None and target_id is not None else None
    if resource is None:
        return None
    return rtype, resource, rtype.url(resource), ""


def _moderation_notice(comments: bool) -> Callable[..., Notice | None]:
    def notice(
        sender: str, target_id: int | None = None, author_id: int | None = None, **kwargs: Any
    ) -> Notice | None:
        if author_id is None or (sender == "comment") != comments:
            return None
        found = _moderated(sender, target_id)
        if found is None:
            return None
        rtype, resource, url, text = found
        component = rtype.component_of(resource)
        # No actor: the author is not told which moderator decided.
        return Notice(
            recipients=[author_id],
            title=rtype.title(resource),
            url=url,
            space=component.space if component is not None else None,
            target=(rtype.name, resource.id),
            data={"excerpt": text} if text else {},
        )

    notice.__doc__ = "The author of moderated content hears of the decision."
    return notice


def moderation_kinds() -> list[NotificationKind]:
    hidden = getattr(signals, "content_hidden", None)
    shown = getattr(signals, "content_unhidden", None)
    if not isinstance(hidden, Signal) or not isinstance(shown, Signal):
        return []
    return [
        NotificationKind(
            "comment-hidden",
            hidden,
            _l("Your comment on “%(title)s” was hidden by moderation"),
            _moderation_notice(comments=True),
        ),
        NotificationKind(
            "content-hidden",
            hidden,
            _l("Your contribution “%(title)s” was hidden by moderation"),
            _moderation_notice(comments=False),
        ),
        NotificationKind(
            "comment-shown",
            shown,
            _l("Your comment on “%(title)s” is shown again"),
            _moderation_notice(comments=True),
        ),
        NotificationKind(
            "content-shown",
            shown,
            _l("Your contribution “%(title)s” is shown again"),
            _moderation_notice(comments=False),
        ),
    ]


# --- Resources ------------------------------------------------------------------------------


def _public_resource(type_name: str, resource: Any) -> tuple[Any, Any] | None:
    rtype = resource_types().get(type_name)
    if rtype is None or resource is None or not rtype.is_public(resource):
        return None
    component = rtype.component_of(resource)
    if component is None or not component.is_published:
        return None
    return rtype, component


def new_resource_notice(
    sender: str, resource: Any = None, user: Any = None, **kwargs: Any
) -> Notice | None:
    """Followers of the space, and of the authors, hear of what is new."""
    found = _public_resource(sender, resource)
    if found is None:
        return None
    rtype, component = found
    authors = rtype.authors(resource)
    targets = [(SPACE, component.space_id), *((USER, author) for author in authors)]
    recipients = set(followers_of(*targets)) - set(authors)
    return Notice(
        recipients=recipients,
        title=rtype.title(resource),
        url=rtype.url(resource),
        actor=user,
        space=component.space,
        target=(rtype.name, resource.id),
        data={"excerpt": excerpt(rtype.body(resource))},
    )


def updated_resource_notice(
    sender: str, resource: Any = None, user: Any = None, changes: Any = None, **kwargs: Any
) -> Notice | None:
    """Followers of a resource hear that it changed."""
    found = _public_resource(sender, resource)
    if found is None or not changes or not found[0].followable:
        return None
    rtype, component = found
    return Notice(
        recipients=followers_of((rtype.name, resource.id)),
        title=rtype.title(resource),
        url=rtype.url(resource),
        actor=user,
        space=component.space,
        target=(rtype.name, resource.id),
    )


# --- The timeline and results ---------------------------------------------------------------


def step_notice(sender: Any, **kwargs: Any) -> Notice | None:
    """Followers of a space hear that one of its steps started."""
    space = sender.space
    if not space.is_published:
        return None
    return Notice(
        recipients=followers_of((SPACE, space.id)),
        title=space.title,
        url=url_for("spaces.show", slug=space.slug),
        space=space,
        data={"step": sender.title},
    )


def results_notice(
    sender: Any, url: str = "", title: str = "", user: Any = None, **kwargs: Any
) -> Notice | None:
    """Followers of a space hear that a component published results."""
    space = sender.space
    if not space.is_published or not sender.is_published:
        return None
    return Notice(
        recipients=followers_of((SPACE, space.id)),
        title=title or sender.name,
        url=url or url_for("spaces.show", slug=space.slug),
        actor=user,
        space=space,
    )


def core_kinds() -> list[NotificationKind]:
    """The core's kinds, most specific first (a person gets the first that names them)."""
    return [
        *comment_kinds(),
        *moderation_kinds(),
        NotificationKind(
            "new-resource",
            signals.resource_created,
            _l("New in “%(space)s”: “%(title)s”"),
            new_resource_notice,
        ),
        NotificationKind(
            "resource-updated",
            signals.resource_updated,
            _l("“%(title)s” was updated"),
            updated_resource_notice,
        ),
        NotificationKind(
            "step-started",
            signals.step_activated,
            _l("The step “%(step)s” has started in “%(title)s”"),
            step_notice,
        ),
        NotificationKind(
            "results-published",
            signals.results_published,
            _l("Results published in “%(space)s”: %(title)s"),
            results_notice,
        ),
    ]
