"""The read API under /api/v1: what anyone may see on the site, as paginated JSON."""

from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from brique.testing import FROZEN_AT

pytestmark = pytest.mark.with_plugins("tiny")
DAY = timedelta(days=1)


def add_notes(db, component, count, first=0):
    from brique_tiny.models import Note

    for number in range(first, first + count):
        author = None
        db.session.add(
            Note(
                component_id=component.id,
                author_id=author or _author(db, number).id,
                title=f"Note {number}",
                created_at=FROZEN_AT,
            )
        )
    db.session.commit()


def _author(db, number):
    from brique.models import User

    user = User(email=f"author{number}@example.org", nickname=f"author{number}")
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def notes(dummy_space, create_component):
    return create_component(dummy_space, "tiny", name="Idées")


# --- spaces ---------------------------------------------------------------------------------


def test_spaces_lists_public_published_processes_with_their_phase(create_space, client):
    space = create_space(
        "En cours", start_date=FROZEN_AT.date() - DAY, end_date=FROZEN_AT.date() + DAY
    )
    create_space("Brouillon", published=False)
    create_space("Réservé", is_private=True)
    body = client.get("/api/v1/spaces").get_json()
    assert [space["title"] for space in body["data"]] == ["En cours"]
    assert body["data"][0]["phase"] == "in_progress"
    assert body["data"][0]["url"].endswith(f"/processes/{space.slug}/")
    assert body["meta"] == {"page": 1, "per_page": 20, "total": 1, "pages": 1}


def test_spaces_are_paginated_with_links(create_space, client):
    for number in range(5):
        create_space(f"Démarche {number}")
    body = client.get("/api/v1/spaces?per_page=2&page=2").get_json()
    assert len(body["data"]) == 2
    assert body["meta"]["pages"] == 3
    assert "page=3" in body["links"]["next"] and "page=1" in body["links"]["prev"]


def test_spaces_filter_by_phase_and_promotion(create_space, client):
    today = FROZEN_AT.date()
    create_space("Passée", start_date=today - 9 * DAY, end_date=today - DAY)
    create_space("À venir", start_date=today + DAY, promoted=True)
    assert titles(client.get("/api/v1/spaces?phase=past")) == ["Passée"]
    assert titles(client.get("/api/v1/spaces?promoted=true")) == ["À venir"]


def titles(response):
    return [item["title"] for item in response.get_json()["data"]]


@pytest.mark.parametrize(
    ("query", "field"), [("per_page=500", "per_page"), ("page=0", "page"), ("phase=soon", "phase")]
)
def test_bad_arguments_get_a_400_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/spaces?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400 and field in body["fields"]


def test_errors_are_in_the_clients_language(client):
    response = client.get("/api/v1/spaces?page=0", headers={"Accept-Language": "fr"})
    assert response.get_json()["error"] == "Certains paramètres de la requête ne sont pas valides."


def test_a_space_shows_its_steps_and_visible_components(
    dummy_space, notes, create_component, client
):
    create_component(dummy_space, "tiny", name="Caché", published=False)
    body = client.get(f"/api/v1/spaces/{dummy_space.slug}").get_json()
    assert [step["active"] for step in body["steps"]] == [False, True, False]
    assert [component["name"] for component in body["components"]] == ["Idées"]
    assert body["components"][0]["resource_types"] == ["tiny.note"]
    steps = client.get(f"/api/v1/spaces/{dummy_space.slug}/steps").get_json()["data"]
    assert len(steps) == 3


@pytest.mark.parametrize("columns", [{"published": False}, {"is_private": True}])
def test_hidden_processes_are_not_found(create_space, client, columns):
    space = create_space("Caché", **columns)
    response = client.get(f"/api/v1/spaces/{space.slug}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not found.", "code": "not_found", "status": 404}


def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["status"] == 404


# --- resources ------------------------------------------------------------------------------


def test_resources_of_a_component_are_listed_with_their_fingerprint(notes, db, client):
    add_notes(db, notes, 3)
    body = client.get(f"/api/v1/components/{notes.id}/resources?per_page=2").get_json()
    first = body["data"][0]
    assert (first["type"], first["title"]) == ("tiny.note", "Note 0")
    assert len(first["fingerprint"]) == 64
    assert first["url"].endswith(f"/notes/{first['id']}")
    assert body["meta"]["total"] == 3 and body["links"]["next"]


def test_resources_give_their_dates_in_iso_8601(notes, db, client):
    add_notes(db, notes, 1)
    first = client.get(f"/api/v1/components/{notes.id}/resources").get_json()["data"][0]
    assert first["created_at"] == FROZEN_AT.isoformat()


def test_resources_never_show_who_wrote_them(notes, db, client):
    add_notes(db, notes, 1)
    text = client.get(f"/api/v1/components/{notes.id}/resources").get_data(as_text=True)
    assert "author" not in text


def test_an_unknown_resource_type_is_refused(notes, client):
    response = client.get(f"/api/v1/components/{notes.id}/resources?type=proposals.proposal")
    assert response.status_code == 400 and "type" in response.get_json()["fields"]


def test_an_unpublished_component_is_not_found(dummy_space, create_component, client):
    hidden = create_component(dummy_space, "tiny", published=False)
    assert client.get(f"/api/v1/components/{hidden.id}/resources").status_code == 404
    assert client.get(f"/api/v1/components/{hidden.id}").status_code == 404


# --- the document and the web -------------------------------------------------------------


def test_the_openapi_document_is_valid_and_describes_every_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    routes = {
        (api_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    described = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert routes == described


def api_path(rule):
    return rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}")


def test_reads_may_come_from_any_site(dummy_space, client):
    response = client.get("/api/v1/spaces", headers={"Origin": "https://example.net"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_writes_are_not_accepted(client):
    assert client.post("/api/v1/spaces").status_code == 405


def test_lists_take_the_same_queries_for_1_and_50_items(
    create_space, notes, db, client, count_queries
):
    add_notes(db, notes, 1)
    client.get(f"/api/v1/components/{notes.id}/resources")
    with count_queries() as one:
        client.get(f"/api/v1/components/{notes.id}/resources?per_page=100")
        client.get("/api/v1/spaces?per_page=100")
    add_notes(db, notes, 49, first=1)
    for number in range(49):
        create_space(f"Démarche {number}")
    with count_queries() as fifty:
        resources = client.get(f"/api/v1/components/{notes.id}/resources?per_page=100")
        spaces = client.get("/api/v1/spaces?per_page=100")
    assert len(resources.get_json()["data"]) == 50 and len(spaces.get_json()["data"]) == 50
    assert len(one) == len(fifty)
