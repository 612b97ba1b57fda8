"""A participant comments on a note; another replies, votes and reports it; a moderator
hides it; its author is told, in the site and by e-mail. Then axe-core checks the pages
of the participation services, on a phone and on a desktop."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, assert_accessible
from tests.e2e.people import create_participant, log_in, log_out, run_due_jobs

pytestmark = pytest.mark.e2e

SLUG = "quartier-des-aubiers"


@dataclass(frozen=True)
class Setting:
    """The process the journey happens in, and the people taking part."""

    note_path: str
    queue_path: str


def set_up_a_process(live_site: Any) -> Setting:
    """A published process with an open step, a tiny component and a note, created with the
    app's models (as ``brique demo`` does); ``mod`` moderates it, without administering it."""
    from flask import url_for

    from brique import signals
    from brique.clock import now
    from brique.components import component_type
    from brique.db import db
    from brique.models import Component, Space, SpaceRole, Step
    from brique_tiny.models import Note

    with live_site.app.test_request_context(base_url=live_site.url):
        ana, bruno, mod, noemie = (
            create_participant(name) for name in ("ana", "bruno", "mod", "noemie")
        )
        space = Space(slug=SLUG, title="Quartier des Aubiers", published_at=now())
        day = timedelta(days=1)
        Step(
            space=space,
            title="Contributions",
            position=0,
            start_at=now() - day,
            end_at=now() + 9 * day,
        )
        tiny = component_type("tiny")
        component = Component(
            space=space,
            type="tiny",
            name="Idées du quartier",
            position=0,
            settings=tiny.load_settings({}),
            default_step_settings=tiny.default_step_settings(),
            step_settings={},
            published_at=now(),
        )
        note = Note(
            component=component, author_id=None, title="Un jardin partagé", created_at=now()
        )
        db.session.add_all(
            [
                ana,
                bruno,
                mod,
                noemie,
                space,
                component,
                SpaceRole(space=space, user=mod, role="moderator"),
            ]
        )
        db.session.flush()
        note.author_id = noemie.id
        db.session.add(note)
        db.session.commit()
        signals.resource_created.send("tiny.note", resource=note, user=noemie)
        note_path = url_for(
            "tiny.show", space_slug=SLUG, component_id=component.id, note_id=note.id
        )
        queue_path = url_for("moderation_admin.queue", slug=SLUG)
    return Setting(note_path, queue_path)


