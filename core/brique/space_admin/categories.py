"""Categories of a space: themes, nested one level (a main category and its subcategories)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update

from brique.actionlog.log import log_action, snapshot
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Category
from brique.space_admin.pages import Errors, page
from brique.space_admin.queries import category_tree
from brique.space_admin.schemas import CategorySchema


def index() -> Any:
    return page("space_admin/categories/index.html", tree=category_tree(g.space))


def parent_choices(category: Category | None) -> list[tuple[int, str]]:
    """Main categories of the space, except ``category`` itself."""
    rows = db.session.scalars(
        select(Category)
        .where(Category.space_id == g.space.id, Category.parent_id.is_(None))
        .order_by(Category.name)
    )
    return [(row.id, row.name) for row in rows if category is None or row.id != category.id]


def category_schema(category: Category | None) -> CategorySchema:
    return CategorySchema(parents=parent_choices(category))


def category_of_space(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None or category.space_id != g.space.id:
        abort(404)
    return category


def new() -> Any:
    if request.method == "POST":
        return save(Category(space_id=g.space.id), "space_admin/categories/new.html")
    return category_form("space_admin/categories/new.html", None, {"parent_id": _wanted_parent()})


def _wanted_parent() -> int | None:
    return request.args.get("parent", type=int)


def edit(category_id: int) -> Any:
    category = category_of_space(category_id)
    if request.method == "POST":
        return save(category, "space_admin/categories/edit.html")
    values = {"name": category.name, "description": category.description}
    values["parent_id"] = category.parent_id
    return category_form("space_admin/categories/edit.html", category, values)


def category_form(
    template: str, category: Category | None, values: dict, errors: Errors | None = None
) -> Any:
    fields = form_fields(category_schema(category), values, errors)
    return page(template, errors, fields=fields, category=category)


def save(category: Category, template: str) -> Any:
    existing = category if category.id is not None else None
    data, errors, raw = load_form(category_schema(existing), request.form)
    if data is not None and data["parent_id"] is not None and _has_children(existing):
        errors = {"parent_id": [_("This category has subcategories: it must stay a main one.")]}
    if errors:
        return category_form(template, existing, raw, errors)
    before = snapshot(category, data) if existing is not None else None
    for key, value in data.items():
        setattr(category, key, value)
    db.session.add(category)
    db.session.flush()
    verb = "category.update" if existing is not None else "category.create"
    log_action(current_user, verb, category, before=before, after=snapshot(category, data))
    db.session.commit()
    flash(_("The category “%(name)s” is saved.", name=category.name), "success")
    return redirect(url_for("space_admin.categories"))


def _has_children(category: Category | None) -> bool:
    if category is None:
        return False
    statement = select(Category.id).where(Category.parent_id == category.id).limit(1)
    return db.session.scalar(statement) is not None


def delete(category_id: int) -> Any:
    category = category_of_space(category_id)
    if request.method == "GET":
        return page("space_admin/categories/delete.html", category=category)
    name = category.name
    # Subcategories become main categories rather than disappearing with their parent.
    db.session.execute(
        update(Category).where(Category.parent_id == category.id).values(parent_id=None)
    )
    log_action(current_user, "category.delete", category)
    db.session.delete(category)
    db.session.commit()
    flash(_("The category “%(name)s” is deleted.", name=name), "success")
    return redirect(url_for("space_admin.categories"))
