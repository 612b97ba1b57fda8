"""Coauthors: invited by nickname, notified, they accept or decline; then edit and withdraw."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from brique.models import Notification
from brique_proposals.models import MAX_COAUTHORS, Coauthorship, Proposal

BODY = "A few benches under the plane trees, near the playground."


@pytest.fixture
def app_config():
    """Pages in English, whatever the participants' language, so that tests read them."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def url(proposal, path=""):
    component = proposal.component
    return f"/processes/{component.space.slug}/c/{component.id}/{proposal.id}{path}"


@pytest.fixture
def writer(create_user):
    return create_user("writer")


@pytest.fixture
def friend(create_user):
    return create_user("Camille")


@pytest.fixture
def proposal(component, make_proposal, writer):
    return make_proposal(component, writer)


def invitations(db, proposal):
    return db.session.scalars(
        select(Coauthorship).where(Coauthorship.proposal_id == proposal.id)
    ).all()


def notifications_of(app, db, user):
    """``user``'s notifications, once the worker has run the jobs (as ``brique jobs work``)."""
    from brique.jobs.queue import work

    db.session.commit()
    work(app, once=True)
    db.session.expire_all()
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()


def invite(client, proposal, nickname):
    return client.post(url(proposal, "/coauthors"), data={"nickname": nickname})


def test_an_author_invites_by_nickname_and_the_invitee_is_notified(
    app, db, proposal, writer, friend, dummy_user, login, client
):
    login(writer)
    response = invite(client, proposal, "@camille")  # any case, with or without "@"
    assert response.status_code == 302
    (invitation,) = invitations(db, proposal)
    assert invitation.user_id == friend.id and invitation.accepted_at is None
    (notice,) = notifications_of(app, db, friend)
    assert notice.kind == "proposals.coauthor_invited"
    assert notice.url.endswith(f"/{proposal.id}/coauthors")
    assert notice.data["actor"] == "writer" and notice.data["title"] == proposal.title
    assert notifications_of(app, db, dummy_user) == [] and notifications_of(app, db, writer) == []


def test_the_invitee_accepts_then_edits_and_withdraws(db, proposal, writer, friend, login, client):
    login(writer)
    invite(client, proposal, "Camille")
    login(friend)
    assert client.get(url(proposal, "/edit")).status_code == 403  # not before accepting
    page = client.get(url(proposal, "/coauthors"))
    assert page.status_code == 200 and "You are invited to coauthor this proposal" in page.text
    assert client.post(url(proposal, "/coauthors/accept")).status_code == 302
    (invitation,) = invitations(db, proposal)
    assert invitation.accepted_at is not None
    edited = client.post(url(proposal, "/edit"), data={"title": "Two benches", "body": BODY})
    assert edited.status_code == 302
    assert client.post(url(proposal, "/withdraw")).status_code == 302
    db.session.refresh(proposal)
    assert (proposal.title, proposal.status) == ("Two benches", "withdrawn")


def test_the_invitee_declines_and_stays_out(db, proposal, writer, friend, login, client):
    login(writer)
    invite(client, proposal, "Camille")
    login(friend)
    assert client.post(url(proposal, "/coauthors/decline")).status_code == 302
    assert invitations(db, proposal) == []
    assert client.get(url(proposal, "/coauthors")).status_code == 404
    assert client.post(url(proposal, "/edit"), data={"title": "Mine"}).status_code == 403


def test_the_invitation_shows_on_the_proposals_page(db, proposal, writer, friend, login, client):
    login(writer)
    invite(client, proposal, "Camille")
    login(friend)
    page = client.get(url(proposal)).text
    assert "You are invited to coauthor this proposal." in page
    assert url(proposal, "/coauthors/accept") in page


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("nobody", "Nobody has the nickname “nobody”."),
        ("writer", "writer is already invited or an author."),
        ("", "This field is required."),
    ],
)
def test_invitations_that_cannot_be_made_say_why(
    db, proposal, writer, friend, login, client, nickname, message
):
    login(writer)
    response = invite(client, proposal, nickname)
    assert response.status_code == 422 and message in response.text
    assert 'aria-invalid="true"' in response.text
    assert invitations(db, proposal) == []


def test_inviting_someone_twice_keeps_one_invitation(
    app, db, proposal, writer, friend, login, client
):
    login(writer)
    invite(client, proposal, "Camille")
    again = invite(client, proposal, "CAMILLE")
    assert again.status_code == 422 and "Camille is already invited or an author." in again.text
    assert len(invitations(db, proposal)) == 1
    assert len(notifications_of(app, db, friend)) == 1


