"""A participant writes a proposal and is shown a similar one before publishing; others
support it until it qualifies; the process's administrator answers it "accepted"; its author
reads the answer on its page and in their notifications. axe-core checks the public pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, assert_accessible
from tests.e2e.people import create_participant, log_in, log_out, run_due_jobs

pytestmark = pytest.mark.e2e

SLUG = "quartier-des-aubiers"
COMPONENT = "Idées pour le quartier"
SIMILAR = "Des bancs ombragés le long des quais"
UNRELATED = "Un abri pour vélos à la gare"
TITLE = "Des bancs à l'ombre sur les quais de Loire"
BODY = (
    "Installer des bancs sous les arbres des quais, pour que les promeneurs "
    "puissent s'asseoir à l'ombre l'été."
)
ANSWER = "La ville installera **six bancs** sur les quais au printemps."


@dataclass(frozen=True)
class Setting:
    """Where the journey happens."""

    component_id: int
    index_path: str


def published_proposal(component: Any, author: Any, title: str, body: str) -> Any:
    from brique.clock import now
    from brique_proposals.models import Proposal

    return Proposal(
        component_id=component.id,
        author_id=author.id,
        title=title,
        body=body,
        status="published",
        created_at=now() - timedelta(days=2),
        published_at=now() - timedelta(days=2),
    )


def set_up_a_process(live_site: Any) -> Setting:
    """A published process whose open step lets participants write and support proposals,
    which qualify at two supports; two proposals are already published. ``org`` administers
    the process; ``ana`` will write, ``bruno`` and ``noemie`` will support."""
    from flask import url_for

    from brique.clock import now
    from brique.components import component_type
    from brique.db import db
    from brique.models import Component, Space, SpaceRole, Step

    with live_site.app.test_request_context(base_url=live_site.url):
        people = {name: create_participant(name) for name in ("ana", "bruno", "noemie", "org")}
        space = Space(slug=SLUG, title="Quartier des Aubiers", published_at=now())
        day = timedelta(days=1)
        step = Step(
            space=space,
            title="Idées",
            position=0,
            start_at=now() - day,
            end_at=now() + 9 * day,
        )
        proposals = component_type("proposals")
        component = Component(
            space=space,
            type="proposals",
            name=COMPONENT,
            position=0,
            settings=proposals.load_settings({"threshold": 2}),
            default_step_settings=proposals.default_step_settings(),
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
        component.step_settings = {
            str(step.id): proposals.load_step_settings(
                {"creation_open": True, "supports_enabled": True, "answers_published": True}
            )
        }
        db.session.add_all(
            [
                published_proposal(
                    component,
                    people["bruno"],
                    SIMILAR,
                    "Des bancs sous les tilleuls des quais pour faire une pause à l'ombre.",
                ),
                published_proposal(
                    component,
                    people["noemie"],
                    UNRELATED,
                    "Un abri couvert et fermé pour laisser son vélo à la journée.",
                ),
            ]
        )
        db.session.commit()
        return Setting(
            component.id, url_for("proposals.index", space_slug=SLUG, component_id=component.id)
        )


def snap(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"proposals-{name}.png"), full_page=True)


def open_the_proposals(page: Any, live_site: Any) -> None:
    """From the home page to the process, then to its proposals, as a visitor would."""
    page.goto(live_site.url + "/")
    page.get_by_role("link", name="Quartier des Aubiers").first.click()
    page.locator("main").get_by_role("link", name=COMPONENT).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == COMPONENT


def write_and_publish(page: Any, live_site: Any) -> str:
    """Ana writes her proposal, sees the similar one, goes on and publishes; her page's URL."""
    log_in(page, live_site, "ana")
    open_the_proposals(page, live_site)
    page.get_by_role("link", name="Write a proposal").click()
    page.get_by_label(re.compile(r"^Title")).fill(TITLE)
    page.get_by_label(re.compile(r"^Your proposal")).fill(BODY)
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Similar proposals"
    suggested = page.locator(".similar-proposals").get_by_role("heading", level=2)
    assert suggested.all_inner_texts() == [SIMILAR]
    assert page.get_by_role("button", name=f"Support this one instead “{SIMILAR}”").is_visible()
    snap(page, "similar")
    assert_accessible(page)
    page.get_by_role("link", name="Mine is different: continue").click()

    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    page.get_by_role("button", name="Publish my proposal").click()
    assert "Your proposal is published." in page.locator(".flashes").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.get_by_text("0 of the 2 supports it needs to qualify").is_visible()
    url = page.url
    log_out(page)
    return url


