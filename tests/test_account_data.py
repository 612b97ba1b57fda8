"""Participants download their data, see their verifications and delete their account."""

import json

import pytest

from brique.models import Authorization, SpaceRole, User
from brique.signals import user_deleted
from brique.testing import TEST_PASSWORD


@pytest.fixture
def dummy_user(create_user):
    return create_user("dummy", locale="en", name="Dominique", profile={"age_band": "60+"})


@pytest.fixture
def verified(dummy_user, dummy_space, db):
    db.session.add_all(
        [
            Authorization(
                user_id=dummy_user.id,
                handler="residency",
                data={"postal_code": "45400", "district": "Centre", "method": "declared"},
                unique_hash=None,
            ),
            SpaceRole(space=dummy_space, user=dummy_user, role="moderator"),
        ]
    )
    db.session.commit()
    return dummy_user


def test_download_holds_account_profile_authorizations_and_roles(login, verified):
    response = login(verified).get("/account/data/download")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "dummy@example.org"
    assert data["profile"] == {"age_band": "60+"}
    assert data["authorizations"][0]["data"]["postal_code"] == "45400"
    assert data["roles"] == [
        {"space": "space-1", "space_title": "Budget participatif", "role": "moderator"}
    ]
    assert verified.password_hash not in response.get_data(as_text=True)
    assert "password" not in json.dumps(data)


def test_verifications_page_says_what_was_recorded(login, verified):
    html = login(verified).get("/account/verifications").get_data(as_text=True)
    assert "Postal code</dt><dd>45400" in html
    assert "declared by the participant" in html
    assert 'href="/account/verify/residency">Verify again' in html
    assert 'href="/account/verify/age"' in html  # not verified yet


def test_unconfirmed_participant_is_offered_the_confirmation_link(login, create_user):
    user = create_user("new", confirmed=False, locale="en")
    html = login(user).get("/account/verifications").get_data(as_text=True)
    assert 'href="/confirm"' in html


def test_participant_verifies_again_with_new_details(login, verified, db):
    client = login(verified)
    response = client.post("/account/verify/residency", data={"postal_code": "45000"})
    assert response.location == "/account/verifications"
    row = db.session.query(Authorization).filter_by(user_id=verified.id).one()
    assert row.data["postal_code"] == "45000"


def test_verification_errors_show_next_to_the_field(login, dummy_user, db):
    response = login(dummy_user).post("/account/verify/age", data={"birth_year": "2090"})
    assert response.status_code == 422
    assert 'id="field-birth_year-error"' in response.get_data(as_text=True)
    assert db.session.query(Authorization).count() == 0


def test_deleting_the_account_anonymises_it_and_logs_out(login, verified, db, clock):
    received = []

    def receiver(sender, **kwargs):
        received.append(sender.nickname)

    user_deleted.connect(receiver)
    try:
        client = login(verified)
        response = client.post(
            "/account/delete", data={"password": TEST_PASSWORD, "understood": "1"}
        )
    finally:
        user_deleted.disconnect(receiver)
    assert response.location == "/"
    user = db.session.get(User, verified.id)
    assert (user.email, user.name, user.password_hash, user.profile) == (None, "", None, {})
    assert user.nickname == f"deleted-{user.id}" and user.deleted_at == clock.now()
    assert db.session.query(Authorization).count() == 0
    assert db.session.query(SpaceRole).count() == 0
    assert received == [f"deleted-{user.id}"]
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": "wrong password", "understood": "1"}, "password"),
        ({"password": TEST_PASSWORD}, "understood"),
    ],
)
def test_deletion_needs_password_and_confirmation(login, verified, db, data, field):
    response = login(verified).post("/account/delete", data=data)
    assert response.status_code == 422
    assert f'id="field-{field}-error"' in response.get_data(as_text=True)
    assert db.session.get(User, verified.id).deleted_at is None


def test_last_platform_admin_cannot_delete_their_account(login, create_user, db):
    admin = create_user("admin", admin=True, locale="en")
    response = login(admin).post(
        "/account/delete", data={"password": TEST_PASSWORD, "understood": "1"}
    )
    assert response.status_code == 422
    assert "only platform administrator" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).deleted_at is None


