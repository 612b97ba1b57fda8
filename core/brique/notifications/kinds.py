"""Kinds of notifications: a signal, who is told, and what they read.

The core declares its kinds here; plugins add theirs with the
``register_notification_kinds`` hook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from blinker import Signal
from flask import current_app, has_app_context
from flask_babel import gettext as _


@dataclass(frozen=True)
class Notice:
    """What one signal tells people, as built by a :class:`NotificationKind`.

    The core leaves out the ``actor`` (nobody is notified of their own
    action), deleted accounts, people who may not see ``space``, and people
    already notified of the same signal by an earlier kind.
    """

    #: Ids of the people to notify, e.g. from :func:`~brique.plugin_api.followers_of`.
    recipients: Iterable[int]
    #: What it is about: the resource's title, the space's...
    title: str
    #: Where to read it: a path of the site (``url_for(...)``) or a full URL.
    url: str
    #: Who did it (a :class:`~brique.plugin_api.User`), if anyone.
    actor: Any = None
    #: The :class:`~brique.plugin_api.Space` it happened in, if any: only people who
    #: may see it are notified, and the message may name it as ``%(space)s``.
    space: Any = None
    #: The resource it is about, as ``(type name, id)``, if any.
    target: tuple[str, int] | None = None
    #: More values for the message's placeholders (strings), e.g. ``{"step": "Vote"}``;
    #: ``excerpt`` is shown under the message (in the list and in e-mails).
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NotificationKind:
    """Binds a signal to who is notified and what they read.

    When ``signal`` is sent, the core calls ``notice`` with the signal's
    sender and keyword arguments; it returns a :class:`Notice`, or ``None``
    to notify nobody. ``message`` is what people read, translated when shown:
    a ``lazy_gettext`` string with the placeholders ``%(title)s``,
    ``%(actor)s`` (the actor's nickname), ``%(space)s`` (the space's title)
    and those of :attr:`Notice.data`.
    """

    #: Unique: ``"<plugin>.<event>"`` (``"proposals.answered"``).
    name: str
    #: The blinker signal announcing the event.
    signal: Signal
    #: The message, e.g. ``_l("Your proposal “%(title)s” was answered")``.
    message: Any
    #: ``notice(sender, **kwargs) -> Notice | None``.
    notice: Callable[..., Notice | None]


@dataclass
class NotificationRegistry:
    """The kinds of one app, by name, in the order they were declared."""

    kinds: dict[str, NotificationKind] = field(default_factory=dict)
    #: Receivers connected to the signals (blinker keeps weak references to them).
    receivers: list[Callable[..., None]] = field(default_factory=list)

    def for_signal(self, signal: Signal) -> list[NotificationKind]:
        return [kind for kind in self.kinds.values() if kind.signal is signal]

    def signals(self) -> list[Signal]:
        found: list[Signal] = []
        for kind in self.kinds.values():
            if kind.signal not in found:
                found.append(kind.signal)
        return found


def notification_registry() -> NotificationRegistry:
    """The current app's kinds of notifications."""
    return current_app.extensions["brique"].notifications


def notifications_active() -> bool:
    """Whether a Brique app is there to act in: signals are shared by every app of the
    process, and may be sent outside any app context."""
    return has_app_context() and "brique" in current_app.extensions


class _Values(dict):
    """Placeholder values; a missing one shows as empty rather than failing the page."""

    def __missing__(self, key: str) -> str:
        return ""


def render_message(kind_name: str, data: Mapping[str, Any]) -> str:
    """The message of a notification, in the current language."""
    kind = notification_registry().kinds.get(kind_name)
    template = str(kind.message) if kind is not None else _("News about “%(title)s”")
    try:
        return template % _Values(data)
    except (TypeError, ValueError):  # a translation with broken placeholders
        return str(data.get("title", ""))