def test_blocked_and_deleted_accounts_cannot_be_invited(
    db, proposal, writer, create_user, login, client
):
    from brique.plugin_api import now

    create_user("gone", deleted_at=now())
    create_user("blocked", blocked_at=now())
    login(writer)
    for nickname in ("gone", "blocked"):
        assert invite(client, proposal, nickname).status_code == 422
    assert invitations(db, proposal) == []


def test_only_authors_invite(db, proposal, friend, dummy_user, login, client):
    login(dummy_user)
    assert client.get(url(proposal, "/coauthors")).status_code == 404
    assert invite(client, proposal, "Camille").status_code == 404
    assert invitations(db, proposal) == []


def test_the_coauthor_action_requirements_are_asked(
    db, component, make_proposal, create_user, friend, login, client
):
    unconfirmed = create_user("unconfirmed", confirmed=False)
    proposal = make_proposal(component, unconfirmed)
    login(unconfirmed)
    page = client.get(url(proposal, "/coauthors"))
    assert 'name="nickname"' not in page.text
    response = invite(client, proposal, "Camille")
    assert response.status_code == 403
    assert invitations(db, proposal) == []


def test_a_coauthor_of_a_draft_sees_it_and_follows_it_once_published(
    db, component, make_proposal, writer, friend, login, client
):
    from brique.plugin_api import followers_of

    draft = make_proposal(component, writer, status="draft")
    login(writer)
    invite(client, draft, "Camille")
    login(friend)
    assert "A bench in the park" in client.get(url(draft, "/coauthors")).text
    client.post(url(draft, "/coauthors/accept"))
    assert client.get(url(draft, "/preview")).status_code == 200
    assert client.post(url(draft, "/publish")).status_code == 302
    assert friend.id in followers_of(("proposals.proposal", draft.id))
    assert writer.id in followers_of(("proposals.proposal", draft.id))


def test_a_coauthor_cannot_delete_the_first_authors_draft(
    db, component, make_proposal, writer, friend, login, client
):
    draft = make_proposal(component, writer, status="draft")
    db.session.add(
        Coauthorship(proposal_id=draft.id, user_id=friend.id, accepted_at=draft.created_at)
    )
    db.session.commit()
    login(friend)
    response = client.post(url(draft, "/delete"))
    assert response.status_code == 403
    assert "Only its first author can delete a draft." in response.text
    assert db.session.scalar(select(func.count()).select_from(Coauthorship)) == 1


def test_a_coauthor_accepting_after_publishing_follows_the_proposal(
    db, proposal, writer, friend, login, client
):
    from brique.plugin_api import followers_of

    login(writer)
    invite(client, proposal, "Camille")
    login(friend)
    client.post(url(proposal, "/coauthors/accept"))
    assert friend.id in followers_of(("proposals.proposal", proposal.id))


# --- The limit of coauthors ----------------------------------------------------------------


def test_a_proposal_has_ten_coauthors_at_most_and_a_decline_frees_a_place(
    db, proposal, writer, create_user, login, client
):
    people = [create_user(f"person{n}") for n in range(MAX_COAUTHORS + 1)]
    login(writer)
    for person in people[:MAX_COAUTHORS]:
        assert invite(client, proposal, person.nickname).status_code == 302
    refused = invite(client, proposal, people[-1].nickname)
    assert refused.status_code == 422 and "10 coauthors at most" in refused.text
    assert len(invitations(db, proposal)) == MAX_COAUTHORS
    login(people[0])
    client.post(url(proposal, "/coauthors/decline"))
    login(writer)
    assert invite(client, proposal, people[-1].nickname).status_code == 302
    db.session.expire_all()
    assert proposal.coauthors_count == len(invitations(db, proposal)) == MAX_COAUTHORS


def test_the_database_refuses_more_coauthors_than_the_limit(db, proposal):
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Proposal)
            .where(Proposal.id == proposal.id)
            .values(coauthors_count=MAX_COAUTHORS + 1)
        )
        db.session.flush()
    db.session.rollback()


def test_parallel_invitations_stop_exactly_at_the_limit(app, db, proposal, writer, create_user):
    from concurrent.futures import ThreadPoolExecutor

    nicknames = [create_user(f"person{n}").nickname for n in range(MAX_COAUTHORS + 6)]
    path, writer_id = url(proposal, "/coauthors"), writer.get_id()
    db.session.commit()

    def send(nickname):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = writer_id
        with app.app_context():
            return client.post(path, data={"nickname": nickname}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(send, nicknames))
    db.session.expire_all()
    assert statuses.count(302) == MAX_COAUTHORS and set(statuses) == {302, 422}
    assert proposal.coauthors_count == len(invitations(db, proposal)) == MAX_COAUTHORS
