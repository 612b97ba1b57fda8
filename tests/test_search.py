"""Search: one box across processes and searchable resources, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brique import signals
from brique.models import SearchDocument, SpaceRole
from brique.search.cli import search_group
from brique.testing import FROZEN_AT

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def notes(dummy_space, create_component):
    return create_component(dummy_space, "tiny", name="Idées")


@pytest.fixture
def add_note(db, create_user):
    """``add_note(component, title)``: a note by a new participant, announced by signal."""
    from brique_tiny.models import Note

    def add(component, title, *, at=FROZEN_AT):
        note = Note(
            component_id=component.id, author_id=create_user().id, title=title, created_at=at
        )
        db.session.add(note)
        db.session.commit()
        signals.resource_created.send("tiny.note", resource=note, user=None)
        return note

    return add


def titles(client, **args):
    page = client.get("/search", query_string=args)
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    found = html.partition('class="search-result-list"')[2].partition("</ol>")[0]
    return [part.partition("</a>")[0] for part in found.split('<h3><a href="')[1:]]


def plain(items):
    return [item.partition(">")[2].replace("<mark>", "").replace("</mark>", "") for item in items]


# --- Language ---------------------------------------------------------------------------------


def test_a_word_typed_without_accents_finds_the_accented_one(notes, add_note, client):
    add_note(notes, "Rénover l'Église Saint-Éloi")
    add_note(notes, "Plus de bancs")
    assert plain(titles(client, q="eglise")) == ["Rénover l&#39;Église Saint-Éloi"]
    assert plain(titles(client, q="ÉGLISE saint eloi")) == ["Rénover l&#39;Église Saint-Éloi"]


def test_plurals_and_other_forms_of_a_word_are_found(notes, add_note, client):
    add_note(notes, "Planter des arbres")
    add_note(notes, "Budget participatif des écoles")
    assert plain(titles(client, q="arbre")) == ["Planter des arbres"]
    assert plain(titles(client, q="participation école")) == ["Budget participatif des écoles"]


def test_english_forms_are_found_too(notes, add_note, client):
    add_note(notes, "Walking to school safely")
    assert plain(titles(client, q="walked schools")) == ["Walking to school safely"]


def test_the_beginning_of_a_word_is_enough(notes, add_note, client):
    add_note(notes, "Réparer la bibliothèque")
    assert plain(titles(client, q="biblio")) == ["Réparer la bibliothèque"]


def test_every_word_must_match(notes, add_note, client):
    add_note(notes, "Pistes cyclables rue Jaurès")
    add_note(notes, "Pistes de ski")
    assert plain(titles(client, q="pistes cyclables")) == ["Pistes cyclables rue Jaurès"]


def test_processes_are_found_by_their_description(create_space, client):
    create_space("Budget 2026", description="Des **jardins** partagés dans chaque quartier.")
    page = client.get("/search?q=jardin").get_data(as_text=True)
    assert "Budget 2026" in page
    assert "Des <mark>jardins</mark> partagés" in page


def test_a_title_match_ranks_before_a_body_match(create_space, client):
    create_space("Écoles ouvertes", description="Les cours le samedi.")
    create_space("Cours de danse", description="Dans les écoles.")
    assert plain(titles(client, q="ecoles")) == ["Écoles ouvertes", "Cours de danse"]


def test_highlighted_text_is_escaped(notes, add_note, client):
    add_note(notes, "<script>alert('arbre')</script>")
    page = client.get("/search?q=arbre").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;<mark>arbre</mark>&#39;)&lt;/script&gt;" in page


# --- Filters ----------------------------------------------------------------------------------


def test_results_are_filtered_by_process(create_space, create_component, add_note, client):
    first, second = create_space("Quartier Nord"), create_space("Quartier Sud")
    add_note(create_component(first, "tiny"), "Fontaine à réparer")
    add_note(create_component(second, "tiny"), "Fontaine à déplacer")
    assert plain(titles(client, q="fontaine", space=second.slug)) == ["Fontaine à déplacer"]


def test_results_are_filtered_by_kind_of_content(create_space, create_component, add_note, client):
    space = create_space("Fontaines de la ville")
    add_note(create_component(space, "tiny"), "Fontaine à réparer")
    assert plain(titles(client, q="fontaine", type="tiny.note")) == ["Fontaine à réparer"]
    assert plain(titles(client, q="fontaine", type="space")) == ["Fontaines de la ville"]


def test_counts_by_kind_of_content_link_to_the_filtered_results(
    create_space, create_component, add_note, client
):
    space = create_space("Fontaines de la ville")
    add_note(create_component(space, "tiny"), "Fontaine à réparer")
    page = client.get("/search?q=fontaine").get_data(as_text=True)
    assert "Note (1)" in page and "Process (1)" in page
    assert "/search?q=fontaine&amp;type=tiny.note" in page


def test_results_are_filtered_by_date(notes, add_note, client):
    add_note(notes, "Banc ancien", at=FROZEN_AT - timedelta(days=40))
    add_note(notes, "Banc récent", at=FROZEN_AT)
    since = (FROZEN_AT - timedelta(days=10)).date().isoformat()
    until = (FROZEN_AT - timedelta(days=30)).date().isoformat()
    assert plain(titles(client, q="banc", **{"from": since})) == ["Banc récent"]
    assert plain(titles(client, q="banc", to=until)) == ["Banc ancien"]


def test_the_newest_first_order(notes, add_note, client):
    add_note(notes, "Banc ancien", at=FROZEN_AT - timedelta(days=40))
    add_note(notes, "Banc récent", at=FROZEN_AT)
    assert plain(titles(client, q="banc", sort="newest")) == ["Banc récent", "Banc ancien"]


def test_filters_alone_list_the_newest_content(notes, add_note, client):
    add_note(notes, "Banc ancien", at=FROZEN_AT - timedelta(days=40))
    add_note(notes, "Banc récent", at=FROZEN_AT)
    assert plain(titles(client, type="tiny.note")) == ["Banc récent", "Banc ancien"]


def test_an_empty_search_shows_the_form_only(notes, add_note, client):
    add_note(notes, "Banc")
    page = client.get("/search").get_data(as_text=True)
    assert 'role="search"' in page and "search-result-list" not in page


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"from": "2026-13-45"}, "from"),
        ({"from": "2026-03-10", "to": "2026-03-01"}, "to"),
        ({"type": "unknown.kind"}, "type"),
        ({"space": "no-such-process"}, "space"),
    ],
)
def test_a_wrong_filter_is_explained_next_to_its_field(dummy_space, client, args, field):
    page = client.get("/search", query_string={"q": "budget", **args})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert f'id="field-{field}-error"' in html and 'aria-invalid="true"' in html


# --- Visibility -------------------------------------------------------------------------------


@pytest.fixture
def hidden_places(create_space, create_component, add_note):
    draft = create_space("Brouillon secret", published=False)
    private = create_space("Assemblée secrète", is_private=True)
    public = create_space("Place publique")
    add_note(create_component(draft, "tiny"), "secret du brouillon")
    add_note(create_component(private, "tiny"), "secret des membres")
    add_note(create_component(public, "tiny", published=False), "secret non publié")
    add_note(create_component(public, "tiny"), "secret public")
    return private


def test_drafts_private_processes_and_unpublished_components_never_leak(
    hidden_places, client, login, dummy_user
):
    for person in (None, dummy_user):
        assert plain(titles(login(person), q="secret")) == ["secret public"]


def test_members_find_what_their_private_process_holds(
    hidden_places, client, login, db, dummy_user
):
    db.session.add(SpaceRole(space=hidden_places, user=dummy_user, role="member"))
    db.session.commit()
    found = plain(titles(login(dummy_user), q="secret"))
    assert sorted(found) == ["Assemblée secrète", "secret des membres", "secret public"]


def test_unpublishing_a_process_hides_its_content_at_once(notes, add_note, client, db):
    add_note(notes, "Banc")
    notes.space.published_at = None
    db.session.commit()
    assert titles(client, q="banc") == []


def test_a_resource_that_is_no_longer_public_leaves_the_index(notes, add_note, db, monkeypatch):
    from brique.resources import resource_type

    note = add_note(notes, "Brouillon de note")
    monkeypatch.setattr(type(resource_type("tiny.note")), "is_public", lambda self, resource: False)
    signals.resource_updated.send("tiny.note", resource=note, user=None, changes={})
    assert indexed(db, "tiny.note") == []


# --- Keeping the index current ----------------------------------------------------------------


def indexed(db, kind):
    query = select(SearchDocument.title).where(SearchDocument.resource_type == kind)
    return sorted(db.session.scalars(query))


def test_a_note_left_through_the_site_is_found(notes, dummy_user, login, clock):
    notes.step_settings = {str(notes.space.steps[1].id): {"notes_open": True}}
    client = login(dummy_user)
    client.post(f"/processes/{notes.space.slug}/c/{notes.id}/notes", data={"title": "Un kiosque"})
    assert plain(titles(client, q="kiosque")) == ["Un kiosque"]


def test_an_updated_resource_is_found_by_its_new_words(notes, add_note, client, db):
    note = add_note(notes, "Un banc")
    note.title = "Une fontaine"
    db.session.commit()
    signals.resource_updated.send("tiny.note", resource=note, user=None, changes={})
    assert titles(client, q="banc") == []
    assert plain(titles(client, q="fontaine")) == ["Une fontaine"]


def test_a_deleted_resource_leaves_the_index(notes, add_note, client, db):
    note = add_note(notes, "Un banc")
    db.session.delete(note)
    db.session.commit()
    signals.resource_deleted.send(
        "tiny.note", resource_id=note.id, component_id=notes.id, user=None
    )
    assert indexed(db, "tiny.note") == [] and titles(client, q="banc") == []


def test_an_edited_process_is_found_by_its_new_title(dummy_space, client, db):
    dummy_space.title = "Mobilités douces"
    db.session.commit()
    assert plain(titles(client, q="mobilite")) == ["Mobilités douces"]
    assert titles(client, q="participatif") == []


def test_removing_a_component_or_a_process_removes_their_documents(notes, add_note, client, db):
    add_note(notes, "Un banc")
    space = notes.space
    db.session.delete(notes)
    db.session.commit()
    assert indexed(db, "tiny.note") == [] and titles(client, q="banc") == []
    db.session.delete(space)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 0
    assert titles(client, q="budget") == []


def test_reindex_rebuilds_the_index_from_the_content(notes, add_note, app, db, client):
    add_note(notes, "Un banc")
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    assert titles(client, q="banc") == []
    result = app.test_cli_runner().invoke(search_group, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output
    assert plain(titles(client, q="banc")) == ["Un banc"]
    assert plain(titles(client, q="budget")) == ["Budget participatif"]


def test_a_failed_index_write_does_not_fail_the_request(notes, add_note, client, monkeypatch):
    from brique.search import indexing

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(indexing, "upsert", broken)
    add_note(notes, "Un banc")  # the signal's receiver fails and logs; nothing is raised


# --- The page ---------------------------------------------------------------------------------


def test_every_page_has_a_search_box(client):
    page = client.get("/").get_data(as_text=True)
    assert 'role="search"' in page and 'name="q"' in page and "Search the site" in page


def test_results_are_paginated(notes, add_note, client):
    for number in range(25):
        add_note(notes, f"Banc numéro {number}")
    first = client.get("/search?q=banc").get_data(as_text=True)
    assert "25 results" in first and first.count("<h3><a href=") == 20
    assert 'href="/search?page=2&amp;q=banc"' in first or "page=2" in first
    second = client.get("/search?q=banc&page=2").get_data(as_text=True)
    assert second.count("<h3><a href=") == 5


def test_results_link_to_the_resource_and_name_its_process(notes, add_note, client):
    note = add_note(notes, "Un banc")
    page = client.get("/search?q=banc").get_data(as_text=True)
    assert f'href="/processes/{notes.space.slug}/c/{notes.id}/notes/{note.id}"' in page
    assert "Note · Idées · Budget participatif" in page


def test_a_page_of_results_takes_the_same_queries_for_1_and_20_results(
    notes, add_note, client, count_queries
):
    add_note(notes, "Banc 0")
    client.get("/search?q=banc")
    with count_queries() as one:
        client.get("/search?q=banc")
    for number in range(1, 20):
        add_note(notes, f"Banc {number}")
    with count_queries() as twenty:
        page = client.get("/search?q=banc").get_data(as_text=True)
    assert page.count("<h3><a href=") == 20
    assert len(one) == len(twenty)


def test_parallel_updates_of_one_resource_keep_one_document(notes, add_note, app, db, caplog):
    from concurrent.futures import ThreadPoolExecutor

    from brique_tiny.models import Note

    note_id = add_note(notes, "Un banc").id

    def update(number):
        with app.app_context():
            note = db.session.get(Note, note_id)
            note.title = f"Un banc {number}"
            db.session.commit()
            signals.resource_updated.send("tiny.note", resource=note, user=None, changes={})

    db.session.execute(SearchDocument.__table__.delete())  # the first writes race to insert
    db.session.commit()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(update, range(8)))
    assert len(indexed(db, "tiny.note")) == 1
    assert "indexing" not in caplog.text  # no write failed


def test_content_hidden_by_moderators_is_not_found(notes, add_note, client, db):
    from brique.models import Moderation

    hidden = add_note(notes, "Banc masqué")
    add_note(notes, "Banc visible")
    db.session.add(
        Moderation(
            target_type="tiny.note",
            target_id=hidden.id,
            space_id=notes.space_id,
            hidden_at=FROZEN_AT,
        )
    )
    db.session.commit()
    assert plain(titles(client, q="banc")) == ["Banc visible"]


def test_autogenerate_leaves_the_full_text_objects_alone(db):
    """The FTS5 table or tsvector column come from DDL, not models: migrations must skip them."""
    import warnings

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from brique.search.ddl import outside_models

    def include(item, name, type_, reflected, compare_to):
        return not outside_models(name, type_)

    with db.engine.connect() as connection, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        strict = compare_metadata(MigrationContext.configure(connection), db.metadata)
        options = {"include_object": include}
        lenient = compare_metadata(
            MigrationContext.configure(connection, opts=options), db.metadata
        )
    assert strict and lenient == []
