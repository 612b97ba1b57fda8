"""Example of a notification kind: organisers answer a participant's note, and its author
and followers are told, in the site and by e-mail, as each of them chose."""

from __future__ import annotations

from typing import Any

from blinker import Namespace
from flask_babel import lazy_gettext as _l

from brique.plugin_api import (
    Notice,
    NotificationKind,
    Plugin,
    followers_of,
    hookimpl,
    resource_type,
)

_signals = Namespace()

note_answered = _signals.signal(
    "note_answers-answered",
    doc="""
The organisers answered a note. Sent after the commit. *sender*: the note; *answer*:
the answer's text; *user*: who answered.
""",
)


def answered_notice(note: Any, answer: str = "", user: Any = None, **kwargs: Any) -> Notice:
    """Who hears of the answer (the note's authors and followers), and what they read."""
    notes = resource_type("tiny.note")
    return Notice(
        recipients={*notes.authors(note), *followers_of(("tiny.note", note.id))},
        title=notes.title(note),
        url=notes.url(note),
        actor=user,  # never notified of their own answer
        space=notes.component_of(note).space,  # only people who may see it are told
        target=("tiny.note", note.id),
        data={"excerpt": answer},
    )


class NoteAnswersPlugin(Plugin):
    name = "note_answers"
    api_version = "1.1"
    requires = ("tiny",)

    @hookimpl
    def register_notification_kinds(self) -> list[NotificationKind]:
        return [
            NotificationKind(
                name="note_answers.answered",
                signal=note_answered,
                message=_l("The organisers answered “%(title)s”"),
                notice=answered_notice,
            )
        ]
