"""Space administration: giving and removing roles in a space."""

import pytest
from sqlalchemy import select

from brique.models import SpaceRole
from tests.space_admin_support import ENGLISH, admin_url, give_role, text_of


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def officer(create_user, dummy_space):
    return give_role(create_user("officer"), dummy_space)


def roles(db, space):
    rows = db.session.scalars(select(SpaceRole).where(SpaceRole.space_id == space.id))
    return sorted((row.user.nickname, row.role) for row in rows)


def test_roles_page_lists_people_and_their_roles(login, officer, dummy_space):
    page = text_of(login(officer).get(admin_url(dummy_space, "roles/")))
    assert "officer" in page and "Administrator" in page


@pytest.mark.parametrize("who", ["camille@example.org", "Camille"])
def test_a_person_is_found_by_email_or_nickname(login, officer, dummy_space, create_user, db, who):
    create_user("camille")
    response = login(officer).post(
        admin_url(dummy_space, "roles/add"), data={"person": who, "role": "moderator"}
    )
    assert response.status_code == 302
    assert roles(db, dummy_space) == [("camille", "moderator"), ("officer", "admin")]


def test_new_role_takes_effect_in_the_same_request_flow(login, officer, dummy_space, create_user):
    valuator = create_user("val")
    login(officer).post(
        admin_url(dummy_space, "roles/add"), data={"person": "val", "role": "admin"}
    )
    assert login(valuator).get(admin_url(dummy_space)).status_code == 200


def test_unknown_person_is_reported_next_to_the_field(login, officer, dummy_space, db):
    response = login(officer).post(
        admin_url(dummy_space, "roles/add"), data={"person": "ghost", "role": "moderator"}
    )
    assert response.status_code == 422
    assert "No registered person has this e-mail address or nickname." in text_of(response)
    assert 'id="field-person-error"' in text_of(response)
    assert roles(db, dummy_space) == [("officer", "admin")]


def test_unknown_role_is_refused(login, officer, dummy_space, db, create_user):
    create_user("camille")
    response = login(officer).post(
        admin_url(dummy_space, "roles/add"), data={"person": "camille", "role": "king"}
    )
    assert response.status_code == 422
    assert roles(db, dummy_space) == [("officer", "admin")]


def test_giving_the_same_role_twice_says_so(login, officer, dummy_space, db):
    response = login(officer).post(
        admin_url(dummy_space, "roles/add"), data={"person": "officer", "role": "admin"}
    )
    assert response.status_code == 422
    assert "officer already has this role." in text_of(response)


def test_removing_a_role(login, officer, dummy_space, create_user, db):
    moderator = give_role(create_user("mod"), dummy_space, "moderator")
    role_id = db.session.scalar(select(SpaceRole.id).where(SpaceRole.user_id == moderator.id))
    response = login(officer).post(admin_url(dummy_space, f"roles/{role_id}/remove"))
    assert response.status_code == 302
    assert roles(db, dummy_space) == [("officer", "admin")]


def test_space_admin_cannot_remove_their_own_admin_role(login, officer, dummy_space, db):
    role_id = db.session.scalar(select(SpaceRole.id).where(SpaceRole.user_id == officer.id))
    client = login(officer)
    client.post(admin_url(dummy_space, f"roles/{role_id}/remove"))
    assert roles(db, dummy_space) == [("officer", "admin")]


def test_role_of_another_space_cannot_be_removed(login, officer, dummy_space, create_space, db):
    other = create_space()
    give_role(officer, other, "moderator")
    role_id = db.session.scalar(select(SpaceRole.id).where(SpaceRole.space_id == other.id))
    response = login(officer).post(admin_url(dummy_space, f"roles/{role_id}/remove"))
    assert response.status_code == 404


def test_participants_cannot_give_roles(login, dummy_user, dummy_space, db):
    response = login(dummy_user).post(
        admin_url(dummy_space, "roles/add"), data={"person": "dummy", "role": "admin"}
    )
    assert response.status_code == 403
    assert roles(db, dummy_space) == []


def test_roles_page_queries_do_not_grow_with_roles(
    login, officer, dummy_space, create_user, count_queries
):
    client = login(officer)
    with count_queries() as one:
        assert client.get(admin_url(dummy_space, "roles/")).status_code == 200
    for _ in range(49):
        give_role(create_user(), dummy_space, "moderator")
    with count_queries() as fifty:
        assert client.get(admin_url(dummy_space, "roles/")).status_code == 200
    assert len(one) == len(fifty)
