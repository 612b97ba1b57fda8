"""Platform admins keep the tree of territories (scopes)."""

import pytest

from brique.models import Scope


@pytest.fixture
def admin_user(create_user):
    return create_user("admin", admin=True, locale="en")


@pytest.fixture
def city(db):
    city = Scope(name="Orléans", code="45000")
    db.session.add_all([city, Scope(name="Centre", code="D1", parent=city)])
    db.session.commit()
    return city


def scope_named(db, name):
    return db.session.query(Scope).filter_by(name=name).one_or_none()


def test_admin_adds_a_scope_under_a_parent(login, admin_user, city, db):
    response = login(admin_user).post(
        "/admin/scopes/new", data={"name": "Argonne", "code": "D2", "parent_id": str(city.id)}
    )
    assert response.status_code == 302
    assert scope_named(db, "Argonne").parent_id == city.id


def test_scope_list_shows_the_tree(login, admin_user, city):
    html = login(admin_user).get("/admin/scopes/").get_data(as_text=True)
    assert html.index("Orléans") < html.index("Centre")
    assert "padding-left: 2.1rem" in html


def test_scope_without_name_is_refused_next_to_the_field(login, admin_user, db):
    response = login(admin_user).post("/admin/scopes/new", data={"name": " ", "code": "X"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="field-name-error"' in html
    assert db.session.query(Scope).count() == 0


def test_scope_code_must_be_unique(login, admin_user, city, db):
    response = login(admin_user).post("/admin/scopes/new", data={"name": "Bis", "code": "45000"})
    assert response.status_code == 422
    assert "Another scope already has this code." in response.get_data(as_text=True)
    assert scope_named(db, "Bis") is None


def test_scope_cannot_be_placed_under_its_own_descendant(login, admin_user, city, db):
    centre = scope_named(db, "Centre")
    response = login(admin_user).post(
        f"/admin/scopes/{city.id}", data={"name": "Orléans", "parent_id": str(centre.id)}
    )
    assert response.status_code == 422
    assert 'id="field-parent_id-error"' in response.get_data(as_text=True)
    assert db.session.get(Scope, city.id).parent_id is None


def test_admin_renames_a_scope(login, admin_user, city, db):
    login(admin_user).post(f"/admin/scopes/{city.id}", data={"name": "Orléans Métropole"})
    assert db.session.get(Scope, city.id).name == "Orléans Métropole"


def test_deleting_a_scope_deletes_its_sub_scopes_and_frees_spaces(
    login, admin_user, city, create_space, db
):
    space = create_space(scope_id=scope_named(db, "Centre").id)
    client = login(admin_user)
    confirm = client.get(f"/admin/scopes/{city.id}/delete").get_data(as_text=True)
    assert "1 sub-scope will be deleted too" in confirm
    assert "1 process is placed in it" in confirm
    client.post(f"/admin/scopes/{city.id}/delete")
    assert db.session.query(Scope).count() == 0
    db.session.refresh(space)
    assert space.scope_id is None


def test_scope_list_queries_do_not_grow_with_scopes(login, admin_user, db, count_queries):
    client = login(admin_user)
    parent = Scope(name="Ville")
    db.session.add(parent)
    db.session.commit()
    with count_queries() as one:
        client.get("/admin/scopes/")
    db.session.add_all([Scope(name=f"Quartier {n}", parent=parent) for n in range(49)])
    db.session.commit()
    with count_queries() as fifty:
        assert "Quartier 48" in client.get("/admin/scopes/").get_data(as_text=True)
    assert len(one) == len(fifty)
