"""axe-core checks the public pages against WCAG 2.1 AA, on a phone and on a desktop."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/processes/",
    "/processes/budget-participatif-2026/",
    "/signup",
    "/login",
    "/password/forgot",
    "/nowhere",
]


@pytest.mark.parametrize("width", [390, 1280])
def test_public_pages_have_no_wcag_violation(live_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        page.goto(live_site.url + path)
        assert_accessible(page)


def test_sign_up_errors_are_accessible(live_site, page):
    page.goto(live_site.url + "/signup")
    page.get_by_role("button", name="Create my account").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
