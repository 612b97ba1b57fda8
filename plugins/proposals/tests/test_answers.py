"""Answers: given by staff, published at once or held, with costs when the step asks for
them; published one by one or in bulk; authors and followers told once; every change logged."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from brique.follows.service import follow
from brique.models import ActionLogEntry, Notification
from brique_proposals import signals
from brique_proposals.answers import AnswerRefused, announce, answer, publish_answers
from brique_proposals.models import Proposal


@pytest.fixture
def app_config():
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def held(make_component):
    """A component whose current step holds answers until an admin publishes them."""
    return make_component(step={"answers_published": False})


@pytest.fixture
def with_costs(make_component):
    return make_component(step={"answers_with_costs": True})


@pytest.fixture
def answered():
    """The proposals ``proposal-answered`` was sent for, in order."""
    sent = []

    def receive(sender, **kwargs):
        sent.append((sender.id, kwargs["state"]))

    signals.proposal_answered.connect(receive)
    yield sent
    signals.proposal_answered.disconnect(receive)


def admin_url(component, path=""):
    return f"/admin/components/{component.id}/{path}"


@pytest.fixture
def kinds_of(app, db):
    """``kinds_of(user)``: the kinds of ``user``'s notifications, once the jobs have run."""
    from brique.jobs.queue import work

    def kinds(user):
        db.session.commit()
        work(app, once=True)
        db.session.expire_all()
        rows = db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
        return list(rows)

    return kinds


def log_of(db, verb):
    return db.session.scalars(
        select(ActionLogEntry).where(ActionLogEntry.verb == verb).order_by(ActionLogEntry.id)
    ).all()


def post_answer(client, component, proposal, **data):
    return client.post(admin_url(component, f"proposals/{proposal.id}/answer"), data=data)


# --- Published at once ------------------------------------------------------------------------


def test_an_answer_is_published_at_once_when_the_step_says_so(
    client, login, admin_user, component, make_proposal, dummy_user, db, answered
):
    proposal = make_proposal(component, dummy_user)
    response = post_answer(
        login(admin_user), component, proposal, state="accepted", answer_text="We will do it."
    )
    assert response.status_code == 303
    db.session.refresh(proposal)
    assert (proposal.answer_state, proposal.answer_published) == ("accepted", True)
    assert proposal.answered_at is not None and proposal.state == "accepted"
    assert answered == [(proposal.id, "accepted")]


def test_authors_and_followers_are_told_of_a_published_answer_but_not_the_staff_member(
    client, login, admin_user, component, make_proposal, create_user, db, kinds_of
):
    author, follower = create_user("author"), create_user("follower")
    proposal = make_proposal(component, author)
    for person in (author, follower, admin_user):
        follow(person.id, "proposals.proposal", proposal.id, component.space_id)
    db.session.commit()
    post_answer(
        login(admin_user), component, proposal, state="rejected", answer_text="**Too** dear."
    )
    assert kinds_of(author) == ["proposals.answered-author"]
    assert kinds_of(follower) == ["proposals.answered"]
    assert kinds_of(admin_user) == []
    notice = db.session.scalar(select(Notification).where(Notification.user_id == follower.id))
    assert notice.data["excerpt"] == "Too dear."
    assert notice.actor_id is None  # the institution answers, not one staff member


def test_saving_the_same_answer_again_tells_nobody_twice_and_logs_once(
    client, login, admin_user, component, make_proposal, dummy_user, db, answered, kinds_of
):
    proposal = make_proposal(component, dummy_user)
    login(admin_user)
    for _ in range(2):
        post_answer(client, component, proposal, state="evaluating", answer_text="We look.")
    assert answered == [(proposal.id, "evaluating")]
    assert kinds_of(dummy_user) == ["proposals.answered-author"]
    assert len(log_of(db, "proposals.answer")) == 1


def test_the_answer_is_logged_with_its_values_before_and_after(
    client, login, admin_user, component, make_proposal, dummy_user, db
):
    proposal = make_proposal(component, dummy_user)
    post_answer(login(admin_user), component, proposal, state="rejected", answer_text="No room.")
    (entry,) = log_of(db, "proposals.answer")
    assert entry.user_id == admin_user.id
    assert (entry.target_type, entry.target_id) == ("proposals.proposal", proposal.id)
    assert entry.before == {
        "answer_state": "not_answered",
        "answer_text": "",
        "answer_published": False,
    }
    assert entry.after == {
        "answer_state": "rejected",
        "answer_text": "No room.",
        "answer_published": True,
    }


