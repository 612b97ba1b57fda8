"""A proposal's life: draft, published, withdrawn. Limits are held by the database.

The services change the database in the caller's transaction; the caller commits, then
calls :func:`announce_published` or :func:`announce_changed`, which send the core's
``resource-created`` and ``resource-updated`` signals (search, follows, notifications and
the action log listen to them, after the commit).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update

from brique.plugin_api import User, db, log_action, now, settings_of
from brique.plugin_api import signals as core_signals
from brique_proposals import signals
from brique_proposals.models import Participation, Proposal
from brique_proposals.supports import SupportRefused, ensure_participation

#: The name of proposals as a resource type of the core.
RESOURCE_TYPE = "proposals.proposal"

#: What the authors may change, in the order changes are reported.
EDITABLE = ("title", "body", "category_id", "scope_id", "address", "latitude", "longitude")


class ProposalRefused(SupportRefused):
    """The database refused a change of a proposal (the proposal limit...)."""


def create_draft(component: Any, author: User, **fields: Any) -> Proposal:
    """A new draft by ``author``; only its authors see it until it is published."""
    proposal = Proposal(component_id=component.id, author_id=author.id, status="draft", **fields)
    db.session.add(proposal)
    db.session.flush()
    signals.proposal_created.send(proposal, user=author)
    return proposal


def publish(proposal: Proposal, user: User) -> None:
    """Publish a draft, counting it against its first author's proposal limit.

    Raises :class:`ProposalRefused` when the limit is reached or the draft was published
    meanwhile (by a parallel request); the caller then rolls back.
    """
    if proposal.status != "draft":
        raise ProposalRefused(_("This proposal is already published."), "published")
    if proposal.author_id is not None and proposal.origin == "participant":
        _take_one_proposal(proposal.component_id, proposal.author_id, proposal.component)
    _change_status(proposal, "draft", "published", published_at=now())
    log_action(user, "proposals.publish", proposal)
    signals.proposal_published.send(proposal, user=user)


def _change_status(proposal: Proposal, before: str, after: str, **values: Any) -> None:
    """Move ``proposal`` from ``before`` to ``after`` unless another request did first."""
    changed = db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == before)
        .values(status=after, **values),
        execution_options={"synchronize_session": False},
    ).rowcount
    if changed == 0:
        raise ProposalRefused(_("This proposal changed meanwhile: reload the page."), "changed")
    db.session.refresh(proposal, ["status", *values])


def _take_one_proposal(component_id: int, user_id: int, component: Any) -> None:
    limit = settings_of(component)["proposal_limit"]
    ensure_participation(component_id, user_id)
    statement = (
        update(Participation)
        .where(Participation.component_id == component_id, Participation.user_id == user_id)
        .values(proposals=Participation.proposals + 1)
    )
    if limit:
        statement = statement.where(Participation.proposals < limit)
    taken = db.session.execute(statement, execution_options={"synchronize_session": False})
    if taken.rowcount == 0:
        message = _("You have reached the number of proposals you may publish.")
        raise ProposalRefused(message, "limit")


def withdraw(proposal: Proposal, user: User) -> None:
    """The authors take their proposal back: it stays visible, marked withdrawn.

    A withdrawn proposal no longer counts against its author's proposal limit.
    """
    if proposal.status != "published":
        raise ProposalRefused(_("Only published proposals can be withdrawn."), "closed")
    _change_status(proposal, "published", "withdrawn", withdrawn_at=now())
    if proposal.author_id is not None and proposal.origin == "participant":
        db.session.execute(
            update(Participation)
            .where(
                Participation.component_id == proposal.component_id,
                Participation.user_id == proposal.author_id,
                Participation.proposals > 0,
            )
            .values(proposals=Participation.proposals - 1),
            execution_options={"synchronize_session": False},
        )
    db.session.flush()
    log_action(user, "proposals.withdraw", proposal)
    signals.proposal_withdrawn.send(proposal, user=user)


def edit(
    proposal: Proposal, data: dict[str, Any], user: User, attached: str | None = None
) -> dict[str, tuple[Any, Any]]:
    """Apply what the authors changed; returns ``{field: (before, after)}`` of the changes.

    ``attached`` names a file attached with the edit. A published proposal records when
    it was last edited, and the action log who edited it (even when it is anonymous).
    """
    changes = {
        name: (getattr(proposal, name), data[name])
        for name in EDITABLE
        if name in data and getattr(proposal, name) != data[name]
    }
    for name, (_before, after) in changes.items():
        setattr(proposal, name, after)
    if attached:
        changes["attachments"] = (None, attached)
    if changes and proposal.status != "draft":
        proposal.edited_at = now()
        before = {name: pair[0] for name, pair in changes.items()}
        after = {name: pair[1] for name, pair in changes.items()}
        # The core logs "resource.update" from the signal unless the request did already.
        log_action(user, "resource.update", proposal, before=before, after=after)
    db.session.flush()
    return changes


def delete_draft(proposal: Proposal) -> None:
    """Delete a draft with its coauthors and attachments (whose files go after the commit)."""
    if proposal.status != "draft":
        raise ProposalRefused(_("Only drafts can be deleted."), "closed")
    db.session.delete(proposal)
    db.session.flush()


def announce_published(proposal: Proposal, user: User | None) -> None:
    """Tell the core a proposal became public. Call it after the commit.

    The core indexes it for search, makes its authors follow it and notifies the
    followers of the process. An anonymous proposal is announced without its author.
    """
    actor = None if proposal.anonymous else user
    core_signals.resource_created.send(RESOURCE_TYPE, resource=proposal, user=actor)


def announce_changed(
    proposal: Proposal, user: User | None, changes: dict[str, tuple[Any, Any]]
) -> None:
    """Tell the core a public proposal changed (edited, withdrawn). Call it after the commit."""
    if proposal.status == "draft":
        return  # nobody but its authors knows it yet
    actor = None if proposal.anonymous else user
    core_signals.resource_updated.send(
        RESOURCE_TYPE, resource=proposal, user=actor, changes=changes
    )
