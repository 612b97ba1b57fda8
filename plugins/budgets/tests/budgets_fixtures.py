"""Fixtures of the budgets tests on the site, on top of those Brique ships (brique.testing);
conftest.py makes them available to every test."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def app_config():
    """Pages in English, whatever the participants' language, so that tests read them."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def make_component(dummy_space, create_component):
    """``make_component(settings={...}, step={...})``: a budgets component whose current
    step has the ``step`` settings (voting open unless told otherwise)."""

    def factory(settings: dict[str, Any] | None = None, step: dict[str, Any] | None = None):
        current = {"votes_open": True, **(step or {})}
        return create_component(
            dummy_space,
            "budgets",
            settings=settings or {},
            step_settings={dummy_space.steps[1]: current},
        )

    return factory


@pytest.fixture
def component(make_component):
    return make_component()


@pytest.fixture
def make_budget(db):
    """``make_budget(component, amount=100_000, projects=[("Title", cost), ...])``: a budget
    with selected projects."""
    from brique_budgets.models import Budget, Project

    def factory(component, amount=100_000, projects=(), *, title="Budget 2026", **columns):
        budget = Budget(component_id=component.id, title=title, amount=amount, **columns)
        db.session.add(budget)
        db.session.flush()
        for spec in projects:
            name, cost, *rest = spec
            db.session.add(
                Project(
                    budget_id=budget.id,
                    component_id=component.id,
                    title=name,
                    cost=cost,
                    category_id=rest[0] if rest else None,
                    selected=True,
                )
            )
        db.session.commit()
        return budget

    return factory
