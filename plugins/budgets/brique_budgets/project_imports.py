"""Importing projects into a budget: from a CSV file, or from the accepted proposals of a
proposals component of the same process.

An import is planned first: the plan says what would be created and, for a file, the
errors of every wrong row; for proposals, which cannot become projects and why. Only
what the plan allows is created, in the caller's transaction, so a file with one wrong
row creates nothing. Proposals are reached through the core's resource type
``proposals.proposal``, never by importing their plugin, which may not be installed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from brique.plugin_api import (
    Category,
    Component,
    ResourceType,
    Scope,
    Space,
    User,
    db,
    link,
    linked,
    resource_type,
)
from brique_budgets.admin_changes import add_project, lock_budget
from brique_budgets.admin_csv import line_error, read_table
from brique_budgets.admin_forms import (
    ADDRESS_MAX,
    MONEY_MAX,
    TEXT_MAX,
    TITLE_MAX,
    scope_choices,
)
from brique_budgets.models import Budget, Project

CSV_COLUMNS = ("title", "description", "cost", "category", "scope", "address")
CSV_REQUIRED = ("title", "cost")
PROPOSAL_TYPE, PROJECT_TYPE, BECAME_PROJECT = (
    "proposals.proposal",
    "budgets.project",
    "became_project",
)
#: Thousands separators people type in costs ("12 000", "12 000").
SEPARATORS = (" ", "\u00a0", "\u202f", "_")


# --- CSV -------------------------------------------------------------------------------------


@dataclass
class PlannedProject:
    """One project a CSV import would create."""

    line: int
    title: str
    description: str
    cost: int
    category: Category | None = None
    scope: Scope | None = None
    address: str = ""

    def data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "cost": self.cost,
            "category_id": self.category.id if self.category else None,
            "scope_id": self.scope.id if self.scope else None,
            "address": self.address,
        }


@dataclass
class CsvPlan:
    """What a file would create, or why it cannot (``errors``, already translated)."""

    items: list[PlannedProject] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.items) and not self.errors


class Places:
    """The process's categories by name; the territories by code or name."""

    def __init__(self, space: Space) -> None:
        self.categories: dict[str, list[Category]] = {}
        for category in space.categories:
            self.categories.setdefault(category.name.strip().casefold(), []).append(category)
        self.scopes: dict[str, list[Scope]] = {}
        for scope in db.session.scalars(select(Scope).order_by(Scope.id)):
            for key in {scope.code.strip().casefold(), scope.name.strip().casefold()} - {""}:
                self.scopes.setdefault(key, []).append(scope)

    def category(self, name: str) -> tuple[Category | None, str | None]:
        found = self.categories.get(name.casefold(), [])
        if not found:
            return None, _("no category of the process is named “%(name)s”", name=name)
        if len(found) > 1:
            return None, _("several categories are named “%(name)s”; rename one", name=name)
        return found[0], None

    def scope(self, name: str) -> tuple[Scope | None, str | None]:
        found = self.scopes.get(name.casefold(), [])
        if not found:
            return None, _("no territory has the code or the name “%(name)s”", name=name)
        if len(found) > 1:
            return None, _("several territories are named “%(name)s”; use its code", name=name)
        return found[0], None


def plan_csv(budget: Budget, data: bytes) -> CsvPlan:
    """Check every row of a CSV file of projects; nothing is written."""
    table = read_table(data, CSV_COLUMNS, CSV_REQUIRED)
    plan = CsvPlan(errors=list(table.errors))
    if not table.rows and not plan.errors:
        plan.errors.append(_("The file has no project."))
    places = Places(budget.component.space)
    for line, row in table.rows:
        item, errors = plan_row(line, row, places)
        plan.errors.extend(line_error(line, message) for message in errors)
        if item is not None and not errors:
            plan.items.append(item)
    return plan


def plan_row(
    line: int, row: dict[str, str], places: Places
) -> tuple[PlannedProject | None, list[str]]:
    errors = text_errors(row)
    cost, error = parse_cost(row.get("cost", ""))
    errors.extend([error] if error else [])
    found: dict[str, Any] = {}
    for column, finder in (("category", places.category), ("scope", places.scope)):
        if row.get(column):
            found[column], error = finder(row[column])
            errors.extend([error] if error else [])
    if errors or cost is None:
        return None, errors
    item = PlannedProject(
        line, row["title"], row.get("description", ""), cost, address=row.get("address", "")
    )
    item.category, item.scope = found.get("category"), found.get("scope")
    return item, []


def text_errors(row: dict[str, str]) -> list[str]:
    errors = []
    if not row.get("title"):
        errors.append(_("the title is missing"))
    for column, label, maximum in (
        ("title", _("the title"), TITLE_MAX),
        ("description", _("the description"), TEXT_MAX),
        ("address", _("the address"), ADDRESS_MAX),
    ):
        if len(row.get(column, "")) > maximum:
            errors.append(_("%(what)s is longer than %(max)d characters", what=label, max=maximum))
    return errors


def parse_cost(text: str) -> tuple[int | None, str | None]:
    """A cost in whole units; spaces between thousands are allowed ("12 000")."""
    compact = text.strip()
    for separator in SEPARATORS:
        compact = compact.replace(separator, "")
    if not compact:
        return None, _("the cost is missing")
    if not (compact.isascii() and compact.isdigit()):
        return None, _("the cost “%(cost)s” is not a whole number of 0 or more", cost=text)
    if int(compact) > MONEY_MAX:
        return None, _("the cost “%(cost)s” is too large", cost=text)
    return int(compact), None


