"""Statistics: public figures per process and for the platform, participation charts for admins."""

import re
from datetime import timedelta

import pytest

from brique import signals
from brique.charts import Chart, render_chart
from brique.models import Comment, ProfileField, SpaceRole
from brique.testing import FROZEN_AT

# ``notes``, ``add_note`` and ``note_figures_installed`` come from tests/statistics_support.py.
pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config(note_figures_installed):
    """English pages; the docs example plugin counts as installed for ``with_plugins``."""
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def admin_user(create_user):
    """A platform administrator reading English."""
    return create_user("admin", admin=True, locale="en")


@pytest.fixture
def add_comment(db):
    def add(note, author, **columns):
        comment = Comment(
            resource_type="tiny.note",
            resource_id=note.id,
            component_id=note.component_id,
            space_id=note.component.space_id,
            author_id=author.id,
            body="D'accord",
            **columns,
        )
        db.session.add(comment)
        db.session.commit()
        return comment

    return add


def figures(html):
    """``{label: value}`` of the figure cards of a page, in page order."""
    found = re.findall(r'<strong class="figure">([^<]+)</strong>\s*([^<]+?)\s*</li>', html)
    return [(label, value) for value, label in found]


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- Public figures ---------------------------------------------------------------------------


def test_a_process_counts_participants_contributions_and_comments(
    notes, add_note, add_comment, client, create_user
):
    ana, bob, chloe = create_user("ana"), create_user("bob"), create_user("chloe")
    first = add_note(notes, author=ana)
    add_note(notes, author=bob)
    add_comment(first, bob)
    add_comment(first, chloe)
    add_comment(first, create_user(), deleted_at=FROZEN_AT)
    html = page(client, f"/processes/{notes.space.slug}/statistics")
    assert figures(html)[:3] == [("Participants", "3"), ("Contributions", "2"), ("Comments", "2")]
    assert 'id="figures-component-' in html and ("Contributions", "2") in figures(html)[3:]


def test_the_process_page_shows_its_main_figures_and_links_to_all(notes, add_note, client):
    add_note(notes)
    html = page(client, f"/processes/{notes.space.slug}/")
    assert figures(html) == [("Participants", "1"), ("Contributions", "1"), ("Comments", "0")]
    assert f'href="/processes/{notes.space.slug}/statistics"' in html


def test_a_deleted_contribution_no_longer_counts(notes, add_note, client, db):
    note = add_note(notes)
    db.session.delete(note)
    db.session.commit()
    signals.resource_deleted.send(
        "tiny.note", resource_id=note.id, component_id=notes.id, user=None
    )
    html = page(client, f"/processes/{notes.space.slug}/statistics")
    assert figures(html)[:2] == [("Participants", "0"), ("Contributions", "0")]


def test_a_signal_sent_twice_counts_once(notes, add_note, client):
    note = add_note(notes)
    signals.resource_created.send("tiny.note", resource=note, user=None)
    html = page(client, f"/processes/{notes.space.slug}/statistics")
    assert figures(html)[1] == ("Contributions", "1")


def test_statistics_rebuild_counts_content_that_came_without_signals(
    notes, client, app, db, create_user
):
    from brique.statistics.cli import statistics_group
    from brique_tiny.models import Note

    for _ in range(3):
        db.session.add(
            Note(
                component_id=notes.id,
                author_id=create_user().id,
                title="Import",
                created_at=FROZEN_AT,
            )
        )
    db.session.commit()
    assert figures(page(client, f"/processes/{notes.space.slug}/statistics"))[1] == (
        "Contributions",
        "0",
    )
    result = app.test_cli_runner().invoke(statistics_group, ["rebuild"])
    assert result.exit_code == 0 and "3 contributions" in result.output
    html = page(client, f"/processes/{notes.space.slug}/statistics")
    assert figures(html)[:2] == [("Participants", "3"), ("Contributions", "3")]


def test_unpublished_components_are_not_counted_in_public(
    notes, add_note, client, create_component
):
    draft = create_component(notes.space, "tiny", name="En préparation", published=False)
    add_note(draft)
    html = page(client, f"/processes/{notes.space.slug}/statistics")
    assert figures(html)[:2] == [("Participants", "0"), ("Contributions", "0")]
    assert "En préparation" not in html


def test_the_statistics_of_a_hidden_process_are_not_found(create_space, client):
    draft = create_space("Brouillon", published=False)
    assert client.get(f"/processes/{draft.slug}/statistics").status_code == 404


def test_the_platform_counts_public_processes_only(
    notes, add_note, client, create_space, create_component
):
    add_note(notes)
    private = create_space("Assemblée", is_private=True)
    add_note(create_component(private, "tiny"))
    create_space("Brouillon", published=False)
    html = page(client, "/statistics")
    assert figures(html) == [
        ("Processes", "1"),
        ("Participants", "1"),
        ("Contributions", "1"),
        ("Comments", "0"),
    ]
    assert f'href="/processes/{notes.space.slug}/statistics"' in html
    assert "Assemblée" not in html