def test_a_rejection_needs_its_reasons(client, login, admin_user, component, make_proposal, db):
    proposal = make_proposal(component)
    response = post_answer(login(admin_user), component, proposal, state="rejected")
    assert response.status_code == 422
    assert "Say why the proposal is rejected." in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.answer_state == "not_answered"
    assert log_of(db, "proposals.answer") == []


def test_an_unknown_state_is_refused(client, login, admin_user, component, make_proposal, db):
    proposal = make_proposal(component)
    response = post_answer(login(admin_user), component, proposal, state="maybe")
    assert response.status_code == 422
    db.session.refresh(proposal)
    assert proposal.answer_state == "not_answered"


@pytest.mark.parametrize("status", ["draft", "withdrawn", "merged"])
def test_only_published_proposals_are_answered(component, make_proposal, admin_user, status):
    proposal = make_proposal(component, status=status)
    with pytest.raises(AnswerRefused):
        answer(proposal, admin_user, {"state": "accepted", "answer_text": "Yes"})


# --- Held answers ---------------------------------------------------------------------------


def test_a_held_answer_is_hidden_from_the_public_and_tells_nobody(
    client, login, admin_user, held, make_proposal, dummy_user, db, answered, kinds_of
):
    proposal = make_proposal(held, dummy_user)
    post_answer(login(admin_user), held, proposal, state="accepted", answer_text="Yes")
    db.session.refresh(proposal)
    assert (proposal.answer_state, proposal.answer_published) == ("accepted", False)
    assert proposal.answer_held and proposal.state == "published"
    assert answered == [] and kinds_of(dummy_user) == []


def test_publishing_a_held_answer_tells_the_authors_once(
    client, login, admin_user, held, make_proposal, dummy_user, db, answered, kinds_of
):
    proposal = make_proposal(held, dummy_user)
    login(admin_user)
    post_answer(client, held, proposal, state="accepted", answer_text="Yes")
    for _ in range(2):
        response = client.post(admin_url(held, f"proposals/{proposal.id}/answer/publish"))
        assert response.status_code == 303
    db.session.refresh(proposal)
    assert proposal.answer_published and proposal.answered_at is not None
    assert answered == [(proposal.id, "accepted")]
    assert kinds_of(dummy_user) == ["proposals.answered-author"]
    (entry,) = log_of(db, "proposals.publish_answer")
    assert entry.before == {"answer_published": False}
    assert entry.after == {"answer_published": True}


def test_changing_a_published_answer_while_answers_are_held_holds_it_again(
    held, make_proposal, admin_user, db
):
    proposal = make_proposal(held, answer_state="accepted", answer_published=True)
    answer(proposal, admin_user, {"state": "rejected", "answer_text": "After all, no."})
    db.session.commit()
    assert proposal.answer_held and proposal.state == "published"


