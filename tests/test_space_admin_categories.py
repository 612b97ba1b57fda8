"""Space administration: the categories (themes) of a space, nested one level."""

import pytest
from sqlalchemy import select

from brique.models import Category
from tests.space_admin_support import ENGLISH, admin_url, give_role, text_of


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def as_officer(login, create_user, dummy_space):
    return login(give_role(create_user("officer"), dummy_space))


@pytest.fixture
def mobility(db, dummy_space):
    category = Category(space_id=dummy_space.id, name="Mobilité")
    db.session.add(category)
    db.session.commit()
    return category


def categories(db, space):
    rows = db.session.scalars(select(Category).where(Category.space_id == space.id))
    return sorted((row.name, row.parent.name if row.parent else None) for row in rows)


def test_creating_a_main_category_and_a_subcategory(as_officer, dummy_space, mobility, db):
    url = admin_url(dummy_space, "categories/new")
    assert f'value="{mobility.id}" selected' in text_of(
        as_officer.get(f"{url}?parent={mobility.id}")
    )
    as_officer.post(url, data={"name": "Vélo", "parent_id": str(mobility.id)})
    as_officer.post(url, data={"name": "Nature", "parent_id": ""})
    assert categories(db, dummy_space) == [
        ("Mobilité", None),
        ("Nature", None),
        ("Vélo", "Mobilité"),
    ]
    page = text_of(as_officer.get(admin_url(dummy_space, "categories/")))
    page = page[page.index("<h1>") :]
    assert page.index("Mobilité") < page.index("Vélo") < page.index("Nature")


def test_name_is_required(as_officer, dummy_space, db):
    response = as_officer.post(admin_url(dummy_space, "categories/new"), data={"name": ""})
    assert response.status_code == 422
    assert 'id="field-name-error"' in text_of(response)
    assert categories(db, dummy_space) == []


def test_parent_must_be_a_main_category_of_the_same_space(
    as_officer, dummy_space, create_space, db
):
    foreign = Category(space_id=create_space().id, name="Ailleurs")
    db.session.add(foreign)
    db.session.commit()
    response = as_officer.post(
        admin_url(dummy_space, "categories/new"), data={"name": "X", "parent_id": str(foreign.id)}
    )
    assert response.status_code == 422
    assert categories(db, dummy_space) == []


def test_category_with_subcategories_cannot_get_a_parent(as_officer, dummy_space, mobility, db):
    nature = Category(space_id=dummy_space.id, name="Nature")
    db.session.add_all([nature, Category(space_id=dummy_space.id, name="Vélo", parent=mobility)])
    db.session.commit()
    response = as_officer.post(
        admin_url(dummy_space, f"categories/{mobility.id}/"),
        data={"name": "Mobilité", "parent_id": str(nature.id)},
    )
    assert response.status_code == 422
    assert "This category has subcategories" in text_of(response)


def test_editing_a_category(as_officer, dummy_space, mobility, db):
    as_officer.post(
        admin_url(dummy_space, f"categories/{mobility.id}/"),
        data={"name": "Déplacements", "description": "Bus, vélo", "parent_id": ""},
    )
    db.session.refresh(mobility)
    assert mobility.name == "Déplacements" and mobility.description == "Bus, vélo"


def test_deleting_a_main_category_keeps_its_subcategories(as_officer, dummy_space, mobility, db):
    db.session.add(Category(space_id=dummy_space.id, name="Vélo", parent=mobility))
    db.session.commit()
    url = admin_url(dummy_space, f"categories/{mobility.id}/delete")
    assert "Its subcategories become main categories." in text_of(as_officer.get(url))
    as_officer.post(url)
    assert categories(db, dummy_space) == [("Vélo", None)]


def test_category_of_another_space_is_not_found(as_officer, dummy_space, create_space, db):
    foreign = Category(space_id=create_space().id, name="Ailleurs")
    db.session.add(foreign)
    db.session.commit()
    assert as_officer.get(admin_url(dummy_space, f"categories/{foreign.id}/")).status_code == 404


def test_categories_page_queries_do_not_grow_with_categories(
    as_officer, dummy_space, mobility, db, count_queries
):
    url = admin_url(dummy_space, "categories/")
    with count_queries() as one:
        assert as_officer.get(url).status_code == 200
    for number in range(49):
        parent = mobility if number % 2 else None
        db.session.add(Category(space_id=dummy_space.id, name=f"C{number}", parent=parent))
    db.session.commit()
    with count_queries() as fifty:
        assert as_officer.get(url).status_code == 200
    assert len(one) == len(fifty)
