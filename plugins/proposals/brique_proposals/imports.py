"""Importing proposals from a CSV file or from another proposals component.

A CSV import is planned first (:func:`plan_csv`): every row is checked and the plan
lists what would be created, or the errors of every wrong row in the reader's
language. Only a plan without errors is carried out (:func:`create_from_plan`), in the
caller's transaction, so a file with one wrong row creates nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from brique.plugin_api import (
    Category,
    Component,
    Scope,
    User,
    can,
    db,
    link,
    linked,
    log_action,
    now,
)
from brique_proposals import signals
from brique_proposals.csvfiles import cell_error, read_table
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import ORIGINS, Participation, Proposal
from brique_proposals.supports import ensure_participation

COPIED_FROM = "copied_from"
CSV_COLUMNS = ("title", "body", "category", "scope", "origin", "origin_note", "author_email")
TITLE_MAX, BODY_MAX, NOTE_MAX = 200, 50_000, 300


@dataclass
class PlannedProposal:
    """One proposal an import would create."""

    line: int
    title: str
    body: str
    category: Category | None = None
    scope: Scope | None = None
    origin: str = "official"
    origin_note: str = ""
    author: User | None = None


@dataclass
class ImportPlan:
    """What an import would create, or why it cannot (``errors``, already translated)."""

    items: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.items) and not self.errors


# --- CSV ------------------------------------------------------------------------------------


def plan_csv(component: Component, data: bytes) -> ImportPlan:
    """Check every row of a CSV file of proposals; nothing is written."""
    table = read_table(data, CSV_COLUMNS, required=("title", "body"))
    plan = ImportPlan(errors=list(table.errors))
    if not table.rows and not plan.errors:
        plan.errors.append(_("The file has no proposal."))
    lookups = Lookups(component)
    for line, row in table.rows:
        item, errors = plan_row(line, row, lookups)
        plan.errors.extend(cell_error(line, message) for message in errors)
        if not errors:
            plan.items.append(item)
    return plan


class Lookups:
    """The process's categories by name, scopes by code, accounts by e-mail address."""

    def __init__(self, component: Component) -> None:
        self.categories: dict[str, list[Category]] = {}
        for category in component.space.categories:
            self.categories.setdefault(category.name.strip().casefold(), []).append(category)

    def category(self, name: str) -> tuple[Category | None, str | None]:
        found = self.categories.get(name.casefold(), [])
        if not found:
            return None, _("no category of the process is named “%(name)s”", name=name)
        if len(found) > 1:
            return None, _("several categories are named “%(name)s”; rename one", name=name)
        return found[0], None

    def scope(self, code: str) -> tuple[Scope | None, str | None]:
        found = db.session.scalar(select(Scope).where(func.lower(Scope.code) == code.lower()))
        if found is None:
            return None, _("no territory has the code “%(code)s”", code=code)
        return found, None

    def author(self, email: str) -> tuple[User | None, str | None]:
        found = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
        if found is None or found.deleted_at is not None:
            return None, _("nobody has an account with the address “%(email)s”", email=email)
        return found, None


def plan_row(line: int, row: dict[str, str], lookups: Lookups) -> tuple[PlannedProposal, list[str]]:
    errors = text_errors(row)
    item = PlannedProposal(line, row["title"], row["body"], origin_note=row.get("origin_note", ""))
    for column, finder in (
        ("category", lookups.category),
        ("scope", lookups.scope),
        ("author_email", lookups.author),
    ):
        if row.get(column):
            found, error = finder(row[column])
            setattr(item, "author" if column == "author_email" else column, found)
            errors.extend([error] if error else [])
    item.origin, error = origin_of(row.get("origin", ""), item.author is not None)
    errors.extend([error] if error else [])
    return item, errors


def text_errors(row: dict[str, str]) -> list[str]:
    errors = []
    for column, label, maximum in (
        ("title", _("the title"), TITLE_MAX),
        ("body", _("the text"), BODY_MAX),
        ("origin_note", _("the origin note"), NOTE_MAX),
    ):
        value = row.get(column, "")
        if not value and column != "origin_note":
            errors.append(_("%(what)s is missing", what=label))
        elif len(value) > maximum:
            errors.append(_("%(what)s is longer than %(max)d characters", what=label, max=maximum))
    return errors


def origin_of(value: str, has_author: bool) -> tuple[str, str | None]:
    """The origin column, by default ``participant`` with an author, else ``official``."""
    origin = value.strip().lower() or ("participant" if has_author else "official")
    if origin not in ORIGINS:
        return origin, _(
            "the origin “%(origin)s” is not one of %(origins)s",
            origin=value,
            origins=", ".join(ORIGINS),
        )
    if origin == "participant" and not has_author:
        return origin, _("a participant's proposal needs the author's e-mail address")
    return origin, None