def test_deleted_account_cannot_log_in_and_frees_its_address(client, verified, create_user):
    login_client = client
    with login_client.session_transaction() as session:
        session["_user_id"] = verified.get_id()
    login_client.post("/account/delete", data={"password": TEST_PASSWORD, "understood": "1"})
    response = login_client.post(
        "/login", data={"email": "dummy@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 401
    assert create_user("again", email="dummy@example.org").id != verified.id


def test_download_queries_do_not_grow_with_roles(
    login, dummy_user, create_space, db, count_queries
):
    def give_roles(count):
        for _ in range(count):
            db.session.add(SpaceRole(space=create_space(), user=dummy_user, role="valuator"))
        db.session.commit()

    client = login(dummy_user)
    give_roles(1)
    with count_queries() as one:
        client.get("/account/data/download")
    give_roles(49)
    with count_queries() as fifty:
        assert len(json.loads(client.get("/account/data/download").data)["roles"]) == 50
    assert len(one) == len(fifty)


def test_verification_returns_to_the_page_that_asked_for_it(login, dummy_user):
    client = login(dummy_user)
    page = client.get(
        "/account/verify/age", headers={"Referer": "http://localhost/processes/space-1/"}
    ).get_data(as_text=True)
    assert 'action="/account/verify/age?next=/processes/space-1/"' in page
    response = client.post(
        "/account/verify/age?next=/processes/space-1/", data={"birth_year": "1990"}
    )
    assert response.location == "/processes/space-1/"


# --- What they did with the participation services ------------------------------------------


@pytest.fixture
def participation(dummy_user, create_user, dummy_space, create_component, db):
    """dummy commented, edited it, voted, followed, reported and was notified; ``other``
    replied to them and was reported."""
    from brique.clock import now
    from brique.models import (
        Comment,
        CommentVersion,
        CommentVote,
        Follow,
        Moderation,
        Notification,
        Report,
    )

    other = create_user("lucie", name="Lucie Secret", email="lucie@example.org")
    component = create_component(dummy_space, "tiny")
    where = {"resource_type": "tiny.note", "resource_id": 7, "component_id": component.id}
    mine = Comment(**where, space_id=dummy_space.id, author_id=dummy_user.id, body="Mon avis")
    theirs = Comment(**where, space_id=dummy_space.id, author_id=other.id, body="Leur texte")
    db.session.add_all([mine, theirs])
    db.session.flush()
    on_mine, on_theirs = (
        Moderation(target_type="comment", target_id=comment.id, space_id=dummy_space.id)
        for comment in (mine, theirs)
    )
    db.session.add_all([on_mine, on_theirs])
    db.session.flush()
    db.session.add_all(
        [
            CommentVersion(comment_id=mine.id, body="Mon premier avis", written_at=now()),
            CommentVote(comment_id=theirs.id, user_id=dummy_user.id, value=-1),
            CommentVote(comment_id=mine.id, user_id=other.id, value=1),
            Follow(
                user_id=dummy_user.id,
                target_type="space",
                target_id=dummy_space.id,
                space_id=dummy_space.id,
            ),
            Follow(user_id=other.id, target_type="user", target_id=dummy_user.id),
            Notification(
                user_id=dummy_user.id,
                kind="reply",
                actor_id=other.id,
                space_id=dummy_space.id,
                url="/comments/2",
                data={"title": "Un banc", "actor": "lucie", "excerpt": "Leur texte"},
            ),
            Report(
                target_type="comment",
                target_id=theirs.id,
                moderation_id=on_theirs.id,
                reporter_id=dummy_user.id,
                reason="other",
                details="Hors sujet",
            ),
            Report(
                target_type="comment",
                target_id=mine.id,
                moderation_id=on_mine.id,
                reporter_id=other.id,
                reason="spam",
            ),
        ]
    )
    db.session.commit()
    return mine, theirs


def test_download_holds_their_comments_follows_notifications_and_reports(
    login, dummy_user, participation
):
    mine, theirs = participation
    response = login(dummy_user).get("/account/data/download")
    data = json.loads(response.data)
    (comment,) = data["comments"]
    assert comment["id"] == mine.id and comment["body"] == "Mon avis"
    assert comment["earlier_versions"][0]["body"] == "Mon premier avis"
    assert comment["space"] == "space-1" and comment["on"] == {"type": "tiny.note", "id": 7}
    assert [vote["comment"] for vote in data["comment_votes"]] == [theirs.id]
    assert [(f["type"], f["space"]) for f in data["follows"]] == [("space", "space-1")]
    (notification,) = data["notifications"]
    assert notification["kind"] == "reply" and notification["about"] == "Un banc"
    (report,) = data["reports"]
    assert (report["id"], report["reason"], report["details"]) == (theirs.id, "other", "Hors sujet")


def test_download_never_names_other_people_nor_quotes_them(login, dummy_user, participation):
    text = login(dummy_user).get("/account/data/download").get_data(as_text=True)
    for secret in ("lucie", "Lucie Secret", "lucie@example.org", "Leur texte"):
        assert secret not in text


def test_download_queries_do_not_grow_with_participation(
    login, dummy_user, participation, db, count_queries
):
    from brique.models import Comment

    client = login(dummy_user)
    with count_queries() as few:
        client.get("/account/data/download")
    mine, _theirs = participation
    for number in range(20):
        db.session.add(
            Comment(
                resource_type="tiny.note",
                resource_id=number,
                component_id=mine.component_id,
                space_id=mine.space_id,
                author_id=dummy_user.id,
                body=f"Avis {number}",
            )
        )
    db.session.commit()
    with count_queries() as many:
        assert len(json.loads(client.get("/account/data/download").data)["comments"]) == 21
    assert len(few) == len(many)
