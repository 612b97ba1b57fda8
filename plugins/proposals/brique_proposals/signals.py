"""Signals of the proposals component. Receivers take ``**kwargs``; return values are ignored.

Each is sent after the change is flushed, inside the request's transaction.
"""

from blinker import Namespace

_signals = Namespace()

proposal_created = _signals.signal(
    "proposal-created",
    doc="""
A participant or the institution created a proposal (a draft, or recorded directly as
published). *sender*: the ``Proposal``; *user*: who created it.
""",
)

proposal_published = _signals.signal(
    "proposal-published",
    doc="""
A proposal became public. *sender*: the ``Proposal``; *user*: who published it.
""",
)

proposal_supported = _signals.signal(
    "proposal-supported",
    doc="""
A participant supported a proposal. *sender*: the ``Proposal``; *user*: the participant;
*counted*: whether the support counts yet (see the minimum supports setting).
""",
)

proposal_unsupported = _signals.signal(
    "proposal-unsupported",
    doc="""
A participant removed their support. *sender*: the ``Proposal``; *user*: the participant.
""",
)

proposal_qualified = _signals.signal(
    "proposal-qualified",
    doc="""
A proposal reached the component's support threshold for the first time.
*sender*: the ``Proposal``.
""",
)

proposal_answered = _signals.signal(
    "proposal-answered",
    doc="""
The institution's answer to a proposal was published (answering with answers held sends
it when the answer is published). Sent after the commit, once per publication (the
authors and followers are notified). *sender*: the ``Proposal``; *user*: the staff
member; *state*: the answer state's key.
""",
)

valuator_assigned = _signals.signal(
    "proposal-valuator-assigned",
    doc="""
An admin assigned a valuator of the process to a proposal. Sent after the commit (the
valuator is notified). *sender*: the ``Proposal``; *valuator*: the assigned ``User``;
*user*: the admin.
""",
)

proposal_withdrawn = _signals.signal(
    "proposal-withdrawn",
    doc="""
An author withdrew their proposal. *sender*: the ``Proposal``; *user*: the author.
""",
)

coauthor_invited = _signals.signal(
    "proposal-coauthor-invited",
    doc="""
An author invited a participant to coauthor their proposal. Sent after the commit (the
invitee is notified). *sender*: the ``Proposal``; *user*: the author who invited;
*invitee*: the invited ``User``.
""",
)

proposals_merged = _signals.signal(
    "proposals-merged",
    doc="""
Staff merged duplicate proposals into one. *sender*: the new ``Proposal``;
*merged*: the list of proposals merged into it; *user*: the staff member.
""",
)
