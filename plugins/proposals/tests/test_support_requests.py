"""Supporting over HTTP: the forms, the refusals that change nothing, and parallel requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from brique_proposals.models import Participation, Proposal, Support
from brique_proposals.supports import recount, support

PARALLEL = 8


@pytest.fixture
def app_config():
    """Pages in English, whatever the participants' language, so that tests read them."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def page_url(proposal):
    component = proposal.component
    return f"/processes/{component.space.slug}/c/{component.id}/{proposal.id}"


def supports_of(db, user):
    return db.session.scalar(
        select(func.count()).select_from(Support).where(Support.user_id == user.id)
    )


def used(db, component, user):
    row = db.session.get(Participation, (component.id, user.id))
    return row.supports if row is not None else 0


# --- Giving and taking back ----------------------------------------------------------------


def test_supporting_counts_and_returns_to_the_list_with_its_filters(
    db, component, make_proposal, dummy_user, login, client
):
    proposal = make_proposal(component)
    login(dummy_user)
    back = f"/processes/{component.space.slug}/c/{component.id}/?sort=recent&q=bench"
    response = client.post(f"{page_url(proposal)}/support", data={"next": back})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{back}#proposal-{proposal.id}"
    db.session.refresh(proposal)
    assert proposal.supports_count == 1 and supports_of(db, dummy_user) == 1
    assert "You support this proposal." in client.get(back).text


def test_taking_a_support_back_removes_it(db, component, make_proposal, dummy_user, login, client):
    proposal = make_proposal(component)
    support(proposal, dummy_user)
    db.session.commit()
    login(dummy_user)
    response = client.post(f"{page_url(proposal)}/unsupport")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{page_url(proposal)}#proposal-{proposal.id}"
    db.session.refresh(proposal)
    assert proposal.supports_count == 0 and supports_of(db, dummy_user) == 0
    assert used(db, component, dummy_user) == 0


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x", "/admin/"])
def test_after_supporting_nobody_is_sent_outside_the_component(
    elsewhere, component, make_proposal, dummy_user, login, client
):
    proposal = make_proposal(component)
    login(dummy_user)
    response = client.post(f"{page_url(proposal)}/support", data={"next": elsewhere})
    assert response.headers["Location"] == f"{page_url(proposal)}#proposal-{proposal.id}"


def test_supports_below_the_minimum_are_recorded_but_do_not_count_yet(
    db, make_component, make_proposal, dummy_user, login, client
):
    component = make_component(settings={"minimum_supports": 2})
    proposal = make_proposal(component)
    login(dummy_user)
    client.post(f"{page_url(proposal)}/support")
    db.session.refresh(proposal)
    assert supports_of(db, dummy_user) == 1 and proposal.supports_count == 0
    assert "It counts once you have supported 2 proposals." in client.get(page_url(proposal)).text


# --- Refusals change nothing ---------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in(db, component, make_proposal, client):
    proposal = make_proposal(component)
    response = client.post(f"{page_url(proposal)}/support")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Support)) == 0


def test_frozen_supports_refuse_both_giving_and_taking_back(
    db, make_component, make_proposal, dummy_user, login, client
):
    component = make_component(step={"supports_blocked": True})
    proposal, supported = make_proposal(component), make_proposal(component, title="Supported")
    db.session.add(
        Support(proposal_id=supported.id, user_id=dummy_user.id, component_id=component.id)
    )
    supported.supports_count = 1
    db.session.commit()
    login(dummy_user)
    refused = client.post(f"{page_url(proposal)}/support")
    assert refused.status_code == 403 and "Supports are frozen at this stage." in refused.text
    assert client.post(f"{page_url(supported)}/unsupport").status_code == 403
    db.session.refresh(supported)
    assert supports_of(db, dummy_user) == 1 and supported.supports_count == 1


def test_supports_closed_in_this_step_are_refused(
    db, make_component, make_proposal, dummy_user, login, client
):
    component = make_component(step={"supports_enabled": False})
    proposal = make_proposal(component)
    login(dummy_user)
    assert client.post(f"{page_url(proposal)}/support").status_code == 403
    assert supports_of(db, dummy_user) == 0


