"""Staff reshaping proposals: merging duplicates, splitting one, moving them between categories.

Each service works in the caller's transaction (the view or command commits once) and
logs what it did in the action log. The proposals involved are locked first
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers), then changed with
conditional updates, so that two staff members merging the same proposal cannot both
succeed.

Supports move as :mod:`brique_proposals.carried_supports` says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, select, update

from brique.plugin_api import (
    Category,
    Component,
    User,
    db,
    link,
    log_action,
    now,
    settings_of,
)
from brique.plugin_api import signals as core_signals
from brique_proposals import signals
from brique_proposals.carried_supports import carry_supports
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Participation, Proposal

#: The resource type of proposals, as resource links and the action log name it.
#: Names of the resource links between proposals.
MERGED_INTO, SPLIT_INTO = "merged_into", "split_into"


class TransferRefused(Exception):
    """A merge, split or move that cannot be done: ``str()`` says why, to people."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ProposalDraft:
    """What staff type for a new proposal made by a merge or a split."""

    title: str
    body: str
    category_id: int | None = None
    scope_id: int | None = None


# --- Merge ----------------------------------------------------------------------------------


def merge(
    component: Component, proposal_ids: Iterable[int], user: User | None, draft: ProposalDraft
) -> Proposal:
    """Merge published proposals of ``component`` into a new official proposal.

    The originals become ``merged`` (``merged_into_id``), linked to the new one, and no
    longer count against their authors' proposal limit. Each participant who supported
    any of them supports the new one once: the supports that collapsed are given back.
    """
    originals = lock_published(component, proposal_ids, at_least=2)
    merged = new_proposal(component, draft)
    mark_replaced(originals, merged_into_id=merged.id)
    carried = carry_supports(component, [p.id for p in originals], merged)
    release_proposal_slots(originals)
    for original in originals:
        link((RESOURCE_TYPE, original.id), (RESOURCE_TYPE, merged.id), MERGED_INTO)
        log_action(
            user,
            "proposals.merged",
            original,
            before={"status": "published"},
            after={"status": "merged", "merged_into_id": merged.id},
        )
    log_action(
        user,
        "proposals.merge",
        merged,
        after={"merged_ids": [p.id for p in originals], **carried.summary()},
    )
    qualify_if_needed(component, merged)
    signals.proposal_created.send(merged, user=user)
    signals.proposals_merged.send(merged, merged=originals, user=user)
    return merged


def merge_draft(originals: Sequence[Proposal]) -> ProposalDraft:
    """The form's starting point: the first title, every text under its title."""
    body = "\n\n".join(f"**{p.title}**\n\n{p.body}".strip() for p in originals)
    first = originals[0]
    shared_category = {p.category_id for p in originals} == {first.category_id}
    shared_scope = {p.scope_id for p in originals} == {first.scope_id}
    return ProposalDraft(
        title=first.title,
        body=body,
        category_id=first.category_id if shared_category else None,
        scope_id=first.scope_id if shared_scope else None,
    )


# --- Split ----------------------------------------------------------------------------------


def split(
    component: Component, proposal_id: int, user: User | None, drafts: Sequence[ProposalDraft]
) -> list[Proposal]:
    """Split a published proposal into several new official ones.

    The original becomes ``split``, linked to each part
    (``split_into``). Supports are not copied: nobody can tell which part a supporter
    meant, so each supporter gets their support back to give to a part.
    """
    if len(drafts) < 2:
        raise TransferRefused(_("A proposal is split into at least two proposals."), "too_few")
    (original,) = lock_published(component, [proposal_id], at_least=1)
    parts = [new_proposal(component, draft) for draft in drafts]
    mark_replaced([original], status="split")
    released = carry_supports(component, [original.id], None)
    release_proposal_slots([original])
    for part in parts:
        link((RESOURCE_TYPE, original.id), (RESOURCE_TYPE, part.id), SPLIT_INTO)
        log_action(user, "proposals.split_part", part, after={"split_from": original.id})
    log_action(
        user,
        "proposals.split",
        original,
        before={"status": "published"},
        after={"status": "split", "split_into": [p.id for p in parts], **released.summary()},
    )
    for part in parts:
        signals.proposal_created.send(part, user=user)
    return parts


# --- Move between categories ----------------------------------------------------------------