def snap(page: Any, name: str, width: int | None = None) -> None:
    """A full-page screenshot into test-artifacts/ (also at ``width`` if given)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"participation-{name}.png"), full_page=True)
    if width is not None:
        size = page.viewport_size
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"participation-{name}-{width}.png"), full_page=True)
        page.set_viewport_size(size)


def snap_path(page: Any, path: str, width: int) -> None:
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    snap(page, f"page-{name}-{width}")


def test_a_reported_comment_is_hidden_by_a_moderator_and_its_author_is_told(live_site, page):
    setting = set_up_a_process(live_site)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Ana comments on the note, in favour.
    log_in(page, live_site, "ana")
    page.goto(live_site.url + setting.note_path)
    page.get_by_label(re.compile(r"^Your comment")).fill("Bonne idée, **près de l'école** !")
    page.get_by_label("In favour").check()
    page.get_by_role("button", name="Publish my comment").click()
    comment = page.locator("article.comment").first
    assert "près de l'école" in comment.locator(".comment-body").inner_text()
    assert page.get_by_role("heading", name="1 comment").is_visible()
    log_out(page)

    # Bruno replies to it, votes it up and reports it.
    log_in(page, live_site, "bruno")
    page.goto(live_site.url + setting.note_path)
    comment = page.locator("article.comment").first
    comment.locator("summary", has_text="Reply").first.click()
    comment.get_by_label("Your reply").fill("Je ne suis pas d'accord.")
    comment.get_by_role("button", name="Publish my reply").click()
    # count() does not wait: the page after the form may still be loading on a busy machine.
    expect(page.locator(".comment-replies article.comment")).to_have_count(1)
    comment = page.locator("article.comment").first
    comment.get_by_role("button", name=re.compile(r"^I agree")).first.click()
    comment = page.locator("article.comment").first
    assert (
        comment.get_by_role("button", name=re.compile(r"^I agree")).first.get_attribute(
            "aria-pressed"
        )
        == "true"
    )
    comment.locator("details.report > summary").first.click()
    comment.get_by_label("Offensive, hateful or harassing").check()
    snap(page, "report-form", width=390)
    comment.get_by_role("button", name="Send the report").click()
    assert "report" in page.locator(".flashes").inner_text().lower()
    snap(page, "thread", width=390)
    log_out(page)

    # The moderator finds it from the administration's dashboard and hides it.
    log_in(page, live_site, "mod")
    page.get_by_role("link", name="Administration").click()
    page.locator("main").get_by_role("link", name=re.compile("Moderation")).first.click()
    assert page.url.endswith(setting.queue_path)
    item = page.locator(".moderation-item").first
    assert "Offensive" in item.inner_text()
    snap(page, "queue", width=390)
    item.get_by_role("button", name=re.compile(r"^Hide")).click()
    page.get_by_role("link", name=re.compile(r"^Hidden")).click()
    assert page.locator(".moderation-item").count() == 1
    page.goto(live_site.url + setting.note_path)
    placeholder = page.locator("article.comment").first
    assert "hidden by moderation" in placeholder.inner_text()
    assert "près de l'école" not in page.locator("main").inner_text()
    snap(page, "hidden", width=390)
    log_out(page)

    # Ana is told once the jobs ran: an unread count, the list, and e-mails.
    run_due_jobs(live_site)
    log_in(page, live_site, "ana")
    unread = page.locator(".main-nav .badge.count")
    assert re.match(r"\d+", unread.inner_text()).group(0) == "2"
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    notices = page.locator("ol.notifications li")
    text = page.locator("ol.notifications").inner_text()
    assert notices.count() == 2
    assert "bruno replied to your comment on “Un jardin partagé”" in text
    assert "Your comment on “Un jardin partagé” was hidden by moderation" in text
    snap(page, "notifications", width=390)
    page.get_by_role("button", name="Mark all as read").click()
    assert page.locator(".main-nav .badge.count").count() == 0

    run_due_jobs(live_site)
    subjects = [
        message["Subject"] for message in live_site.mails() if message["To"] == "ana@example.org"
    ]
    assert any("replied to your comment" in subject for subject in subjects), subjects
    assert any("was hidden by moderation" in subject for subject in subjects), subjects


# --- Accessibility of the services' pages ---------------------------------------------------


def a_thread(live_site: Any, page: Any) -> Setting:
    """A note with a comment and a reply, through the browser."""
    setting = set_up_a_process(live_site)
    log_in(page, live_site, "ana")
    page.goto(live_site.url + setting.note_path)
    page.get_by_label(re.compile(r"^Your comment")).fill("Une idée à creuser.")
    page.get_by_role("button", name="Publish my comment").click()
    log_out(page)
    log_in(page, live_site, "bruno")
    page.goto(live_site.url + setting.note_path)
    page.locator("article.comment summary", has_text="Reply").first.click()
    page.get_by_label("Your reply").fill("Oui, près de l'école.")
    page.get_by_role("button", name="Publish my reply").click()
    return setting


@pytest.mark.parametrize("width", [390, 1280])
def test_the_public_pages_of_participation_have_no_wcag_violation(live_site, page, width):
    setting = a_thread(live_site, page)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_site.url + setting.note_path)
    page.locator("article.comment details.report > summary").first.click()
    page.locator("article.comment summary", has_text="Reply").first.click()
    assert_accessible(page)
    for path in (
        "/notifications/",
        "/search?q=jardin",
        "/search?q=nothing-matches-this",
        "/statistics",
        f"/processes/{SLUG}/statistics",
        "/processes/budget-participatif-2026/statistics",
    ):
        page.goto(live_site.url + path)
        assert_accessible(page)
        snap_path(page, path, width)
    log_out(page)
    page.goto(live_site.url + setting.note_path)
    assert_accessible(page)


def admin_pages(setting: Setting) -> list[str]:
    space = "/admin/processes/budget-participatif-2026"
    return [
        f"{space}/moderation/",
        f"{space}/moderation/?tab=hidden",
        f"{space}/log",
        f"{space}/statistics",
        f"/admin/processes/{SLUG}/moderation/",
        f"/admin/processes/{SLUG}/statistics",
        f"/admin/processes/{SLUG}/log",
        "/admin/moderation/",
        "/admin/log",
        "/admin/statistics",
        "/admin/newsletters/",
        "/admin/newsletters/new",
    ]


def write_a_newsletter(page: Any, live_site: Any) -> None:
    page.goto(live_site.url + "/admin/newsletters/new")
    page.get_by_label(re.compile(r"^To")).select_option(label="Quartier des Aubiers")
    page.get_by_label(re.compile(r"^Subject")).fill("Le jardin avance")
    page.get_by_label(re.compile(r"^Message")).fill("Bonjour,\n\n- **samedi** : plantation")
    page.get_by_role("button", name="Save and preview").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Le jardin avance"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_moderation_log_newsletter_and_statistics_admin_pages_have_no_wcag_violation(
    live_site, page, width
):
    setting = a_thread(live_site, page)
    comment = page.locator("article.comment").first
    comment.locator("details.report > summary").first.click()
    comment.get_by_label("Spam or advertising").first.check()
    comment.get_by_role("button", name="Send the report").first.click()
    log_out(page)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_site, "admin", "admin-password-2026")
    page.get_by_role("button", name="English").click()  # the demo admin reads French
    for path in admin_pages(setting):
        page.goto(live_site.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
        snap_path(page, path, width)
    write_a_newsletter(page, live_site)
    assert_accessible(page)
    snap_path(page, "newsletter-preview", width)
    page.get_by_role("link", name="Send…").click()
    assert_accessible(page)
    snap_path(page, "newsletter-send", width)
    log_out(page)
    log_in(page, live_site, "mod")
    for path in ("/admin/", setting.queue_path):
        page.goto(live_site.url + path)
        assert_accessible(page)
        snap_path(page, "moderator" + path, width)