def support(page: Any, live_site: Any, nickname: str) -> None:
    """``nickname`` finds Ana's proposal in the list and supports it from its page."""
    log_in(page, live_site, nickname)
    open_the_proposals(page, live_site)
    page.locator("main").get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name=f"Support “{TITLE}”").click()
    assert "You support this proposal." in page.locator(".flashes").inner_text()
    log_out(page)


def answer_as_admin(page: Any, live_site: Any, setting: Setting) -> None:
    """The process's administrator answers "accepted" from the component's administration."""
    log_in(page, live_site, "org")
    page.goto(f"{live_site.url}/admin/components/{setting.component_id}/")
    row = page.get_by_role("row", name=re.compile(re.escape(TITLE)))
    assert "Qualified" in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(TITLE)
    page.get_by_label("State").select_option(label="Accepted")
    page.get_by_role("textbox", name="Answer").fill(ANSWER)
    page.get_by_role("button", name="Save the answer").click()
    flashes = page.locator(".flashes").inner_text()
    assert "The answer is published; the authors and followers are notified." in flashes
    snap(page, "admin-answered")
    log_out(page)


def test_a_proposal_is_written_supported_until_qualified_answered_and_its_author_told(
    live_site, page
):
    setting = set_up_a_process(live_site)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Ana writes; before publishing she is shown the similar proposal, not the unrelated one.
    proposal_url = write_and_publish(page, live_site)

    # Bruno and Noémie support it: at the threshold (2) it is qualified.
    support(page, live_site, "bruno")
    page.goto(proposal_url)
    assert page.get_by_text("1 of the 2 supports it needs to qualify").is_visible()
    assert page.locator("article.proposal header .badge", has_text="Qualified").count() == 0
    support(page, live_site, "noemie")
    page.goto(proposal_url)
    header = page.locator("article.proposal header")
    assert header.locator(".badge", has_text="Qualified").is_visible()
    assert "This proposal reached the supports it needed" in page.locator("main").inner_text()
    snap(page, "qualified")

    # The administrator answers it "accepted"; the answer is published at once.
    answer_as_admin(page, live_site, setting)

    # Ana reads the answer on her proposal's page and, once the worker ran, is notified.
    run_due_jobs(live_site, rounds=2)
    log_in(page, live_site, "ana")
    page.goto(proposal_url)
    answer = page.get_by_role("region", name=re.compile(r"^The institution.s answer$"))
    assert "Accepted" in answer.inner_text()
    assert "six bancs" in answer.locator("strong").inner_text()
    assert "Answered: Accepted" in page.locator(".proposal-history").inner_text()
    snap(page, "answered")
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    notices = page.locator("ol.notifications")
    assert f"Your proposal “{TITLE}” has an answer" in notices.inner_text()
    snap(page, "notifications")
    notices.get_by_role("link", name=re.compile(re.escape(TITLE))).first.click()
    assert page.url.split("#")[0] == proposal_url.split("#")[0]
    subjects = [m["Subject"] for m in live_site.mails() if m["To"] == "ana@example.org"]
    assert any("has an answer" in subject for subject in subjects), subjects


@pytest.mark.parametrize("width", [390, 1280])
def test_the_proposals_list_and_a_proposal_page_have_no_wcag_violation(live_site, page, width):
    setting = set_up_a_process(live_site)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_site, "bruno")
    page.goto(live_site.url + setting.index_path)
    assert_accessible(page)
    page.locator("main").get_by_role("link", name=UNRELATED).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == UNRELATED
    assert_accessible(page)
    log_out(page)
    page.goto(live_site.url + setting.index_path)
    assert_accessible(page)