def test_the_support_limit_holds_over_http(
    db, make_component, make_proposal, dummy_user, login, client
):
    component = make_component(settings={"support_limit": 2})
    first, second, third = (make_proposal(component, title=f"P{n}") for n in range(3))
    login(dummy_user)
    assert client.post(f"{page_url(first)}/support").status_code == 303
    assert client.post(f"{page_url(second)}/support").status_code == 303
    refused = client.post(f"{page_url(third)}/support")
    assert refused.status_code == 403 and "You have used all your supports." in refused.text
    assert supports_of(db, dummy_user) == 2 and used(db, component, dummy_user) == 2
    assert client.post(f"{page_url(first)}/unsupport").status_code == 303
    assert client.post(f"{page_url(third)}/support").status_code == 303
    assert supports_of(db, dummy_user) == 2 and used(db, component, dummy_user) == 2


def test_supporting_twice_is_refused_and_changes_nothing(
    db, component, make_proposal, dummy_user, login, client
):
    proposal = make_proposal(component)
    login(dummy_user)
    client.post(f"{page_url(proposal)}/support")
    again = client.post(f"{page_url(proposal)}/support")
    assert again.status_code == 422 and "You already support this proposal." in again.text
    db.session.refresh(proposal)
    assert proposal.supports_count == 1 and used(db, component, dummy_user) == 1


def test_a_proposal_that_has_all_its_supports_refuses_more(
    db, make_component, make_proposal, dummy_user, login, client
):
    component = make_component(settings={"threshold": 1, "supports_beyond_threshold": False})
    proposal = make_proposal(component, supports_count=1)
    login(dummy_user)
    refused = client.post(f"{page_url(proposal)}/support")
    assert refused.status_code == 422
    assert "This proposal has all the supports it needs." in refused.text
    db.session.refresh(proposal)
    assert proposal.supports_count == 1 and used(db, component, dummy_user) == 0


def test_a_withdrawn_proposal_cannot_be_supported(
    db, component, make_proposal, dummy_user, login, client
):
    proposal = make_proposal(component, status="withdrawn")
    login(dummy_user)
    assert client.post(f"{page_url(proposal)}/support").status_code == 403
    assert supports_of(db, dummy_user) == 0


def test_a_draft_of_someone_else_is_not_found(
    db, component, make_proposal, create_user, dummy_user, login, client
):
    draft = make_proposal(component, create_user(), status="draft")
    login(dummy_user)
    assert client.post(f"{page_url(draft)}/support").status_code == 404
    assert supports_of(db, dummy_user) == 0


def test_taking_back_a_support_one_never_gave_is_refused(
    db, component, make_proposal, dummy_user, login, client
):
    proposal = make_proposal(component)
    login(dummy_user)
    refused = client.post(f"{page_url(proposal)}/unsupport")
    assert refused.status_code == 422 and "You do not support this proposal." in refused.text
    assert used(db, component, dummy_user) == 0


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en", "WTF_CSRF_ENABLED": True}

    def test_a_support_without_the_form_token_is_refused(
        self, db, component, make_proposal, dummy_user, login, client
    ):
        proposal = make_proposal(component)
        login(dummy_user)
        assert client.post(f"{page_url(proposal)}/support").status_code == 400
        assert supports_of(db, dummy_user) == 0


# --- Parallel requests ---------------------------------------------------------------------


def post_in_parallel(app, requests):
    """Send ``(path, session_id)`` POSTs from separate threads, each with its own client
    (as tests/test_concurrency.py does for the core)."""

    def send(request):
        path, session_id = request
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        with app.app_context():
            return client.post(path).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(send, requests))


def test_parallel_supports_from_one_participant_stop_exactly_at_the_limit(
    app, db, make_component, make_proposal, dummy_user
):
    component = make_component(settings={"support_limit": 3})
    proposals = [make_proposal(component, title=f"P{n}") for n in range(12)]
    paths = [f"{page_url(p)}/support" for p in proposals] + [
        f"{page_url(proposals[0])}/support"
    ] * 4
    db.session.commit()
    statuses = post_in_parallel(app, [(path, dummy_user.get_id()) for path in paths])
    db.session.expire_all()
    assert statuses.count(303) == 3
    assert set(statuses) <= {303, 403, 422}
    assert supports_of(db, dummy_user) == 3 == used(db, component, dummy_user)
    counts = db.session.scalar(
        select(func.sum(Proposal.supports_count)).where(Proposal.component_id == component.id)
    )
    assert counts == 3
    assert recount(component.id) == 0
