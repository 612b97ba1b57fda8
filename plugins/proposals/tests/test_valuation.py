"""Valuation: admins assign the process's valuators to proposals; valuators reach only the
proposals assigned to them, answer them and share private notes that only staff read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from brique.models import ActionLogEntry, Notification
from brique_proposals.models import PrivateNote, Proposal, ValuatorAssignment
from brique_proposals.valuation import ValuationRefused, add_note, assign


@pytest.fixture
def app_config():
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def valuator(create_user, grant_role, dummy_space):
    return grant_role(dummy_space, create_user("vera"), "valuator")


@pytest.fixture
def proposal(component, make_proposal, dummy_user):
    return make_proposal(component, dummy_user, title="Shade in the schoolyard")


@pytest.fixture
def assigned(proposal, valuator, admin_user, db):
    assign(proposal, valuator, admin_user)
    db.session.commit()
    return proposal


def admin_url(component, path=""):
    return f"/admin/components/{component.id}/{path}"


def valuation_url(component, path=""):
    return f"/admin/components/{component.id}/valuation/{path}"


def log_of(db, verb):
    return db.session.scalars(select(ActionLogEntry).where(ActionLogEntry.verb == verb)).all()


# --- Assigning ------------------------------------------------------------------------------


def test_an_admin_assigns_a_valuator_who_is_told_with_a_link_to_work_on_it(
    app, client, login, admin_user, component, proposal, valuator, db
):
    from brique.jobs.queue import work

    response = login(admin_user).post(
        admin_url(component, f"proposals/{proposal.id}/valuators"), data={"valuator": valuator.id}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(ValuatorAssignment.user_id)) == valuator.id
    (entry,) = log_of(db, "proposals.assign_valuator")
    assert entry.after == {"valuator": "vera"}
    db.session.commit()
    work(app, once=True)
    notice = db.session.scalar(select(Notification).where(Notification.user_id == valuator.id))
    assert notice.kind == "proposals.valuator-assigned"
    assert notice.url.endswith(
        f"/admin/components/{component.id}/valuation/proposals/{proposal.id}"
    )


def test_assigning_twice_keeps_one_assignment(component, proposal, valuator, admin_user, db):
    assert assign(proposal, valuator, admin_user) is True
    assert assign(proposal, valuator, admin_user) is False
    db.session.commit()
    assert len(db.session.scalars(select(ValuatorAssignment)).all()) == 1
    assert len(log_of(db, "proposals.assign_valuator")) == 1


def test_only_the_processs_valuators_can_be_assigned(
    client, login, admin_user, component, proposal, create_user, grant_role, dummy_space, db
):
    moderator = grant_role(dummy_space, create_user("mo"), "moderator")
    with pytest.raises(ValuationRefused):
        assign(proposal, create_user("pat"), admin_user)
    response = login(admin_user).post(
        admin_url(component, f"proposals/{proposal.id}/valuators"), data={"valuator": moderator.id}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(ValuatorAssignment)) is None


def test_unassigning_takes_the_proposal_away_from_the_valuator(
    client, login, admin_user, component, assigned, valuator, db
):
    login(admin_user).post(
        admin_url(component, f"proposals/{assigned.id}/valuators/{valuator.id}/remove")
    )
    assert db.session.scalar(select(ValuatorAssignment)) is None
    assert len(log_of(db, "proposals.unassign_valuator")) == 1
    response = login(valuator).get(valuation_url(component, f"proposals/{assigned.id}"))
    assert response.status_code == 404


# --- What valuators reach ---------------------------------------------------------------------


def test_a_valuator_lists_only_the_proposals_assigned_to_them(
    client, login, component, assigned, make_proposal, valuator
):
    make_proposal(component, title="Another idea")
    page = login(valuator).get(valuation_url(component)).get_data(as_text=True)
    assert "Shade in the schoolyard" in page and "Another idea" not in page


def test_a_valuator_finds_their_work_on_the_administration_dashboard(
    client, login, component, assigned, make_proposal, valuator
):
    make_proposal(component, title="Another idea")
    page = login(valuator).get("/admin/").get_data(as_text=True)
    assert "Proposals to evaluate" in page
    assert f'href="/admin/components/{component.id}/valuation/"' in page
    assert "1 proposal assigned to you" in page and "1 without an answer" in page


def test_the_dashboard_has_no_valuation_entry_for_people_without_assignments(
    client, login, component, proposal, valuator, admin_user
):
    assert "Proposals to evaluate" not in login(valuator).get("/admin/").get_data(as_text=True)
    assert "Proposals to evaluate" not in login(admin_user).get("/admin/").get_data(as_text=True)


def test_a_valuator_does_not_reach_other_proposals_nor_the_admin_pages(
    client, login, component, assigned, make_proposal, valuator
):
    other = make_proposal(component, title="Another idea")
    login(valuator)
    assert client.get(valuation_url(component, f"proposals/{assigned.id}")).status_code == 200
    assert client.get(valuation_url(component, f"proposals/{other.id}")).status_code == 404
    assert client.get(admin_url(component)).status_code == 403
    assert client.get(admin_url(component, f"proposals/{assigned.id}")).status_code == 403


def test_a_valuator_answers_an_assigned_proposal(client, login, component, assigned, valuator, db):
    response = login(valuator).post(
        valuation_url(component, f"proposals/{assigned.id}/answer"),
        data={"state": "evaluating", "answer_text": "Measuring the shade."},
    )
    assert response.status_code == 303
    db.session.refresh(assigned)
    assert assigned.answer_state == "evaluating"
    (entry,) = log_of(db, "proposals.answer")
    assert entry.user_id == valuator.id


def test_a_valuator_cannot_answer_a_proposal_not_assigned_to_them(
    client, login, component, proposal, valuator, db
):
    response = login(valuator).post(
        valuation_url(component, f"proposals/{proposal.id}/answer"), data={"state": "rejected"}
    )
    assert response.status_code == 404
    db.session.refresh(proposal)
    assert proposal.answer_state == "not_answered"


@pytest.mark.parametrize("role", [None, "participant", "moderator"])
def test_people_who_are_not_valuators_do_not_reach_the_valuation_pages(
    client, login, create_user, grant_role, dummy_space, component, assigned, role
):
    if role is not None:
        user = create_user(role)
        if role != "participant":
            grant_role(dummy_space, user, role)
        login(user)
    response = client.get(valuation_url(component))
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_a_valuator_whose_role_is_revoked_loses_access(
    client, login, component, assigned, valuator, db
):
    from brique.plugin_api import SpaceRole

    db.session.execute(SpaceRole.__table__.delete())
    db.session.commit()
    assert login(valuator).get(valuation_url(component)).status_code == 403


# --- Private notes ------------------------------------------------------------------------------


def test_staff_share_private_notes_that_the_public_never_sees(
    client, login, admin_user, component, assigned, valuator, dummy_user, db
):
    login(valuator).post(
        valuation_url(component, f"proposals/{assigned.id}/notes"),
        data={"body": "The school agrees, quietly."},
    )
    login(admin_user)
    page = client.get(admin_url(component, f"proposals/{assigned.id}")).get_data(as_text=True)
    assert "The school agrees, quietly." in page and "vera" in page
    (entry,) = log_of(db, "proposals.add_private_note")
    assert "quietly" not in str(entry.after)
    public = f"/processes/{component.space.slug}/c/{component.id}/{assigned.id}"
    for viewer in (None, dummy_user, admin_user):
        response = login(viewer).get(public)
        assert response.status_code == 200
        assert "The school agrees" not in response.get_data(as_text=True)


def test_an_empty_note_is_refused(client, login, component, assigned, valuator, db):
    response = login(valuator).post(
        valuation_url(component, f"proposals/{assigned.id}/notes"), data={"body": "  "}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(PrivateNote)) is None


def test_a_valuator_reads_the_notes_of_the_proposals_assigned_to_them_only(
    client, login, component, assigned, make_proposal, valuator, admin_user, db
):
    other = make_proposal(component, title="Another idea")
    add_note(db.session.get(Proposal, other.id), admin_user, "Budget is tight here.")
    add_note(db.session.get(Proposal, assigned.id), admin_user, "Ask the school.")
    db.session.commit()
    login(valuator)
    page = client.get(valuation_url(component, f"proposals/{assigned.id}")).get_data(as_text=True)
    assert "Ask the school." in page and "Budget is tight here." not in page
    assert client.get(valuation_url(component, f"proposals/{other.id}")).status_code == 404


@pytest.mark.parametrize("role", ["moderator", "participant"])
def test_moderators_and_participants_do_not_read_private_notes(
    client, login, create_user, grant_role, dummy_space, component, assigned, admin_user, db, role
):
    add_note(assigned, admin_user, "Ask the school.")
    db.session.commit()
    user = create_user(role)
    if role == "moderator":
        grant_role(dummy_space, user, role)
    login(user)
    for url in (
        admin_url(component, f"proposals/{assigned.id}"),
        valuation_url(component, f"proposals/{assigned.id}"),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Ask the school." not in response.get_data(as_text=True)
