"""An institution creates a process with two steps and a component, and publishes it."""

import re
from datetime import datetime, timedelta

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def add_step(page, title, start, end):
    page.get_by_role("link", name="Add a step").click()
    page.get_by_label(re.compile(r"^Title")).fill(title)
    page.get_by_label(re.compile(r"^Starts")).fill(local(start))
    page.get_by_label(re.compile(r"^Ends")).fill(local(end))
    page.get_by_role("button", name="Save the step").click()


def test_admin_composes_and_publishes_a_process(live_site, page):
    page.goto(live_site.url + "/login")
    page.get_by_label("E-mail address").fill("admin@example.org")
    page.get_by_label("Password").fill("admin-password-2026")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="English").click()  # the demo admin's language is French

    page.get_by_role("link", name="Administration").click()
    page.locator("nav.admin-nav summary").click()  # on a phone, the menu opens first
    page.locator("nav.admin-nav").get_by_role("link", name="Processes").click()
    page.get_by_role("link", name="Create a process").click()
    page.get_by_label(re.compile(r"^Title")).fill("Consultation sur les mobilités")
    page.get_by_role("button", name="Create the process").click()

    today = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
    add_step(page, "Contributions", today - timedelta(days=1), today + timedelta(days=14))
    add_step(page, "Synthèse", today + timedelta(days=14), today + timedelta(days=30))
    assert page.locator("main").get_by_text("Synthèse").count() >= 1
    assert_accessible(page)

    page.get_by_role("link", name="Components").first.click()
    page.get_by_role("link", name="Add a component").click()
    tiny = page.locator("form").filter(has=page.get_by_role("button", name="Add Tiny notes"))
    tiny.get_by_label(re.compile(r"^Name")).fill("Vos idées")
    tiny.get_by_role("button", name="Add Tiny notes").click()
    page.get_by_role("link", name="Components").first.click()
    page.get_by_role("button", name="Publish Vos idées").click()
    page.get_by_role("button", name="Publish", exact=True).click()

    page.get_by_role("link", name="See the public page").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Consultation sur les mobilités"
    assert page.locator("ol.timeline li").count() == 2
    assert page.locator("[aria-current=step] .step-title").inner_text() == "Contributions"
    assert page.get_by_role("link", name="Vos idées").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.goto(live_site.url + "/")
    assert page.get_by_role("link", name="Consultation sur les mobilités").count() >= 1
