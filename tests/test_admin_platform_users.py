"""Platform admins find people, see their roles and verifications, and name other admins."""

import pytest

from brique.models import Authorization, SpaceRole, User


@pytest.fixture
def admin_user(create_user):
    return create_user("admin", admin=True, locale="en")


def test_users_list_searches_nickname_email_and_name(login, admin_user, create_user):
    create_user("marie", name="Marie Curie")
    create_user("pierre", email="pierre@labo.fr")
    client = login(admin_user)
    assert "marie" in client.get("/admin/users/?q=CURIE").get_data(as_text=True)
    html = client.get("/admin/users/?q=labo.fr").get_data(as_text=True)
    assert "pierre" in html and "marie" not in html


def test_users_search_treats_wildcards_literally(login, admin_user, create_user):
    create_user("marie")
    html = login(admin_user).get("/admin/users/?q=%25").get_data(as_text=True)
    assert "marie" not in html
    assert "Nobody matches this search." in html


def test_users_list_is_paginated(login, admin_user, create_user):
    for number in range(55):
        create_user(f"person{number:02d}")
    client = login(admin_user)
    first = client.get("/admin/users/").get_data(as_text=True)
    second = client.get("/admin/users/?page=2").get_data(as_text=True)
    assert "56 people" in first
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert first.count('href="/admin/users/') - second.count('href="/admin/users/') > 0
    assert client.get("/admin/users/?page=99").status_code == 200


def test_users_list_queries_do_not_grow_with_people(login, admin_user, create_user, count_queries):
    client = login(admin_user)
    with count_queries() as one:
        client.get("/admin/users/")
    for _ in range(49):
        create_user()
    with count_queries() as fifty:
        assert "50 people" in client.get("/admin/users/").get_data(as_text=True)
    assert len(one) == len(fifty)


def test_user_page_shows_roles_and_verifications_never_the_password(
    login, admin_user, dummy_user, dummy_space, db
):
    db.session.add(SpaceRole(space=dummy_space, user=dummy_user, role="moderator"))
    db.session.add(
        Authorization(
            user_id=dummy_user.id,
            handler="residency",
            data={"postal_code": "45400", "district": "", "method": "census"},
        )
    )
    db.session.commit()
    html = login(admin_user).get(f"/admin/users/{dummy_user.id}").get_data(as_text=True)
    assert "Budget participatif" in html and "Moderator" in html
    assert "Postal code: 45400" in html and "checked against the census" in html
    assert dummy_user.password_hash not in html
    assert "pbkdf2" not in html


def test_unknown_user_is_not_found(login, admin_user):
    assert login(admin_user).get("/admin/users/999").status_code == 404


def test_admin_makes_someone_platform_admin(login, admin_user, dummy_user, db):
    response = login(admin_user).post(f"/admin/users/{dummy_user.id}/admin")
    assert response.status_code == 302
    assert db.session.get(User, dummy_user.id).is_admin


def test_admin_revokes_another_admin(login, admin_user, create_user, db):
    other = create_user("other", admin=True)
    login(admin_user).post(f"/admin/users/{other.id}/admin/revoke")
    assert not db.session.get(User, other.id).is_admin


def test_last_admin_cannot_revoke_themselves(login, admin_user, db):
    client = login(admin_user)
    response = client.post(f"/admin/users/{admin_user.id}/admin/revoke")
    assert db.session.get(User, admin_user.id).is_admin
    assert "last platform administrator" in client.get(response.location).get_data(as_text=True)


def test_admin_may_step_down_when_another_admin_remains(login, admin_user, create_user, db):
    create_user("other", admin=True)
    response = login(admin_user).post(f"/admin/users/{admin_user.id}/admin/revoke")
    assert not db.session.get(User, admin_user.id).is_admin
    assert response.location == "/account/"


def test_deleted_admin_does_not_count_as_remaining_admin(login, admin_user, create_user, clock):
    create_user("ghost", admin=True, deleted_at=clock.now(), email=None)
    login(admin_user).post(f"/admin/users/{admin_user.id}/admin/revoke")
    assert admin_user.is_admin


def test_deleted_account_cannot_become_admin(login, admin_user, create_user, clock, db):
    ghost = create_user("ghost", deleted_at=clock.now(), email=None)
    assert login(admin_user).post(f"/admin/users/{ghost.id}/admin").status_code == 400
    assert not db.session.get(User, ghost.id).is_admin


def test_user_page_queries_do_not_grow_with_roles(
    login, admin_user, dummy_user, create_space, db, count_queries
):
    def give_roles(count):
        for _ in range(count):
            db.session.add(SpaceRole(space=create_space(), user=dummy_user, role="moderator"))
        db.session.commit()

    client = login(admin_user)
    give_roles(1)
    with count_queries() as one:
        client.get(f"/admin/users/{dummy_user.id}")
    give_roles(49)
    with count_queries() as fifty:
        client.get(f"/admin/users/{dummy_user.id}")
    assert len(one) == len(fifty)


def test_users_list_filters_by_status(login, admin_user, create_user, clock):
    create_user("waiting", confirmed=False)
    create_user("ghost", deleted_at=clock.now(), email=None)
    client = login(admin_user)
    everybody = client.get("/admin/users/").get_data(as_text=True)
    assert "waiting" in everybody and "ghost" not in everybody
    deleted = client.get("/admin/users/?status=deleted").get_data(as_text=True)
    assert "ghost" in deleted and "waiting" not in deleted
    unconfirmed = client.get("/admin/users/?status=unconfirmed").get_data(as_text=True)
    assert "waiting" in unconfirmed and ">admin<" not in unconfirmed
    admins = client.get("/admin/users/?status=admins").get_data(as_text=True)
    assert ">admin<" in admins and "waiting" not in admins