def create_from_csv(budget: Budget, plan: CsvPlan, user: User | None) -> list[Project]:
    """Create the plan's projects, not put to the vote; a plan with errors creates nothing."""
    if not plan.ok:
        raise ValueError("only a plan without errors can be carried out")
    return [
        add_project(
            budget, user, item.data(), verb="budgets.import_project", source={"csv_line": item.line}
        )
        for item in plan.items
    ]


# --- Accepted proposals ----------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a proposal stands: the project made of it keeps its category, territory,
    address and location."""

    category_id: int | None = None
    scope_id: int | None = None
    address: str = ""
    #: ``(latitude, longitude)``, or ``None``.
    location: tuple[float, float] | None = None

    def columns(self) -> dict[str, Any]:
        """The project's columns for it."""
        latitude, longitude = self.location or (None, None)
        return {
            "category_id": self.category_id,
            "scope_id": self.scope_id,
            "address": self.address,
            "latitude": latitude,
            "longitude": longitude,
        }


@dataclass(frozen=True)
class Candidate:
    """An accepted proposal, and why it cannot become a project of the budget, if it cannot."""

    id: int
    title: str
    url: str
    cost: int | None
    body: str = ""
    reason: str = ""
    placement: Placement = Placement()


@dataclass
class ProposalPlan:
    importable: list[Candidate] = field(default_factory=list)
    refused: list[Candidate] = field(default_factory=list)


def proposal_type() -> ResourceType | None:
    """The proposals' resource type; ``None`` when their plugin is not installed or enabled."""
    try:
        return resource_type(PROPOSAL_TYPE)
    except KeyError:
        return None


def proposal_sources(rtype: ResourceType, space: Space) -> list[Component]:
    """The process's components that hold proposals, in the process's order."""
    return sorted(
        (c for c in space.components if c.type == rtype.component_type),
        key=lambda c: (c.position, c.id),
    )


def plan_proposals(rtype: ResourceType, budget: Budget, source: Component) -> ProposalPlan:
    """The accepted proposals of ``source``: those that can become projects of ``budget``
    and those that cannot (no cost, or imported into it already)."""
    here = set(db.session.scalars(select(Project.id).where(Project.budget_id == budget.id)))
    places = ProjectPlaces(budget.component.space)
    plan = ProposalPlan()
    for proposal in rtype.list(source, state="accepted"):
        candidate = Candidate(
            proposal.id,
            rtype.title(proposal),
            rtype.url(proposal),
            rtype.cost(proposal),
            rtype.body(proposal),
            placement=places.placement(rtype, proposal),
        )
        reason = refusal(candidate, here)
        if reason:
            plan.refused.append(Candidate(**{**candidate.__dict__, "reason": reason}))
        else:
            plan.importable.append(candidate)
    return plan


class ProjectPlaces:
    """The categories and territories a project of the process may have: those its form
    offers (the process's categories; its territory and the districts in it)."""

    def __init__(self, space: Space) -> None:
        self.category_ids = {category.id for category in space.categories}
        self.scope_ids = {scope_id for scope_id, _name in scope_choices(space)}

    def placement(self, rtype: ResourceType, resource: Any) -> Placement:
        """Where ``resource`` stands, without a category or territory the project form
        would refuse (another process's category, a territory outside the process's)."""
        category_id, scope_id = rtype.category_id(resource), rtype.scope_id(resource)
        return Placement(
            category_id if category_id in self.category_ids else None,
            scope_id if scope_id in self.scope_ids else None,
            rtype.address(resource)[:ADDRESS_MAX],
            rtype.location(resource),
        )


def refusal(candidate: Candidate, projects_here: Collection[int]) -> str:
    """Why ``candidate`` cannot become a project of the budget whose projects are given."""
    for ref in linked((PROPOSAL_TYPE, candidate.id), BECAME_PROJECT):
        if ref.type == PROJECT_TYPE and ref.id in projects_here:
            return _("Already imported into this budget as “%(title)s”.", title=ref.title)
    if candidate.cost is None:
        return _("It has no cost: give one in the answer to the proposal first.")
    if candidate.cost > MONEY_MAX:
        return _("Its cost is too large.")
    return ""


def import_proposals(
    rtype: ResourceType,
    budget: Budget,
    source: Component,
    previewed: Collection[int],
    user: User | None,
) -> list[Project]:
    """Make a feasible project (not put to the vote yet) of each ``previewed`` proposal that
    can still become one, linked to it so that the proposal's page shows the project. The
    project keeps the proposal's category, territory, address and location.

    The budget is locked first: an import running in parallel waits, then sees the links
    this one made, so no proposal is imported twice into the budget.
    """
    lock_budget(budget)
    plan = plan_proposals(rtype, budget, source)
    created = []
    for candidate in (c for c in plan.importable if c.id in previewed):
        columns = candidate.placement.columns()
        project = add_project(
            budget,
            user,
            {
                "title": candidate.title[:TITLE_MAX],
                "description": candidate.body,
                "cost": candidate.cost,
                "feasibility": "feasible",
                **columns,
            },
            verb="budgets.import_project",
            source={"proposal_id": candidate.id, "proposals_component_id": source.id},
        )
        # add_project sets the fields of the project form, which has no coordinates.
        project.latitude, project.longitude = columns["latitude"], columns["longitude"]
        link((PROPOSAL_TYPE, candidate.id), (PROJECT_TYPE, project.id), BECAME_PROJECT)
        created.append(project)
    db.session.flush()
    return created