def move_to_category(
    component: Component, proposal_ids: Iterable[int], category_id: int | None, user: User | None
) -> int:
    """Put proposals of ``component`` in one category (``None``: no category); how many moved."""
    check_category(component, category_id)
    ids = sorted(set(proposal_ids))
    proposals = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.id.in_(ids), Proposal.component_id == component.id, Proposal.status != "draft"
        )
        .order_by(Proposal.id)
        .with_for_update()
    ).all()
    if len(proposals) != len(ids):
        raise TransferRefused(_("Some of these proposals are not in this component."), "not_found")
    moved = 0
    for proposal in proposals:
        if proposal.category_id == category_id:
            continue
        log_action(
            user,
            "proposals.move",
            proposal,
            before={"category_id": proposal.category_id},
            after={"category_id": category_id},
        )
        proposal.category_id = category_id
        moved += 1
    db.session.flush()
    return moved


# --- After the commit -----------------------------------------------------------------------


def announce(
    created: Iterable[Proposal] = (), replaced: Iterable[Proposal] = (), user: User | None = None
) -> None:
    """Tell the core's services (search, follows, notifications) what changed; after the commit.

    New proposals of the institution are announced without a user, as imports are: the
    staff member who made them is not their author.
    """
    for proposal in created:
        core_signals.resource_created.send(RESOURCE_TYPE, resource=proposal, user=None)
    for proposal in replaced:
        core_signals.resource_updated.send(
            RESOURCE_TYPE,
            resource=proposal,
            user=user,
            changes={"status": ("published", proposal.status)},
        )


# --- Shared steps ---------------------------------------------------------------------------


def lock_published(
    component: Component, proposal_ids: Iterable[int], *, at_least: int
) -> list[Proposal]:
    """The published proposals of ``component`` with these ids, locked, oldest first."""
    ids = sorted(set(proposal_ids))
    if len(ids) < at_least:
        raise TransferRefused(_("Choose at least two proposals to merge."), "too_few")
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.id.in_(ids))
        .order_by(Proposal.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    if len(proposals) != len(ids) or any(p.component_id != component.id for p in proposals):
        raise TransferRefused(_("Some of these proposals are not in this component."), "not_found")
    for proposal in proposals:
        if proposal.status != "published":
            raise TransferRefused(
                _(
                    "“%(title)s” is not published (withdrawn or already merged).",
                    title=proposal.title,
                ),
                "status",
            )
    return proposals


def check_category(component: Component, category_id: int | None) -> None:
    if category_id is None:
        return
    category = db.session.get(Category, category_id)
    if category is None or category.space_id != component.space_id:
        raise TransferRefused(_("This category is not one of the process."), "category")


def new_proposal(component: Component, draft: ProposalDraft, **columns: Any) -> Proposal:
    """A published proposal of the institution (``official``), flushed to get its id."""
    check_category(component, draft.category_id)
    columns.setdefault("origin", "official")
    proposal = Proposal(
        component_id=component.id,
        title=draft.title,
        body=draft.body,
        category_id=draft.category_id,
        scope_id=draft.scope_id,
        status="published",
        published_at=now(),
        supports_count=0,
        **columns,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def mark_replaced(
    originals: Sequence[Proposal], *, merged_into_id: int | None = None, status: str = "merged"
) -> None:
    """``merged`` (or ``split``) status, only if still published: a concurrent merge makes
    this fail."""
    ids = [p.id for p in originals]
    changed = db.session.execute(
        update(Proposal)
        .where(Proposal.id.in_(ids), Proposal.status == "published")
        .values(status=status, merged_into_id=merged_into_id),
        execution_options={"synchronize_session": False},
    ).rowcount
    if changed != len(ids):
        raise TransferRefused(
            _("Someone changed these proposals meanwhile; try again."), "conflict"
        )
    for proposal in originals:
        db.session.refresh(proposal, ["status", "merged_into_id"])


def release_proposal_slots(originals: Sequence[Proposal]) -> None:
    """Merged or split proposals no longer count against their authors' proposal limit."""
    authors = Counter(
        (p.component_id, p.author_id)
        for p in originals
        if p.author_id is not None and p.origin == "participant"
    )
    for (component_id, author_id), count in sorted(authors.items()):
        db.session.execute(
            update(Participation)
            .where(Participation.component_id == component_id, Participation.user_id == author_id)
            .values(
                proposals=case(
                    (Participation.proposals >= count, Participation.proposals - count), else_=0
                )
            ),
            execution_options={"synchronize_session": False},
        )


def qualify_if_needed(component: Component, proposal: Proposal) -> None:
    threshold = settings_of(component)["threshold"]
    if threshold and proposal.supports_count >= threshold and proposal.qualified_at is None:
        proposal.qualified_at = now()
        db.session.flush()
        signals.proposal_qualified.send(proposal)
