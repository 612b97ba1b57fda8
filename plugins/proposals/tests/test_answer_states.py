"""Answer states: the four built in, and those admins add, rename, recolour, reorder and
delete; a state proposals use cannot be deleted, by the page or by the database."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from brique.models import ActionLogEntry
from brique_proposals.answer_states import (
    StateChoice,
    StateInUse,
    add_state,
    answer_states,
    delete_state,
    make_key,
)
from brique_proposals.answers import answer
from brique_proposals.models import AnswerState


@pytest.fixture
def app_config():
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def states_url(component, path=""):
    return f"/admin/components/{component.id}/answer-states/{path}"


def keys(component):
    return [choice.key for choice in answer_states(component)]


def verbs(db):
    return db.session.scalars(select(ActionLogEntry.verb).order_by(ActionLogEntry.id)).all()


def test_the_built_in_states_come_first_then_the_admins_own_in_their_order(
    component, admin_user, db
):
    add_state(component, admin_user, "Sent to the council", "#004488")
    add_state(component, admin_user, "Already planned", "#225500")
    db.session.commit()
    assert keys(component) == [
        "not_answered",
        "evaluating",
        "accepted",
        "rejected",
        "sent_to_the_council",
        "already_planned",
    ]


def test_a_key_is_readable_and_never_takes_a_reserved_or_used_word():
    assert make_key("Déjà prévu !", set()) == "deja_prevu"
    assert make_key("Accepted", set()) == "accepted_2"
    assert make_key("Withdrawn", set()) == "withdrawn_2"
    assert make_key("Déjà prévu", {"deja_prevu", "deja_prevu_2"}) == "deja_prevu_3"
    assert make_key("!!!", set()) == "state"


def test_the_database_refuses_a_custom_state_named_like_a_built_in_one(component, db):
    db.session.add(AnswerState(component_id=component.id, key="accepted", label="Accepted"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_badge_text_is_white_on_dark_colours_and_black_on_light_ones():
    assert StateChoice("a", "A", "#1b5e20").text_colour == "#ffffff"
    assert StateChoice("b", "B", "#ffeb3b").text_colour == "#1a1a1a"


def test_an_admin_adds_a_state_from_its_page_and_it_is_logged(
    client, login, admin_user, component, db
):
    response = login(admin_user).post(
        states_url(component), data={"label": "Already planned", "colour": "#225500"}
    )
    assert response.status_code == 303
    state = db.session.scalar(select(AnswerState))
    assert (state.key, state.label, state.colour) == (
        "already_planned",
        "Already planned",
        "#225500",
    )
    assert verbs(db) == ["proposals.add_answer_state"]
    page = client.get(states_url(component)).get_data(as_text=True)
    assert "Already planned" in page and "background: #225500" in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"label": "", "colour": "#225500"}, "field-label"),
        ({"label": "X", "colour": "red"}, "field-colour"),
    ],
)
def test_a_state_needs_a_name_and_a_colour_like_rrggbb(
    client, login, admin_user, component, db, data, field
):
    response = login(admin_user).post(states_url(component), data=data)
    assert response.status_code == 422
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(AnswerState)) is None


def test_renaming_a_state_keeps_its_key_and_the_proposals_in_it(
    client, login, admin_user, component, make_proposal, db
):
    state = add_state(component, admin_user, "Planned", "#225500")
    db.session.commit()
    proposal = make_proposal(component)
    answer(proposal, admin_user, {"state": state.key})
    db.session.commit()
    response = login(admin_user).post(
        states_url(component, f"{state.id}/edit"),
        data={"label": "Planned for 2027", "colour": "#113300"},
    )
    assert response.status_code == 303
    db.session.refresh(state)
    db.session.refresh(proposal)
    assert (state.key, state.label, state.colour) == ("planned", "Planned for 2027", "#113300")
    assert proposal.answer_state == "planned"
    entry = db.session.scalar(
        select(ActionLogEntry).where(ActionLogEntry.verb == "proposals.edit_answer_state")
    )
    assert entry.before == {"label": "Planned", "colour": "#225500"}
    assert entry.after == {"label": "Planned for 2027", "colour": "#113300"}


def test_states_move_up_and_down(client, login, admin_user, component, db):
    first = add_state(component, admin_user, "First", "#111111")
    add_state(component, admin_user, "Second", "#222222")
    third = add_state(component, admin_user, "Third", "#333333")
    db.session.commit()
    login(admin_user)
    client.post(states_url(component, f"{third.id}/move"), data={"direction": "up"})
    client.post(states_url(component, f"{first.id}/move"), data={"direction": "up"})  # at the top
    assert keys(component)[4:] == ["first", "third", "second"]
    client.post(states_url(component, f"{first.id}/move"), data={"direction": "down"})
    assert keys(component)[4:] == ["third", "first", "second"]
    assert verbs(db).count("proposals.move_answer_state") == 2


def test_an_unused_state_is_deleted(client, login, admin_user, component, db):
    state = add_state(component, admin_user, "Planned", "#225500")
    db.session.commit()
    response = login(admin_user).post(states_url(component, f"{state.id}/delete"))
    assert response.status_code == 303
    assert db.session.scalar(select(AnswerState)) is None
    assert verbs(db)[-1] == "proposals.delete_answer_state"


def test_a_state_in_use_cannot_be_deleted(client, login, admin_user, component, make_proposal, db):
    state = add_state(component, admin_user, "Planned", "#225500")
    db.session.commit()
    answer(make_proposal(component), admin_user, {"state": state.key})
    db.session.commit()
    response = login(admin_user).post(states_url(component, f"{state.id}/delete"))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Proposals have the state “Planned”" in page
    assert db.session.get(AnswerState, state.id) is not None
    assert "proposals.delete_answer_state" not in verbs(db)
    with pytest.raises(StateInUse):
        delete_state(state, admin_user)


def test_the_database_refuses_to_delete_a_state_in_use(component, make_proposal, admin_user, db):
    state = add_state(component, admin_user, "Planned", "#225500")
    db.session.commit()
    answer(make_proposal(component), admin_user, {"state": state.key})
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(delete(AnswerState).where(AnswerState.id == state.id))
        db.session.flush()
    db.session.rollback()


def test_states_of_another_component_are_not_found(
    client, login, admin_user, component, make_component, db
):
    other = make_component()
    state = add_state(other, admin_user, "Planned", "#225500")
    db.session.commit()
    login(admin_user)
    assert client.post(states_url(component, f"{state.id}/delete")).status_code == 404
    assert client.get(states_url(component, f"{state.id}/edit")).status_code == 404


@pytest.mark.parametrize("role", [None, "participant", "moderator", "valuator"])
def test_only_admins_manage_answer_states(
    client, login, create_user, grant_role, component, dummy_space, role
):
    if role is not None:
        user = create_user(role)
        if role != "participant":
            grant_role(dummy_space, user, role)
        login(user)
    refused = 302 if role is None else 403  # a visitor is sent to log in first
    assert client.get(states_url(component)).status_code == refused
    response = client.post(states_url(component), data={"label": "X", "colour": "#000000"})
    assert response.status_code == refused


def test_a_space_admin_manages_answer_states(
    client, login, create_user, grant_role, component, dummy_space
):
    login(grant_role(dummy_space, create_user("ana"), "admin"))
    assert client.get(states_url(component)).status_code == 200