def test_bulk_publishing_publishes_the_selected_held_answers_only(
    client, login, admin_user, held, make_proposal, create_user, db, answered, kinds_of
):
    authors = [create_user(f"author{n}") for n in range(4)]
    first, second, not_selected, unanswered = (
        make_proposal(held, author, title=f"P{n}") for n, author in enumerate(authors)
    )
    login(admin_user)
    for proposal in (first, second, not_selected):
        post_answer(client, held, proposal, state="evaluating", answer_text="We look.")
    response = client.post(
        admin_url(held, "answers/publish"),
        data={"proposal": [first.id, second.id, unanswered.id], "state": "held"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("?state=held")
    assert sorted(answered) == [(first.id, "evaluating"), (second.id, "evaluating")]
    published = db.session.scalars(
        select(Proposal.id).where(Proposal.answer_published.is_(True)).order_by(Proposal.id)
    ).all()
    assert published == [first.id, second.id]
    assert [kinds_of(author) for author in authors] == [
        ["proposals.answered-author"],
        ["proposals.answered-author"],
        [],
        [],
    ]
    assert len(log_of(db, "proposals.publish_answer")) == 2


def test_bulk_publishing_without_a_selection_changes_nothing(
    client, login, admin_user, held, make_proposal, db
):
    proposal = make_proposal(held, answer_state="accepted")
    response = login(admin_user).post(admin_url(held, "answers/publish"), data={})
    assert response.status_code == 303
    db.session.refresh(proposal)
    assert not proposal.answer_published


def test_bulk_publishing_ignores_proposals_of_other_components(
    held, make_component, make_proposal, admin_user, db
):
    other = make_proposal(
        make_component(step={"answers_published": False}), answer_state="accepted"
    )
    assert publish_answers(held, [other.id], admin_user) == []
    db.session.refresh(other)
    assert not other.answer_published


@pytest.mark.postgres_only
def test_two_staff_members_publishing_at_once_publish_and_announce_each_answer_once(
    app, db, held, make_proposal, create_user, admin_user, database_url
):
    if not database_url:
        pytest.skip("needs PostgreSQL")
    proposals = [make_proposal(held, title=f"P{n}", answer_state="accepted") for n in range(20)]
    ids = [proposal.id for proposal in proposals]
    staff = [admin_user, create_user("other_admin", admin=True)]
    sent = []
    signals.proposal_answered.connect(lambda sender, **kw: sent.append(sender.id), weak=False)

    def publish(user_id):
        from brique.db import db as database
        from brique.models import User
        from brique.plugin_api import Component

        with app.app_context():
            user = database.session.get(User, user_id)
            published = publish_answers(database.session.get(Component, held.id), ids, user)
            database.session.commit()
            announce(published, user)
            return len(published)

    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(publish, [person.id for person in staff] * 3))
    assert sum(counts) == 20
    assert sorted(sent) == sorted(ids)
    assert len(log_of(db, "proposals.publish_answer")) == 20


# --- Costs ------------------------------------------------------------------------------------


def test_accepting_needs_a_cost_report_and_period_when_the_step_asks_for_costs(
    client, login, admin_user, with_costs, make_proposal, db
):
    proposal = make_proposal(with_costs)
    response = post_answer(login(admin_user), with_costs, proposal, state="accepted")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give the cost of an accepted proposal." in page
    assert "Explain how the cost was worked out." in page
    assert "Say when it would be done." in page
    db.session.refresh(proposal)
    assert proposal.answer_state == "not_answered"


def test_an_accepted_answer_keeps_its_cost_report_and_period(
    client, login, admin_user, with_costs, make_proposal, db
):
    proposal = make_proposal(with_costs)
    response = post_answer(
        login(admin_user),
        with_costs,
        proposal,
        state="accepted",
        cost="12500",
        cost_report="Two benches, installed.",
        execution_period="Spring 2027",
    )
    assert response.status_code == 303
    db.session.refresh(proposal)
    assert (proposal.cost, proposal.cost_report, proposal.execution_period) == (
        12500,
        "Two benches, installed.",
        "Spring 2027",
    )


def test_costs_are_optional_when_the_step_does_not_ask_and_dropped_unless_accepted(
    component, make_proposal, admin_user, db
):
    proposal = make_proposal(component)
    answer(proposal, admin_user, {"state": "accepted"})
    assert proposal.cost is None
    answer(proposal, admin_user, {"state": "rejected", "answer_text": "No", "cost": 9})
    assert proposal.cost is None


# --- What other components read ---------------------------------------------------------------


def test_budgets_read_accepted_proposals_with_their_cost(app, component, make_proposal, db):
    from brique.plugin_api import resource_type

    accepted = make_proposal(component, title="A", answer_state="accepted", cost=500)
    accepted.answer_published = True
    held_answer = make_proposal(component, title="B", answer_state="accepted", cost=700)
    withdrawn = make_proposal(
        component, title="C", status="withdrawn", answer_state="accepted", answer_published=True
    )
    db.session.commit()
    proposals = resource_type("proposals.proposal")
    with app.test_request_context():
        assert [p.id for p in proposals.list(component, state="accepted")] == [accepted.id]
        assert proposals.state(accepted) == "accepted"
        assert proposals.state(held_answer) == "published"
        assert proposals.state(withdrawn) == "withdrawn"
        assert proposals.cost(accepted) == 500
        assert proposals.cost(held_answer) is None
        assert proposals.export_row(accepted)["cost"] == 500
        assert proposals.export_row(held_answer)["cost"] is None


@pytest.mark.parametrize("app_config", [{"LOCALES": ["en"], "WTF_CSRF_ENABLED": True}])
def test_an_answer_without_the_forms_token_changes_nothing(
    client, login, admin_user, component, make_proposal, db
):
    proposal = make_proposal(component)
    response = post_answer(login(admin_user), component, proposal, state="evaluating")
    assert response.status_code == 400
    db.session.refresh(proposal)
    assert proposal.answer_state == "not_answered"
