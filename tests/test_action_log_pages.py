"""Administrators browse and filter the action log: the whole platform's, or their space's."""

from __future__ import annotations

import pytest

from brique.actionlog.log import log_action
from brique.models import SpaceRole


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def text_of(response):
    return " ".join(response.get_data(as_text=True).split())


def give_role(db, user, space, role):
    db.session.add(SpaceRole(space_id=space.id, user_id=user.id, role=role))
    db.session.commit()
    return user


def write(db, user, verb, space, count=1, offset=0):
    for number in range(count):
        log_action(user, verb, ("thing", number + offset), space=space.id if space else None)
    db.session.commit()


@pytest.fixture
def other_space(create_space):
    return create_space("Autre démarche")


@pytest.fixture
def logged(db, dummy_space, other_space, dummy_user, admin_user):
    write(db, dummy_user, "resource.create", dummy_space)
    write(db, admin_user, "space.publish", other_space)


def test_platform_admins_see_the_whole_log(logged, admin_user, login):
    page = login(admin_user).get("/admin/log")
    assert page.status_code == 200
    shown = text_of(page)
    assert "2 entries" in shown and "Budget participatif" in shown and "Autre démarche" in shown
    assert "Published the process" in shown and "dummy" in shown


def test_space_admins_see_their_spaces_log_only(
    logged, dummy_space, other_space, create_user, login, db
):
    space_admin = give_role(db, create_user("space-admin"), dummy_space, "admin")
    client = login(space_admin)
    page = client.get(f"/admin/processes/{dummy_space.slug}/log")
    assert page.status_code == 200
    assert "1 entry" in text_of(page) and "Published the process" not in text_of(page)
    assert client.get(f"/admin/processes/{other_space.slug}/log").status_code == 403
    assert client.get("/admin/log").status_code == 403


def test_participants_and_moderators_cannot_read_the_log(
    logged, dummy_space, dummy_user, create_user, login, db, client
):
    moderator = give_role(db, create_user("moderator"), dummy_space, "moderator")
    assert login(dummy_user).get("/admin/log").status_code == 403
    assert login(moderator).get(f"/admin/processes/{dummy_space.slug}/log").status_code == 403
    login(None)
    assert client.get("/admin/log").status_code == 302


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("verb=space.publish", "1 entry"),
        ("user=dummy", "1 entry"),
        ("user=DUMMY@example.org", "1 entry"),
        ("user=nobody", "0 entries"),
        ("since=2026-03-01&until=2026-03-01", "2 entries"),
        ("since=2026-03-02", "0 entries"),
    ],
)
def test_the_log_is_filtered_by_action_person_and_dates(logged, admin_user, login, query, expected):
    assert expected in text_of(login(admin_user).get(f"/admin/log?{query}"))


def test_the_log_is_filtered_by_space(logged, other_space, admin_user, login):
    shown = text_of(login(admin_user).get(f"/admin/log?space_id={other_space.id}"))
    assert "1 entry" in shown and "Published the process" in shown


def test_a_bad_date_is_explained_next_to_its_field(logged, admin_user, login):
    page = login(admin_user).get("/admin/log?since=yesterday")
    assert page.status_code == 422 and "Enter a valid date." in text_of(page)


def test_the_log_shows_values_before_and_after(dummy_space, admin_user, login, db):
    log_action(
        admin_user, "space.update", dummy_space, before={"title": "Avant"}, after={"title": "Après"}
    )
    db.session.commit()
    shown = text_of(login(admin_user).get(f"/admin/processes/{dummy_space.slug}/log"))
    assert "Changed the process information" in shown
    assert "<del>Avant</del> → <ins>Après</ins>" in shown


def test_the_log_is_paginated_newest_first(dummy_space, admin_user, login, db):
    for number in range(55):
        log_action(admin_user, "test.entry", ("thing", number), space=dummy_space.id)
    db.session.commit()
    client = login(admin_user)
    first = client.get("/admin/log").get_data(as_text=True)
    second = client.get("/admin/log?page=2").get_data(as_text=True)
    assert ">#55<" in first and ">#6<" in first and ">#5<" not in first
    assert ">#5<" in second and ">#1<" in second and 'rel="prev"' in second


@pytest.mark.parametrize("where", ["platform", "space"])
def test_the_log_pages_take_the_same_queries_for_1_and_50_entries(
    dummy_space, admin_user, create_user, login, db, count_queries, where
):
    path = "/admin/log" if where == "platform" else f"/admin/processes/{dummy_space.slug}/log"
    people = [create_user(f"person{number}") for number in range(50)]
    log_action(people[0], "resource.create", ("thing", 0), space=dummy_space.id)
    db.session.commit()
    client = login(admin_user)
    client.get(path)
    with count_queries() as one:
        client.get(path)
    for number, person in enumerate(people[1:], start=1):
        log_action(person, "resource.create", ("thing", number), space=dummy_space.id)
    db.session.commit()
    with count_queries() as fifty:
        page = client.get(path)
    assert "50 entries" in text_of(page) and "person49" in text_of(page)
    assert len(one) == len(fifty)


def test_entries_of_a_deleted_space_stay_in_the_log(dummy_space, admin_user, login, db):
    log_action(admin_user, "space.publish", dummy_space)
    db.session.commit()
    space_id = dummy_space.id
    db.session.delete(dummy_space)
    db.session.commit()
    shown = text_of(login(admin_user).get("/admin/log"))
    assert f"Deleted process #{space_id}" in shown