def test_figures_are_written_the_readers_way(notes, client, db, create_user):
    from brique.models import Participation

    for number in range(1234):
        db.session.add(
            Participation(
                space_id=notes.space_id,
                component_id=notes.id,
                kind="resource",
                target_type="tiny.note",
                target_id=number,
                at=FROZEN_AT,
            )
        )
    db.session.commit()
    html = page(client, f"/processes/{notes.space.slug}/statistics")
    assert ("Contributions", "1,234") in figures(html)


@pytest.mark.with_plugins("tiny", "note_figures")
def test_components_add_their_figures_by_hook(notes, add_note, client):
    add_note(notes)
    add_note(notes)
    html = page(client, f"/processes/{notes.space.slug}/statistics")
    component_part = html.partition(f'id="figures-component-{notes.id}"')[2]
    assert ("Notes left", "2") in figures(component_part)
    assert ("Notes left", "2") in figures(page(client, "/statistics"))


# --- Keys: figures named for programs ---------------------------------------------------------


def test_the_cores_figures_have_keys_that_do_not_depend_on_the_language(notes, add_note, client):
    add_note(notes)
    statistics = f"/api/v1/spaces/{notes.space.slug}/statistics"
    english = client.get(statistics).get_json()
    french = client.get(statistics, headers={"Accept-Language": "fr"}).get_json()
    for body in (english, french):
        assert [figure["key"] for figure in body["figures"]] == [
            "participants",
            "contributions",
            "comments",
        ]
        assert [figure["key"] for figure in body["components"][0]["figures"]] == ["contributions"]
    assert english["figures"][2]["label"] == "Comments"
    assert french["figures"][2]["label"] == "Commentaires"


def test_the_statistics_pages_give_each_figure_its_key(notes, add_note, client):
    add_note(notes)
    html = page(client, "/statistics")
    keys = re.findall(r'<li class="card" data-key="([^"]+)">', html)
    assert keys == ["processes", "participants", "contributions", "comments"]


@pytest.mark.with_plugins("tiny", "note_figures")
def test_components_figures_keep_the_key_their_plugin_gives(notes, add_note, client):
    add_note(notes)
    body = client.get(f"/api/v1/spaces/{notes.space.slug}/statistics").get_json()
    (component,) = body["components"]
    assert {"key": "note_figures.notes", "label": "Notes left", "value": 1} in component["figures"]
    assert 'data-key="note_figures.notes"' in page(client, "/statistics")


def test_a_figure_without_a_key_gets_one_from_its_english_label(notes, app):
    from flask_babel import force_locale
    from flask_babel import lazy_gettext as _l

    from brique.statistics.figures import Statistic

    with app.test_request_context(), force_locale("fr"):
        assert Statistic(_l("Comments"), 3).key == "comments"
        assert Statistic(_l("Comments"), 3, component=notes).key == "tiny.comments"
        assert Statistic("Élus présents !", 2).key == "elus_presents"
        assert Statistic("Notes left", 1, key="tiny.notes").key == "tiny.notes"
        assert Statistic("…", 1).key == "figure"


def test_the_process_statistics_take_the_same_queries_for_1_and_50_contributions(
    notes, add_note, add_comment, client, count_queries, dummy_user
):
    add_comment(add_note(notes), dummy_user)
    statistics, process = (
        f"/processes/{notes.space.slug}/statistics",
        f"/processes/{notes.space.slug}/",
    )
    client.get(statistics)
    with count_queries() as one:
        client.get(statistics)
    with count_queries() as one_on_process_page:
        client.get(process)
    for _ in range(49):
        add_comment(add_note(notes), dummy_user)
    with count_queries() as fifty:
        client.get(statistics)
    with count_queries() as fifty_on_process_page:
        client.get(process)
    assert len(one) == len(fifty)
    assert len(one_on_process_page) == len(fifty_on_process_page)


# --- Administration ---------------------------------------------------------------------------


def test_admin_statistics_are_for_the_processs_administrators(
    notes, client, login, create_user, db, admin_user
):
    url = f"/admin/processes/{notes.space.slug}/statistics"
    assert client.get(url).status_code == 302  # log in first
    participant = create_user("participant")
    assert login(participant).get(url).status_code == 403
    manager = create_user("manager")
    db.session.add(SpaceRole(space=notes.space, user=manager, role="admin"))
    db.session.commit()
    assert login(manager).get(url).status_code == 200
    assert login(manager).get("/admin/statistics").status_code == 403
    assert login(admin_user).get("/admin/statistics").status_code == 200


