"""A citizen fills her ballot past the budget, is told why it cannot be cast, fixes it, casts
it and keeps her receipt; staff enter a paper ballot; the administrator computes and
publishes the results; the citizen finds her receipt's fingerprint in the published ballots.
axe-core checks the pages on a phone and a desktop."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, assert_accessible
from tests.e2e.people import create_participant, log_in, log_out

pytestmark = pytest.mark.e2e

SLUG = "budget-des-aubiers"
COMPONENT = "Budget participatif des Aubiers"
PROJECTS = [
    ("Trees on the square", 40_000),
    ("A skate park", 50_000),
    ("Bike racks at the station", 20_000),
    ("A book box", 5_000),
]


@dataclass(frozen=True)
class Setting:
    component_id: int
    budget_id: int
    budget_path: str


def set_up_a_vote(live_site: Any) -> Setting:
    """A published process whose open step opens the vote on one knapsack budget of
    100,000 € (at least 2 projects); ``org`` administers it, ``ana`` votes."""
    from flask import url_for

    from brique.clock import now
    from brique.components import component_type
    from brique.db import db
    from brique.models import Component, Space, SpaceRole, Step
    from brique_budgets.models import Budget, Project

    with live_site.app.test_request_context(base_url=live_site.url):
        people = {name: create_participant(name) for name in ("ana", "org")}
        space = Space(slug=SLUG, title="Les Aubiers", published_at=now())
        step = Step(
            space=space,
            title="Vote",
            position=0,
            start_at=now() - timedelta(days=1),
            end_at=now() + timedelta(days=9),
        )
        budgets = component_type("budgets")
        component = Component(
            space=space,
            type="budgets",
            name=COMPONENT,
            position=0,
            settings=budgets.load_settings({"minimum_projects": 2}),
            default_step_settings=budgets.default_step_settings(),
            step_settings={},
            published_at=now(),
        )
        db.session.add_all(
            [
                *people.values(),
                space,
                component,
                SpaceRole(space=space, user=people["org"], role="admin"),
            ]
        )
        db.session.flush()
        component.step_settings = {str(step.id): budgets.load_step_settings({"votes_open": True})}
        budget = Budget(component_id=component.id, title="Budget 2026", amount=100_000)
        db.session.add(budget)
        db.session.flush()
        for title, cost in PROJECTS:
            db.session.add(
                Project(
                    budget_id=budget.id,
                    component_id=component.id,
                    title=title,
                    cost=cost,
                    selected=True,
                    feasibility="feasible",
                )
            )
        db.session.commit()
        path = url_for(
            "budgets.budget", space_slug=SLUG, component_id=component.id, budget_id=budget.id
        )
        return Setting(component.id, budget.id, path)


def snap(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"budgets-{name}.png"), full_page=True)


def add(page: Any, title: str) -> None:
    page.get_by_role("button", name=f"Add to my ballot {title}").click()


def vote(page: Any, live_site: Any, setting: Setting) -> str:
    """Ana votes; her receipt code."""
    log_in(page, live_site, "ana")
    page.goto(live_site.url + "/")
    page.get_by_role("link", name="Les Aubiers").first.click()
    page.locator("main").get_by_role("link", name=COMPONENT).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Budget 2026"
    for title in ("Trees on the square", "A skate park", "Bike racks at the station"):
        add(page, title)
    gauge = page.locator(".budget-gauge").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "Spent: €110,000 of €100,000" in gauge or "110,000" in gauge, gauge

    page.get_by_role("button", name="Cast my ballot").click()
    refusal = page.get_by_role("alert").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "Your ballot cannot be cast yet" in refusal and "10,000" in refusal
    assert "over the budget" in refusal
    snap(page, "refused")
    assert_accessible(page)

    page.get_by_role("button", name="Remove A skate park").click()
    expect(page.locator("ol.ballot-lines li")).to_have_count(2)
    page.get_by_role("button", name="Cast my ballot").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your vote is recorded"
    code = page.locator(".receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    snap(page, "receipt")
    assert_accessible(page)
    log_out(page)
    return code


def enter_paper_ballot_and_publish(page: Any, live_site: Any, setting: Setting) -> None:
    """``org`` enters a paper ballot, computes the result and publishes it."""
    log_in(page, live_site, "org")
    admin = f"{live_site.url}/admin/components/{setting.component_id}/budgets/{setting.budget_id}"
    page.goto(admin + "/paper")
    page.get_by_label("Voter's identifier").fill("CNI 0123456789")
    page.get_by_label("Polling station").fill("Mairie annexe")
    page.get_by_label("A skate park").check()
    page.get_by_label("A book box").check()
    page.get_by_role("button", name="Record this ballot").click()
    assert "The paper ballot is recorded" in page.locator(".flashes").inner_text()
    assert page.locator(".receipt-code").is_visible()

    page.goto(admin + "/results")
    page.get_by_role("button", name="Compute the result").click()
    # A worker counts in the background; the page says so and refreshes itself until then.
    assert "The result is being computed" in page.locator(".flashes").inner_text()
    table = page.get_by_role("table", name="Votes and result of each project")
    expect(table).to_contain_text("Trees on the square", timeout=20_000)
    page.get_by_role("button", name="Publish the results").click()
    assert "The results are published." in page.locator(".flashes").inner_text()
    log_out(page)


def find_receipt(page: Any, live_site: Any, setting: Setting, code: str) -> None:
    """Anyone reads the results; Ana finds her receipt's fingerprint in the ballots."""
    page.goto(live_site.url + setting.budget_path + "results")
    assert page.get_by_role("heading", level=1).inner_text() == "Results: Budget 2026"
    rows = page.get_by_role("table", name="Votes and result of each project").inner_text()
    assert "Funded" in rows and "Votes on paper" in rows
    assert page.locator("svg.chart").is_visible()
    snap(page, "results")
    assert_accessible(page)

    digest = hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("anonymised ballots")).click()
    ballots = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"{digest};online;" in ballots and "ana" not in ballots

    page.get_by_role("link", name="Check a receipt").click()
    page.get_by_label("Receipt code").fill(code.lower())
    page.get_by_role("button", name="Check").click()
    assert (
        "A ballot with this receipt is among the cast ballots" in page.locator("main").inner_text()
    )
    assert digest in page.locator("main code").inner_text()


def test_a_citizen_votes_within_the_budget_and_finds_her_ballot_in_the_published_data(
    live_site, page
):
    setting = set_up_a_vote(live_site)
    page.set_viewport_size({"width": 390, "height": 844})
    code = vote(page, live_site, setting)
    page.set_viewport_size({"width": 1280, "height": 900})
    enter_paper_ballot_and_publish(page, live_site, setting)
    find_receipt(page, live_site, setting, code)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_budget_page_has_no_wcag_violation(live_site, page, width):
    setting = set_up_a_vote(live_site)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_site.url + setting.budget_path)
    assert_accessible(page)
    log_in(page, live_site, "ana")
    page.goto(live_site.url + setting.budget_path)
    add(page, "A book box")
    assert_accessible(page)
