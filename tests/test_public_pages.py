"""The public site: home, process pages, language, safe redirects, safe text, headers."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from brique.models import SiteSettings, SpaceRole, User
from brique.testing import FROZEN_AT
from brique.urls import safe_next

DAY = timedelta(days=1)
TODAY = FROZEN_AT.date()  # 1 March 2026


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


def text_of(response):
    return response.get_data(as_text=True)


def section(page, heading_id, next_id=None):
    """The HTML from the section headed ``heading_id`` up to the next one."""
    start = page.index(f'id="{heading_id}"')
    end = page.index(f'id="{next_id}"', start) if next_id else len(page)
    return page[start:end]


def phases(page):
    return {
        "in_progress": section(page, "phase-1", "phase-2"),
        "upcoming": section(page, "phase-2", "phase-3"),
        "past": section(page, "phase-3"),
    }


# --- home -----------------------------------------------------------------------------------


def test_home_groups_processes_in_progress_upcoming_and_past(create_space, client):
    create_space("Vélo en ville", start_date=TODAY - 10 * DAY, end_date=TODAY + 10 * DAY)
    create_space("Place du marché", start_date=TODAY + DAY, end_date=TODAY + 40 * DAY)
    create_space("Budget 2025", start_date=TODAY - 400 * DAY, end_date=TODAY - DAY)
    create_space("Last day today", start_date=TODAY - 10 * DAY, end_date=TODAY)
    grouped = phases(text_of(client.get("/")))
    assert "Vélo en ville" in grouped["in_progress"] and "Last day today" in grouped["in_progress"]
    assert "Place du marché" in grouped["upcoming"]
    assert "Budget 2025" in grouped["past"]
    assert "Vélo en ville" not in grouped["upcoming"] + grouped["past"]


def test_a_process_without_dates_is_placed_by_its_timeline(create_space, dummy_space, client):
    create_space("Later", steps=[(FROZEN_AT + DAY, FROZEN_AT + 5 * DAY)])
    create_space("Over", steps=[(FROZEN_AT - 5 * DAY, FROZEN_AT - DAY)])
    grouped = phases(text_of(client.get("/")))
    assert "Budget participatif" in grouped["in_progress"]
    assert "Later" in grouped["upcoming"] and "Over" in grouped["past"]


def test_a_card_without_dates_shows_its_timelines_first_and_last_days(create_space, client):
    # From 2 March 09:00 UTC to 6 March 00:00 Paris time: the last day is 5 March.
    start = FROZEN_AT + DAY
    create_space("Later", steps=[(start, datetime(2026, 3, 5, 23, 0, tzinfo=UTC))])
    assert "From March 2, 2026 to March 5, 2026" in phases(text_of(client.get("/")))["upcoming"]


def test_timeline_days_are_the_institutions_days(create_space, client):
    # Midnight in Paris on 2 March is 23:00 UTC on 1 March: tomorrow, for the city.
    paris_midnight = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    create_space("Starts tomorrow", steps=[(paris_midnight, paris_midnight + 5 * DAY)])
    # Ended at midnight in Paris this morning (23:00 UTC yesterday): over.
    create_space("Ended last night", steps=[(FROZEN_AT - 5 * DAY, paris_midnight - DAY)])
    grouped = phases(text_of(client.get("/")))
    assert "Starts tomorrow" in grouped["upcoming"]
    assert "Ended last night" in grouped["past"]


def test_promoted_processes_are_highlighted(create_space, client):
    create_space("Mis en avant", promoted=True, start_date=TODAY - DAY)
    page = text_of(client.get("/"))
    assert "Mis en avant" in section(page, "promoted", "phase-1")


def test_private_and_draft_processes_are_hidden_from_lists_for_others(
    create_space, create_user, db, login
):
    create_space("Public process")
    private = create_space("Conseil de quartier", is_private=True)
    create_space("Brouillon", published=False)
    member = create_user("member")
    db.session.add(SpaceRole(space=private, user=member, role="member"))
    db.session.commit()
    for path in ("/", "/processes/"):
        page = text_of(login(None).get(path))
        assert "Public process" in page
        assert "Conseil de quartier" not in page and "Brouillon" not in page
        assert "Conseil de quartier" in text_of(login(member).get(path))
        assert "Brouillon" not in text_of(login(member).get(path))


def test_the_site_welcome_text_is_markdown(db, client):
    db.session.add(SiteSettings(id=1, name="Ville de Beaulieu", welcome_text="**Bienvenue**"))
    db.session.commit()
    page = text_of(client.get("/"))
    assert (
        "<strong>Bienvenue</strong>" in page and "<title>Home · Ville de Beaulieu</title>" in page
    )


# --- process page ---------------------------------------------------------------------------


@pytest.fixture
def budget(dummy_space, db, create_component):
    dummy_space.subtitle = "500 000 € pour vos projets"
    dummy_space.short_description = "Proposez, puis votez."
    dummy_space.objectives = "Financer des projets d'habitants"
    dummy_space.organiser = "Mairie de Beaulieu"
    dummy_space.start_date = date(2026, 2, 9)
    dummy_space.steps[1].title = "Vote"
    db.session.commit()
    create_component(dummy_space, "tiny", name="Boîte à idées")
    create_component(dummy_space, "tiny", name="Notes en préparation", published=False)
    return dummy_space


def test_the_process_page_shows_hero_metadata_and_timeline(budget, client):
    page = text_of(client.get(f"/processes/{budget.slug}/"))
    hero = page[page.index('class="hero"') : page.index("</div>", page.index('class="hero"'))]
    assert "<h1>Budget participatif</h1>" in hero
    assert "500 000 € pour vos projets" in hero and "Proposez, puis votez." in hero
    facts = section(page, "metadata-title")
    assert "<dt>Objectives</dt><dd>Financer des projets d&#39;habitants</dd>" in facts
    assert "<dt>Organiser</dt><dd>Mairie de Beaulieu</dd>" in facts
    assert "February 9, 2026" in facts
    timeline = section(page, "steps-title", "metadata-title")
    assert timeline.count("<li") == 3


def test_the_current_step_is_marked_for_everyone(budget, client, clock):
    page = text_of(client.get(f"/processes/{budget.slug}/"))
    current = re.findall(
        r'<li class="(\w+)" ?(aria-current="step")?>\s*<span class="step-title">([^<]+)', page
    )
    assert [(state, title) for state, _, title in current] == [
        ("past", "Step 1"),
        ("active", "Vote"),
        ("upcoming", "Step 3"),
    ]
    assert [title for _, marked, title in current if marked] == ["Vote"]
    clock.set(FROZEN_AT + 40 * DAY)
    assert 'aria-current="step"' not in text_of(client.get(f"/processes/{budget.slug}/"))


def test_the_process_page_lists_published_components_only(budget, client, login, create_user, db):
    page = text_of(client.get(f"/processes/{budget.slug}/"))
    assert "Boîte à idées" in page and "Notes en préparation" not in page
    admin = create_user("space_admin", locale="en")
    db.session.add(SpaceRole(space=budget, user=admin, role="admin"))
    db.session.commit()
    staff_page = text_of(login(admin).get(f"/processes/{budget.slug}/"))
    assert "Notes en préparation" in staff_page and "Not published" in staff_page


def test_components_of_a_disabled_plugin_are_left_out(budget, client, app):
    del app.extensions["brique"].component_types["tiny"]
    response = client.get(f"/processes/{budget.slug}/")
    assert response.status_code == 200 and "Boîte à idées" not in text_of(response)


@pytest.mark.parametrize(
    ("columns", "status"),
    [({"published_at": None}, 404), ({"is_private": True}, 404), ({}, 200)],
)
def test_hidden_processes_are_not_found(create_space, client, columns, status):
    space = create_space("Hidden?")
    for key, value in columns.items():
        setattr(space, key, value)
    from brique.db import db

    db.session.commit()
    assert client.get(f"/processes/{space.slug}/").status_code == status


# --- language -------------------------------------------------------------------------------


def test_the_language_switch_changes_the_page_language(client):
    assert '<html lang="en">' in text_of(client.get("/"))
    response = client.post("/language", data={"locale": "fr", "next": "/processes/"})
    assert response.status_code == 302 and response.location == "/processes/"
    page = text_of(client.get("/"))
    assert '<html lang="fr">' in page and "Propulsé par Brique" in page


def test_the_language_switch_remembers_a_participants_choice(dummy_user, login, db):
    client = login(dummy_user)
    client.post("/language", data={"locale": "en"})
    assert db.session.get(User, dummy_user.id).locale == "en"
    client.post("/language", data={"locale": "fr"})
    assert db.session.get(User, dummy_user.id).locale == "fr"
    assert '<html lang="fr">' in text_of(client.get("/"))


def test_an_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "de"})
    assert '<html lang="en">' in text_of(client.get("/"))


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/processes/budget/?page=2", "/processes/budget/?page=2"),
        ("/processes/?", "/processes/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("/\t/evil.example/", "/"),
        ("/\n/evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("processes/", "/"),
        ("", "/"),
    ],
)
def test_redirects_after_the_language_switch_stay_on_the_site(client, target, location):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 302 and response.location == location


@pytest.mark.parametrize(
    "target",
    [
        "http://evil.example",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil",
        "\\\\evil",
        "mailto:x",
    ],
)
def test_safe_next_refuses_other_sites(target):
    assert safe_next(target) is None


def test_safe_next_keeps_paths_with_queries():
    assert safe_next("/processes/a/?q=vélo#top") == "/processes/a/?q=vélo#top"


# --- safe text and headers ------------------------------------------------------------------


def test_markdown_in_descriptions_is_sanitised(dummy_space, db, client):
    dummy_space.description = (
        "Intro <script>alert('x')</script>\n\n"
        "[Site de la ville](https://beaulieu.example) and [bad](javascript:alert(1))\n\n"
        '<img src=x onerror="alert(1)">'
    )
    dummy_space.steps[0].description = "<iframe src='https://evil.example'></iframe> *step*"
    dummy_space.short_description = "<b>not bold</b>"
    db.session.commit()
    page = text_of(client.get(f"/processes/{dummy_space.slug}/"))
    assert not re.search(r"<(script|iframe|img)\b", page)  # shown as text, never as tags
    assert "Intro &lt;script&gt;alert(" in page
    assert 'href="javascript:' not in page
    assert '<a href="https://beaulieu.example" rel="nofollow ugc noopener">' in page
    assert "<em>step</em>" in page
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page


@pytest.mark.parametrize("path", ["/", "/processes/", "/login", "/no-such-page"])
def test_every_page_sends_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_pages_for_a_logged_in_participant_are_not_cached(dummy_user, login):
    assert login(dummy_user).get("/").headers["Cache-Control"] == "private, no-store"


def test_the_not_found_page(client):
    response = client.get("/processes/no-such-process/")
    assert response.status_code == 404
    page = text_of(response)
    assert "<h1>Page not found</h1>" in page and "Back to the home page" in page


def test_uploads_do_not_reach_outside_their_folder(client, app):
    from pathlib import Path

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    (Path(app.instance_path) / "secret.txt").write_text("secret", encoding="utf-8")
    assert client.get("/uploads/../secret.txt").status_code == 404
    assert client.get("/uploads/%2e%2e/secret.txt").status_code == 404


# --- bounded queries ------------------------------------------------------------------------


def add_spaces(create_space, count, offset=0):
    for number in range(count):
        start = FROZEN_AT + (number + offset - 25) * DAY
        create_space(f"Process {number + offset}", steps=[(start, start + 3 * DAY)])


@pytest.mark.parametrize("who", ["anonymous", "participant"])
@pytest.mark.parametrize("path", ["/", "/processes/"])
def test_the_lists_of_processes_take_the_same_queries_for_1_and_50(
    create_space, dummy_user, login, count_queries, who, path
):
    client = login(dummy_user if who == "participant" else None)
    add_spaces(create_space, 1)
    client.get(path)  # warm up what is read once per process (e.g. translations)
    with count_queries() as one:
        client.get(path)
    add_spaces(create_space, 49, offset=1)
    with count_queries() as fifty:
        response = client.get(path)
    assert "Process 49" in text_of(response)
    assert len(one) == len(fifty)


def process_with(create_space, create_component, count):
    start = FROZEN_AT - DAY
    space = create_space(
        f"Process with {count}",
        steps=[(start + number * DAY, start + (number + 1) * DAY) for number in range(count)],
    )
    for number in range(count):
        create_component(space, "tiny", name=f"Notes {number}")
    return space


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_the_process_page_takes_the_same_queries_for_1_and_50_steps_and_components(
    create_space, create_component, dummy_user, login, count_queries, who
):
    client = login(dummy_user if who == "participant" else None)
    small = process_with(create_space, create_component, 1)
    large = process_with(create_space, create_component, 50)
    client.get(f"/processes/{small.slug}/")
    with count_queries() as one:
        client.get(f"/processes/{small.slug}/")
    with count_queries() as fifty:
        response = client.get(f"/processes/{large.slug}/")
    assert "Notes 49" in text_of(response) and text_of(response).count('class="step-title"') == 50
    assert len(one) == len(fifty)