def create_from_plan(component: Component, plan: ImportPlan, user: User | None) -> list[Proposal]:
    """Create the plan's proposals, published; a plan with errors creates nothing."""
    if not plan.ok:
        raise ValueError("only a plan without errors can be carried out")
    created = []
    for item in plan.items:
        proposal = published_proposal(
            component,
            title=item.title,
            body=item.body,
            category_id=item.category.id if item.category else None,
            scope_id=item.scope.id if item.scope else None,
            origin=item.origin,
            origin_note=item.origin_note,
            author_id=item.author.id if item.author else None,
        )
        log_action(user, "proposals.import", proposal, after={"source": "csv", "line": item.line})
        created.append(proposal)
    count_authored(component, created)
    for proposal in created:
        signals.proposal_created.send(proposal, user=user)
    return created


def published_proposal(component: Component, **columns: Any) -> Proposal:
    proposal = Proposal(
        component_id=component.id, status="published", published_at=now(), **columns
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def count_authored(component: Component, proposals: Iterable[Proposal]) -> None:
    """Participants' proposals count in their ``Participation`` (withdrawing gives it back).

    An import is the institution's decision: the proposal limit does not apply.
    """
    per_author: dict[int, int] = {}
    for proposal in proposals:
        if proposal.author_id is not None and proposal.origin == "participant":
            per_author[proposal.author_id] = per_author.get(proposal.author_id, 0) + 1
    for author_id, count in sorted(per_author.items()):
        ensure_participation(component.id, author_id)
        db.session.execute(
            update(Participation)
            .where(Participation.component_id == component.id, Participation.user_id == author_id)
            .values(proposals=Participation.proposals + count),
            execution_options={"synchronize_session": False},
        )


# --- From another component -----------------------------------------------------------------


def source_components(user: User, component: Component) -> list[Component]:
    """Other proposals components, of any process, that ``user`` administers."""
    candidates = db.session.scalars(
        select(Component)
        .where(Component.type == "proposals", Component.id != component.id)
        .order_by(Component.space_id, Component.position)
    )
    return [candidate for candidate in candidates if can(user, "admin", candidate)]


def answer_state_of(proposal: Proposal) -> str:
    """The state the public sees: a published answer's, else ``not_answered``."""
    return proposal.answer_state if proposal.answer_published else "not_answered"


def plan_copy(component: Component, source: Component, states: Sequence[str]) -> ImportPlan:
    """Published proposals of ``source`` in one of ``states`` not copied here already."""
    plan = ImportPlan()
    if not states:
        plan.errors.append(_("Choose at least one state."))
        return plan
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.component_id == source.id, Proposal.status == "published")
        .order_by(Proposal.id)
    )
    copied = copied_here(component)
    plan.items = [p for p in proposals if answer_state_of(p) in states and p.id not in copied]
    if not plan.items:
        plan.errors.append(
            _("No proposal of that component is in these states, or all were imported already.")
        )
    return plan


def copied_here(component: Component) -> set[int]:
    """Ids of the originals of the copies in ``component``."""
    copies = db.session.scalars(
        select(Proposal.id).where(Proposal.component_id == component.id)
    ).all()
    originals = set()
    for copy_id in copies:
        originals.update(
            ref.id for ref in linked((RESOURCE_TYPE, copy_id), COPIED_FROM) if ref.id < copy_id
        )
    return originals


def copy_proposals(component: Component, plan: ImportPlan, user: User | None) -> list[Proposal]:
    """Copy the plan's proposals into ``component``, each linked to its original.

    Text, category (by name in another process), territory, address, origin and first
    author are copied; coauthors, supports, answers, comments and attachments are not.
    """
    if not plan.ok:
        raise ValueError("only a plan without errors can be carried out")
    categories = {c.name.casefold(): c.id for c in component.space.categories}
    created = []
    for original in plan.items:
        copy = published_proposal(component, **copied_columns(original, component, categories))
        link((RESOURCE_TYPE, copy.id), (RESOURCE_TYPE, original.id), COPIED_FROM)
        log_action(
            user,
            "proposals.import",
            copy,
            after={
                "source": "component",
                "component_id": original.component_id,
                "proposal_id": original.id,
            },
        )
        created.append(copy)
    count_authored(component, created)
    for proposal in created:
        signals.proposal_created.send(proposal, user=user)
    return created


def copied_columns(
    original: Proposal, component: Component, categories: dict[str, int]
) -> dict[str, Any]:
    category_id = None
    if original.category_id is not None:
        category = db.session.get(Category, original.category_id)
        if category.space_id == component.space_id:
            category_id = category.id
        else:
            category_id = categories.get(category.name.casefold())
    return {
        "title": original.title,
        "body": original.body,
        "category_id": category_id,
        "scope_id": original.scope_id,
        "origin": original.origin,
        "origin_note": original.origin_note,
        "author_id": original.author_id,
        "anonymous": original.anonymous,
        "address": original.address,
        "latitude": original.latitude,
        "longitude": original.longitude,
    }
