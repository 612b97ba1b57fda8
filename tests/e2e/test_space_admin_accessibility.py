"""axe-core checks the space administration against WCAG 2.1 AA, on a phone and a desktop."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

SPACE = "/admin/processes/budget-participatif-2026"
PAGES = [
    "/admin/processes/",
    "/admin/processes/new",
    "/admin/processes/import",
    f"{SPACE}/",
    f"{SPACE}/steps/",
    f"{SPACE}/steps/new",
    f"{SPACE}/components/",
    f"{SPACE}/components/new",
    f"{SPACE}/categories/",
    f"{SPACE}/roles/",
    f"{SPACE}/copy",
    f"{SPACE}/delete",
]


def log_in_as_admin(page, live_site):
    page.goto(live_site.url + "/login")
    page.get_by_label("E-mail address").fill("admin@example.org")
    page.get_by_label("Password").fill("admin-password-2026")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_space_admin_pages_have_no_wcag_violation(live_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in_as_admin(page, live_site)
    for path in PAGES:
        page.goto(live_site.url + path)
        assert_accessible(page)


def test_component_set_up_pages_have_no_wcag_violation(live_site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_as_admin(page, live_site)
    page.goto(live_site.url + f"{SPACE}/components/")
    component = page.locator("table.data tbody th a").first.get_attribute("href")
    for suffix in ("", "steps", "permissions", "remove"):
        page.goto(live_site.url + component + suffix)
        assert_accessible(page)


def test_step_form_errors_are_accessible(live_site, page):
    log_in_as_admin(page, live_site)
    page.goto(live_site.url + f"{SPACE}/steps/new")
    page.locator("#field-title").fill("")
    page.locator("form button[type=submit].primary").last.click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