def test_participation_over_time_is_counted_per_day(
    notes, add_note, client, login, admin_user, create_user
):
    ana = create_user("ana")
    first = add_note(notes, author=ana, at=FROZEN_AT - timedelta(days=2))
    add_note(notes, at=FROZEN_AT)
    add_note(notes, at=FROZEN_AT)
    html = page(login(admin_user), f"/admin/processes/{notes.space.slug}/statistics")
    table = html.partition('id="contributions-caption"')[2].partition("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    assert rows == [("Feb 27, 2026", "1"), ("Feb 28, 2026", "0"), ("Mar 1, 2026", "2")]
    assert first.id


def test_participation_can_be_counted_per_week(notes, add_note, client, login, admin_user):
    add_note(notes, at=FROZEN_AT - timedelta(days=20))
    add_note(notes, at=FROZEN_AT)
    url = f"/admin/processes/{notes.space.slug}/statistics?period=week"
    html = page(login(admin_user), url)
    table = html.partition('id="participants-caption"')[2].partition("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    assert rows[0] == ("Week of Feb 9, 2026", "1") and rows[-1] == ("Week of Feb 23, 2026", "1")
    assert len(rows) == 3


def test_participants_are_counted_by_profile_field(
    notes, add_note, add_comment, client, login, admin_user, create_user, db
):
    db.session.add(
        ProfileField(key="age_band", label="Age band", type="choice", choices=["16-25", "26-40"])
    )
    young = create_user("young", profile={"age_band": "16-25"})
    other = create_user("other", profile={"age_band": "16-25"})
    silent = create_user("silent", profile={})
    note = add_note(notes, author=young)
    add_comment(note, young)
    add_comment(note, other)
    add_comment(note, silent)
    create_user("absent", profile={"age_band": "26-40"})  # took no part
    html = page(login(admin_user), f"/admin/processes/{notes.space.slug}/statistics")
    table = html.partition('id="field-age_band-caption"')[2].partition("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    assert rows == [("16-25", "2"), ("26-40", "0"), ("Not given", "1")]


def test_the_platform_charts_count_every_process(
    notes, add_note, client, login, admin_user, create_space, create_component
):
    add_note(notes)
    add_note(create_component(create_space("Assemblée", is_private=True), "tiny"))
    html = page(login(admin_user), "/admin/statistics")
    table = html.partition('id="contributions-caption"')[2].partition("</table>")[0]
    assert re.findall(r"<td>(\d+)</td>", table) == ["2"]


def test_a_page_without_participation_says_so(notes, client, login, admin_user):
    html = page(login(admin_user), f"/admin/processes/{notes.space.slug}/statistics")
    assert "No participation yet." in html and "<svg" not in html


# --- Charts -----------------------------------------------------------------------------------


def test_a_chart_is_an_accessible_image_with_visible_labels(app):
    chart = Chart(
        "districts",
        "Participants by district",
        [("Centre", 12), ("Nord", 3)],
        "District",
        "Participants",
    )
    with app.test_request_context():
        svg = str(render_chart(chart))
    assert svg.startswith(
        '<svg class="chart" role="img" aria-labelledby="districts-title districts-desc"'
    )
    assert '<title id="districts-title">Participants by district</title>' in svg
    assert '<desc id="districts-desc">2 values, 15 in all; the highest is Centre with 12.' in svg
    assert ">Centre</text>" in svg and ">12</text>" in svg and ">Nord</text>" in svg
    assert "<script" not in svg and "style=" not in svg


def test_chart_labels_are_escaped(app):
    chart = Chart("x", "<b>Titre</b>", [("<script>alert(1)</script>", 1)], "Label", "Value")
    with app.test_request_context():
        svg = str(render_chart(chart))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;Titre&lt;/b&gt;" in svg


def test_time_charts_label_a_few_columns_and_show_every_value_in_the_table(
    notes, add_note, client, login, admin_user
):
    for day in range(30):
        add_note(notes, at=FROZEN_AT - timedelta(days=day))
    html = page(login(admin_user), f"/admin/processes/{notes.space.slug}/statistics?period=day")
    figure = html.partition('id="contributions-caption"')[2].partition("</figure>")[0]
    svg = figure.partition("<svg")[2].partition("</svg>")[0]
    assert svg.count("<rect") == 30 and 2 <= svg.count('text-anchor="middle"') <= 9
    assert len(re.findall(r'<th scope="row">', figure)) == 30
    assert "<details" in figure and "Data table" in figure


def test_parallel_signals_for_one_resource_count_it_once(notes, add_note, app, db, caplog):
    from concurrent.futures import ThreadPoolExecutor

    from brique.models import Participation
    from brique_tiny.models import Note

    note_id = add_note(notes).id
    db.session.execute(Participation.__table__.delete())
    db.session.commit()

    def announce(_):
        with app.app_context():
            note = db.session.get(Note, note_id)
            signals.resource_created.send("tiny.note", resource=note, user=None)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(announce, range(8)))
    assert db.session.query(Participation).count() == 1
    assert "recording" not in caplog.text  # no write failed
