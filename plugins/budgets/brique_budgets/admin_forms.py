"""The forms of the admin pages: a budget and a project.

Each form is built for one process, whose categories and territories are its choices;
a value outside them is refused. Messages are English msgids, translated when shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from brique.plugin_api import Scope, Space, db
from brique_budgets.models import FEASIBILITY

Choices = Sequence[tuple[int, str]]

TITLE_MAX, TEXT_MAX, ADDRESS_MAX = 200, 50_000, 300
#: The largest amount or cost the database's integer columns hold, with room to add them up.
MONEY_MAX = 2_000_000_000
POSITION_MAX = 10_000
FEASIBILITY_LABELS = {
    "not_valued": _l("Not valued yet"),
    "feasible": _l("Feasible"),
    "not_feasible": _l("Not feasible"),
}


def N_(message: str) -> str:
    """Mark ``message`` for translation: the forms translate errors when they show them."""
    return message


AMOUNT_POSITIVE = N_("Enter an amount above 0.")
COST_NOT_NEGATIVE = N_("Enter a cost of 0 or more.")
TOO_LARGE = N_("Enter a smaller number.")
NOT_A_CHOICE = N_("Choose one of the proposed values.")


# --- Choices ---------------------------------------------------------------------------------


def _tree(roots: list[Any], children: dict[int | None, list[Any]]) -> list[tuple[int, str]]:
    """``(id, name)`` of ``roots`` and what is below them, indented by depth."""
    found: list[tuple[int, str]] = []

    def walk(nodes: list[Any], depth: int) -> None:
        for node in sorted(nodes, key=lambda n: (n.name.lower(), n.id)):
            found.append((node.id, "\u2014 " * depth + node.name))
            walk(children.get(node.id, []), depth + 1)

    walk(roots, 0)
    return found


def category_choices(space: Space) -> list[tuple[int, str]]:
    """The process's categories, subcategories under their parent."""
    children: dict[int | None, list[Any]] = defaultdict(list)
    for category in space.categories:
        children[category.parent_id].append(category)
    return _tree(children.get(None, []), children)


def scope_choices(space: Space) -> list[tuple[int, str]]:
    """The process's territory and the districts in it; every territory if it has none."""
    children: dict[int | None, list[Any]] = defaultdict(list)
    for scope in db.session.scalars(select(Scope)):
        children[scope.parent_id].append(scope)
    roots = [space.scope] if space.scope is not None else children.get(None, [])
    return _tree(roots, children)


def id_choice(label: Any, choices: Choices, description: Any = "") -> fields.Integer:
    """An optional ``<select>`` of ids; values outside ``choices`` are refused."""
    return fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf([value for value, _label in choices], error=NOT_A_CHOICE),
        metadata={
            "label": label,
            "widget": "select",
            "choices": list(choices),
            "description": description,
        },
    )


def _ordered(declared: dict[str, fields.Field], names: Sequence[str]) -> dict[str, fields.Field]:
    return {name: declared[name] for name in names if name in declared}


def _title() -> fields.String:
    return fields.String(
        required=True,
        validate=[validate.Length(min=1), validate.Length(max=TITLE_MAX)],
        metadata={"label": _l("Title")},
    )


def _text(label: Any, description: Any = "") -> fields.String:
    return fields.String(
        load_default="",
        validate=validate.Length(max=TEXT_MAX),
        metadata={"label": label, "widget": "textarea", "description": description},
    )


# --- Budget ----------------------------------------------------------------------------------


class BudgetForm(Schema):
    """A budget: what participants share out, in one territory or the whole process."""

    title = _title()
    description = _text(
        _l("Description"), _l("Markdown: *emphasis*, **bold**, lists and links work.")
    )
    amount = fields.Integer(
        required=True,
        validate=[
            validate.Range(min=1, error=AMOUNT_POSITIVE),
            validate.Range(max=MONEY_MAX, error=TOO_LARGE),
        ],
        metadata={
            "label": _l("Amount"),
            "description": _l("In whole units of the component's currency, without spaces."),
        },
    )
    position = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=POSITION_MAX),
        metadata={
            "label": _l("Position"),
            "description": _l("Budgets are listed by position, the lowest first."),
        },
    )

    def __init__(self, *, scopes: Choices = (), **kwargs: Any) -> None:
        declared = {
            **self._declared_fields,
            "scope_id": id_choice(
                _l("Territory"), scopes, _l("Leave empty for a budget of the whole process.")
            ),
        }
        names = ("title", "description", "amount", "scope_id", "position")
        self._declared_fields = _ordered(declared, names)
        super().__init__(**kwargs)


def budget_form(space: Space) -> BudgetForm:
    return BudgetForm(scopes=scope_choices(space))


# --- Project ---------------------------------------------------------------------------------


class ProjectForm(Schema):
    """A project a budget may fund, with the institution's valuation of it."""

    title = _title()
    description = _text(_l("Description"), _l("Markdown. Participants read it before voting."))
    cost = fields.Integer(
        required=True,
        validate=[
            validate.Range(min=0, error=COST_NOT_NEGATIVE),
            validate.Range(max=MONEY_MAX, error=TOO_LARGE),
        ],
        metadata={
            "label": _l("Cost"),
            "description": _l("In whole units of the component's currency, without spaces."),
        },
    )
    address = fields.String(
        load_default="",
        validate=validate.Length(max=ADDRESS_MAX),
        metadata={"label": _l("Address")},
    )
    feasibility = fields.String(
        required=True,
        validate=validate.OneOf(
            FEASIBILITY, labels=[FEASIBILITY_LABELS[key] for key in FEASIBILITY]
        ),
        metadata={"label": _l("Feasibility")},
    )
    feasibility_explanation = _text(
        _l("Why it is not feasible"),
        _l("Required when the project is not feasible: participants read it."),
    )
    selected = fields.Boolean(
        load_default=False,
        metadata={
            "label": _l("Put to the vote"),
            "description": _l(
                "Only projects put to the vote are on the ballots. "
                "A project that is not feasible cannot be."
            ),
        },
    )

    def __init__(self, *, categories: Choices = (), scopes: Choices = (), **kwargs: Any) -> None:
        declared = {
            **self._declared_fields,
            "category_id": id_choice(_l("Category"), categories),
            "scope_id": id_choice(_l("Territory"), scopes),
        }
        names = (
            "title",
            "description",
            "cost",
            "category_id",
            "scope_id",
            "address",
            "feasibility",
            "feasibility_explanation",
            "selected",
        )
        self._declared_fields = _ordered(declared, names)
        super().__init__(**kwargs)

    @validates_schema
    def _not_feasible_is_explained_and_not_voted(self, data: dict, **kwargs: object) -> None:
        if data.get("feasibility") != "not_feasible":
            return
        errors = {}
        if not data.get("feasibility_explanation", "").strip():
            errors["feasibility_explanation"] = [
                _("Explain why the project is not feasible: participants read it.")
            ]
        if data.get("selected"):
            errors["selected"] = [_("A project that is not feasible cannot be put to the vote.")]
        if errors:
            raise ValidationError(errors)


def project_form(space: Space) -> ProjectForm:
    return ProjectForm(categories=category_choices(space), scopes=scope_choices(space))
