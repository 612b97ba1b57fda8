"""Space administration: who gets in, the list of processes, creating, editing, publishing,
deleting a process."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select

from brique import signals
from brique.models import Category, Component, Scope, Space
from brique.testing import FROZEN_AT
from brique_tiny.models import Note
from tests.space_admin_support import ENGLISH, admin_url, give_role, received, text_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VALID = {"title": "Budget participatif 2027", "slug": "", "start_date": "", "end_date": ""}


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def space_admin(create_user, dummy_space):
    return give_role(create_user("officer"), dummy_space)


@pytest.fixture
def other_space(create_space):
    return create_space("Place du marché", slug="place-du-marche")


# Who gets in ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, dummy_space):
    for url in ("/admin/processes/", admin_url(dummy_space), admin_url(dummy_space, "steps/")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.location


def test_participants_are_refused(dummy_user, login, dummy_space):
    client = login(dummy_user)
    assert client.get("/admin/processes/").status_code == 403
    assert client.get(admin_url(dummy_space)).status_code == 403
    assert client.post(admin_url(dummy_space, "publish")).status_code == 403


def test_admin_of_another_space_is_refused(space_admin, login, other_space):
    client = login(space_admin)
    assert client.get(admin_url(other_space)).status_code == 403
    assert client.get(admin_url(other_space, "components/")).status_code == 403
    response = client.post(admin_url(other_space), data={**VALID, "title": "Hijacked"})
    assert response.status_code == 403
    assert other_space.title == "Place du marché"


def test_moderators_cannot_administer_the_space(create_user, dummy_space, login):
    moderator = give_role(create_user("moderator"), dummy_space, "moderator")
    client = login(moderator)
    assert client.get("/admin/processes/").status_code == 200
    assert client.get(admin_url(dummy_space)).status_code == 403


def test_unknown_space_is_not_found(admin_user, login):
    assert login(admin_user).get("/admin/processes/nope/").status_code == 404


def test_space_admin_lists_only_their_spaces(space_admin, login, dummy_space, other_space):
    page = text_of(login(space_admin).get("/admin/processes/"))
    assert dummy_space.title in page
    assert other_space.title not in page
    assert "Create a process" not in page


def test_platform_admin_lists_every_space_with_state_and_counts(
    admin_user, login, dummy_space, create_space, create_component
):
    create_space("Brouillon", published=False, start_date=date(2026, 4, 1))
    create_component(dummy_space, "tiny")
    page = text_of(login(admin_user).get("/admin/processes/"))
    assert "Budget participatif" in page and "Brouillon" in page
    assert "Draft" in page and "Published" in page
    assert "Create a process" in page
    assert ">3<" in page  # steps of the dummy space
    assert ">1<" in page  # its component


def test_list_of_spaces_makes_as_many_queries_for_1_and_50_spaces(
    admin_user, login, create_space, count_queries
):
    client = login(admin_user)
    create_space()
    with count_queries() as one:
        assert client.get("/admin/processes/").status_code == 200
    for _ in range(49):
        create_space()
    with count_queries() as fifty:
        assert client.get("/admin/processes/").status_code == 200
    assert len(one) == len(fifty)


def test_space_admin_list_queries_do_not_grow_with_spaces(
    space_admin, login, create_space, dummy_space, count_queries
):
    client = login(space_admin)
    with count_queries() as one:
        client.get("/admin/processes/")
    for _ in range(49):
        give_role(space_admin, create_space())
    with count_queries() as fifty:
        page = text_of(client.get("/admin/processes/"))
    assert page.count("/processes/space-") >= 50
    assert len(one) == len(fifty)


# Creating ---------------------------------------------------------------------------------


def test_platform_admin_creates_a_draft_space_with_a_slug_from_its_title(admin_user, login, db):
    with received(signals.space_created) as created:
        response = login(admin_user).post("/admin/processes/new", data=VALID)
    assert response.status_code == 302
    space = db.session.scalar(select(Space).where(Space.title == VALID["title"]))
    assert space.slug == "budget-participatif-2027"
    assert not space.is_published
    assert created == [(space.id, {})]
    assert response.location.endswith("/admin/processes/budget-participatif-2027/steps/")


def test_space_admins_cannot_create_spaces(space_admin, login, db):
    client = login(space_admin)
    assert client.get("/admin/processes/new").status_code == 403
    assert client.post("/admin/processes/new", data=VALID).status_code == 403
    assert db.session.scalar(select(Space).where(Space.title == VALID["title"])) is None


def test_missing_title_is_shown_next_to_the_field_and_nothing_is_saved(admin_user, login, db):
    response = login(admin_user).post("/admin/processes/new", data={**VALID, "title": ""})
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="field-title-error"' in page
    assert 'href="#field-title"' in page
    assert db.session.scalars(select(Space)).all() == []


def test_taken_slug_names_the_space_using_it(admin_user, login, dummy_space, db):
    data = {**VALID, "slug": dummy_space.slug}
    response = login(admin_user).post("/admin/processes/new", data=data)
    assert response.status_code == 422
    assert "The process “Budget participatif” already uses this address" in text_of(response)
    assert len(db.session.scalars(select(Space)).all()) == 1


def test_slug_must_be_lowercase_words_and_dashes(admin_user, login):
    response = login(admin_user).post("/admin/processes/new", data={**VALID, "slug": "Mon BP!"})
    assert response.status_code == 422
    assert "Use lowercase letters, digits and single dashes" in text_of(response)


def test_generated_slug_avoids_taken_ones(admin_user, login, create_space, db):
    create_space("Budget participatif 2027", slug="budget-participatif-2027")
    login(admin_user).post("/admin/processes/new", data=VALID)
    slugs = set(db.session.scalars(select(Space.slug)))
    assert slugs == {"budget-participatif-2027", "budget-participatif-2027-2"}


def test_end_date_before_start_date_is_refused(admin_user, login, db):
    data = {**VALID, "start_date": "2026-06-01", "end_date": "2026-05-01"}
    response = login(admin_user).post("/admin/processes/new", data=data)
    assert response.status_code == 422
    assert 'id="field-end_date-error"' in text_of(response)
    assert "The end cannot be before the start." in text_of(response)
    assert db.session.scalars(select(Space)).all() == []


# Editing ----------------------------------------------------------------------------------


def full_form(**changes):
    data = {
        "title": "Budget participatif",
        "subtitle": "500 000 €",
        "slug": "bp-2026",
        "short_description": "Vos idées",
        "description": "**Important**",
        "objectives": "Investir",
        "participants": "Habitants de 16 ans et plus",
        "decision_making": "Vote",
        "organiser": "Ville",
        "reference": "BP-2026",
        "start_date": "2026-03-01",
        "end_date": "2026-09-30",
        "scope_id": "",
        "is_private": "1",
        "promoted": "1",
    }
    return {**data, **changes}


def test_space_admin_edits_every_field(space_admin, login, dummy_space, db):
    city = Scope(name="Beaulieu", code="45400")
    db.session.add(city)
    db.session.commit()
    data = full_form(scope_id=str(city.id))
    response = login(space_admin).post(admin_url(dummy_space), data=data)
    assert response.status_code == 302
    assert response.location.endswith("/admin/processes/bp-2026/")
    db.session.refresh(dummy_space)
    assert dummy_space.slug == "bp-2026"
    assert dummy_space.subtitle == "500 000 €"
    assert dummy_space.participants == "Habitants de 16 ans et plus"
    assert dummy_space.scope_id == city.id
    assert dummy_space.start_date == date(2026, 3, 1)
    assert dummy_space.is_private and dummy_space.promoted


def test_edit_form_shows_current_values_and_scope_tree(admin_user, login, dummy_space, db):
    city = Scope(name="Beaulieu")
    db.session.add_all([city, Scope(name="Centre", parent=city)])
    db.session.commit()
    page = text_of(login(admin_user).get(admin_url(dummy_space)))
    assert 'value="Budget participatif"' in page
    assert ">Beaulieu</option>" in page
    assert ">\u2003Centre</option>" in page


def test_unknown_scope_is_refused(admin_user, login, dummy_space):
    response = login(admin_user).post(admin_url(dummy_space), data=full_form(scope_id="999"))
    assert response.status_code == 422
    assert 'id="field-scope_id-error"' in text_of(response)


def test_invalid_edit_changes_nothing(admin_user, login, dummy_space, db):
    data = full_form(subtitle="x" * 201)
    assert login(admin_user).post(admin_url(dummy_space), data=data).status_code == 422
    db.session.refresh(dummy_space)
    assert dummy_space.slug == "space-1" and dummy_space.subtitle == ""


def test_hero_image_is_stored_with_a_random_name_and_served(admin_user, login, dummy_space, app):
    client = login(admin_user)
    data = {**full_form(), "hero_image": (_file(PNG), "my photo.png")}
    response = client.post(admin_url(dummy_space), data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    name = _hero(dummy_space)
    assert name.startswith("spaces/") and name.endswith(".png") and "photo" not in name
    assert (Path(app.config["UPLOAD_PATH"]) / name).read_bytes() == PNG
    assert client.get(f"/uploads/{name}").status_code == 200


def test_replacing_the_hero_image_deletes_the_old_file(admin_user, login, dummy_space, app):
    client = login(admin_user)
    data = {**full_form(), "hero_image": (_file(PNG), "a.png")}
    client.post(admin_url(dummy_space), data=data, content_type="multipart/form-data")
    first = _hero(dummy_space)
    data = {**full_form(), "hero_image": (_file(b"\xff\xd8\xff" + b"1" * 20), "b.jpg")}
    client.post(admin_url(dummy_space), data=data, content_type="multipart/form-data")
    assert _hero(dummy_space).endswith(".jpg")
    assert not (Path(app.config["UPLOAD_PATH"]) / first).exists()
    client.post(admin_url(dummy_space), data={**full_form(), "remove_hero_image": "1"})
    assert _hero(dummy_space) is None


def test_hero_image_must_be_a_png_jpeg_or_webp(admin_user, login, dummy_space):
    data = {**full_form(), "hero_image": (_file(b"GIF89a" + b"0" * 20), "a.png")}
    response = login(admin_user).post(
        admin_url(dummy_space), data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Choose a PNG, JPEG or WebP image." in text_of(response)
    assert _hero(dummy_space) is None


@pytest.mark.parametrize("app_config", [{**ENGLISH, "UPLOAD_MAX_BYTES": 1000}])
def test_hero_image_over_the_size_limit_is_refused(admin_user, login, dummy_space):
    data = {**full_form(), "hero_image": (_file(PNG + b"0" * 1000), "a.png")}
    response = login(admin_user).post(
        admin_url(dummy_space), data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "The image is too large" in text_of(response)


def _file(content):
    return BytesIO(content)


def _hero(space):
    from brique.db import db

    db.session.refresh(space)
    return space.hero_image


# Publishing and deleting ------------------------------------------------------------------


def test_publishing_and_unpublishing_send_signals(space_admin, login, create_space, db):
    space = create_space(published=False)
    give_role(space_admin, space)
    client = login(space_admin)
    with received(signals.space_published) as published:
        client.post(admin_url(space, "publish"))
    db.session.refresh(space)
    assert space.is_published and published == [(space.id, {})]
    with received(signals.space_unpublished) as unpublished:
        client.post(admin_url(space, "unpublish"))
    db.session.refresh(space)
    assert not space.is_published and unpublished == [(space.id, {})]


def test_publish_never_redirects_to_another_site(admin_user, login, dummy_space):
    response = login(admin_user).post(
        admin_url(dummy_space, "publish"), data={"next": "https://evil.example/"}
    )
    assert response.location.endswith(admin_url(dummy_space))


def test_delete_asks_for_confirmation_then_deletes(admin_user, login, dummy_space, db):
    client = login(admin_user)
    page = text_of(client.get(admin_url(dummy_space, "delete")))
    assert "3 steps" in page
    assert db.session.get(Space, dummy_space.id) is not None
    response = client.post(admin_url(dummy_space, "delete"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Space)).all() == []


def test_space_admins_cannot_delete_their_space(space_admin, login, dummy_space, db):
    client = login(space_admin)
    assert client.get(admin_url(dummy_space, "delete")).status_code == 403
    assert client.post(admin_url(dummy_space, "delete")).status_code == 403
    assert db.session.get(Space, dummy_space.id) is not None


def test_space_pages_have_breadcrumbs_and_tabs(admin_user, login, dummy_space):
    page = text_of(login(admin_user).get(admin_url(dummy_space, "steps/")))
    assert 'aria-label="Breadcrumb"' in page
    assert '<span aria-current="page">Steps</span>' in page
    for tab in ("Process info", "Steps", "Components", "Categories", "Roles"):
        assert f">{tab}</a>" in page
    assert 'href="/admin/processes/space-1/steps/" aria-current="page"' in page


def test_deleting_a_space_deletes_its_components_content_and_categories(
    admin_user, login, dummy_space, dummy_user, create_component, db
):
    tiny = create_component(dummy_space, "tiny")
    parent = Category(space_id=dummy_space.id, name="Mobilité")
    db.session.add_all(
        [
            parent,
            Category(space_id=dummy_space.id, name="Vélo", parent=parent),
            Note(component_id=tiny.id, author_id=dummy_user.id, title="x", created_at=FROZEN_AT),
        ]
    )
    db.session.commit()
    give_role(dummy_user, dummy_space, "moderator")
    with received(signals.component_removed) as removed:
        login(admin_user).post(admin_url(dummy_space, "delete"))
    assert len(removed) == 1
    for model in (Space, Component, Category, Note):
        assert db.session.scalars(select(model)).all() == []


@pytest.mark.parametrize("app_config", [{**ENGLISH, "WTF_CSRF_ENABLED": True}])
def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(
    admin_user, login, dummy_space, db
):
    client = login(admin_user)
    assert 'name="csrf_token"' in text_of(client.get(admin_url(dummy_space, "steps/")))
    assert client.post(admin_url(dummy_space, "unpublish")).status_code == 400
    db.session.refresh(dummy_space)
    assert dummy_space.is_published
