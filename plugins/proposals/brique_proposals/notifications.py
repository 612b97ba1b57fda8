"""What the proposals component tells people: answers published, valuators assigned.

Declared with the ``register_notification_kinds`` hook (see ``plugin.py``); the core
sends each person at most one notification per signal, from the first kind naming them,
in the site and by e-mail as they chose.
"""

from __future__ import annotations

import re
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from brique.plugin_api import Notice, NotificationKind, followers_of, resource_type
from brique_proposals import signals
from brique_proposals.lifecycle import RESOURCE_TYPE

EXCERPT_LENGTH = 200


def _excerpt(markdown: str) -> str:
    """The answer's start as plain words: links keep their text, emphasis marks go."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    plain = " ".join(re.sub(r"[*_`#>]+", "", text).split())
    return plain if len(plain) <= EXCERPT_LENGTH else plain[: EXCERPT_LENGTH - 1].rstrip() + "…"


def _answer_notice(proposal: Any, recipients: set[int], user: Any) -> Notice | None:
    proposals = resource_type(RESOURCE_TYPE)
    component = proposals.component_of(proposal)
    if not proposals.is_public(proposal) or not component.is_published:
        return None
    if user is not None:
        recipients = recipients - {user.id}  # staff following a proposal answered it
    # No actor: the answer is the institution's, not one staff member's.
    return Notice(
        recipients=recipients,
        title=proposals.title(proposal),
        url=proposals.url(proposal),
        space=component.space,
        target=(RESOURCE_TYPE, proposal.id),
        data={"excerpt": _excerpt(proposal.answer_text)},
    )


def authors_notice(proposal: Any, user: Any = None, **kwargs: Any) -> Notice | None:
    """The authors and coauthors hear that their proposal has an answer."""
    return _answer_notice(proposal, set(resource_type(RESOURCE_TYPE).authors(proposal)), user)


def followers_notice(proposal: Any, user: Any = None, **kwargs: Any) -> Notice | None:
    """The followers of a proposal hear that it was answered."""
    return _answer_notice(proposal, set(followers_of((RESOURCE_TYPE, proposal.id))), user)


def valuator_notice(
    proposal: Any, valuator: Any = None, user: Any = None, **kwargs: Any
) -> Notice | None:
    """A valuator hears of the proposal assigned to them, with the page to work on it."""
    if valuator is None:
        return None
    component = resource_type(RESOURCE_TYPE).component_of(proposal)
    return Notice(
        recipients=[valuator.id],
        title=proposal.title,
        url=url_for("proposals_valuation.show", component_id=component.id, proposal_id=proposal.id),
        actor=user,
        space=component.space,
        target=(RESOURCE_TYPE, proposal.id),
    )


def notification_kinds() -> list[NotificationKind]:
    """The kinds of the proposals component, most specific first."""
    return [
        NotificationKind(
            "proposals.answered-author",
            signals.proposal_answered,
            _l("Your proposal “%(title)s” has an answer"),
            authors_notice,
        ),
        NotificationKind(
            "proposals.answered",
            signals.proposal_answered,
            _l("The organisers answered “%(title)s”"),
            followers_notice,
        ),
        NotificationKind(
            "proposals.valuator-assigned",
            signals.valuator_assigned,
            _l("%(actor)s asked you to evaluate “%(title)s”"),
            valuator_notice,
        ),
    ]
