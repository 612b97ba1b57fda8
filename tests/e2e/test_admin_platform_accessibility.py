"""axe-core checks the platform administration and the account pages against WCAG 2.1 AA."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

ADMIN_PAGES = [
    "/admin/",
    "/admin/users/",
    "/admin/users/1",
    "/admin/scopes/",
    "/admin/scopes/new",
    "/admin/profile-fields/",
    "/admin/profile-fields/new",
    "/admin/census",
    "/admin/branding",
    "/admin/plugins",
]
ACCOUNT_PAGES = [
    "/account/?require=age_band&next=/",
    "/account/email",
    "/account/password",
    "/account/notifications",
    "/account/verifications",
    "/account/verify/residency",
    "/account/data",
    "/account/delete",
]


def log_in(live_site, page):
    page.goto(live_site.url + "/login")
    page.get_by_label("E-mail address").fill("admin@example.org")
    page.get_by_label("Password").fill("admin-password-2026")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="English").click()  # the demo admin reads French


@pytest.mark.parametrize("width", [390, 1280])
def test_admin_and_account_pages_have_no_wcag_violation(live_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(live_site, page)
    for path in ADMIN_PAGES + ACCOUNT_PAGES:
        page.goto(live_site.url + path)
        assert_accessible(page)


def test_form_errors_in_the_admin_are_accessible(live_site, page):
    log_in(live_site, page)
    page.goto(live_site.url + "/admin/branding")
    page.get_by_label("Institution name").fill("")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.goto(live_site.url + "/admin/census")
    page.get_by_role("button", name="Import").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
