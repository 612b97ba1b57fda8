"""A citizen signs up, confirms by the mailed link, logs in and finds the demo process."""

import pytest

pytestmark = pytest.mark.e2e


def test_citizen_signs_up_confirms_logs_in_and_reads_the_timeline(live_site, page):
    page.goto(live_site.url + "/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("E-mail address").fill("lea@example.org")
    page.get_by_label("Nickname").fill("lea")
    page.get_by_label("Password").fill("une phrase de passe")
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Create my account").click()
    assert "lea@example.org" in page.locator(".flashes").inner_text()

    page.goto(live_site.last_link("lea@example.org"))
    assert "confirmed" in page.locator(".flashes").inner_text()

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("E-mail address").fill("lea@example.org")
    page.get_by_label("Password").fill("une phrase de passe")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("link", name="My account").is_visible()

    page.get_by_role("link", name="Budget participatif 2026").first.click()
    timeline = page.locator("ol.timeline")
    current = timeline.locator("[aria-current=step]")
    assert current.locator(".step-title").inner_text() == "Dépôt des idées"
    assert timeline.locator("li").count() == 4
