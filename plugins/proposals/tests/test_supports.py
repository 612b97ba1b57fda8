"""Supports: one per participant and proposal, the limits, the minimum and the threshold."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from brique_proposals.models import Participation, Proposal, Support
from brique_proposals.supports import SupportRefused, recount, support, unsupport


def test_support_counts_once_and_twice_is_refused(db, component, make_proposal, dummy_user):
    proposal = make_proposal(component)
    assert support(proposal, dummy_user) is True
    db.session.commit()
    with pytest.raises(SupportRefused) as refused:
        support(proposal, dummy_user)
    assert refused.value.code == "duplicate"
    db.session.rollback()
    db.session.refresh(proposal)
    assert proposal.supports_count == 1


def test_support_limit_refuses_the_next_support(db, make_component, make_proposal, create_user):
    component = make_component(settings={"support_limit": 2})
    voter = create_user()
    first, second, third = (make_proposal(component, title=f"P{n}") for n in range(3))
    support(first, voter)
    support(second, voter)
    db.session.commit()
    with pytest.raises(SupportRefused) as refused:
        support(third, voter)
    assert refused.value.code == "limit"
    db.session.rollback()
    unsupport(first, voter)
    support(third, voter)
    assert db.session.get(Participation, (component.id, voter.id)).supports == 2


def test_supports_count_only_from_the_minimum(db, make_component, make_proposal, create_user):
    component = make_component(settings={"minimum_supports": 3})
    voter = create_user()
    proposals = [make_proposal(component, title=f"P{n}") for n in range(3)]
    assert support(proposals[0], voter) is False
    assert support(proposals[1], voter) is False
    assert [p.supports_count for p in proposals] == [0, 0, 0]
    assert support(proposals[2], voter) is True
    for proposal in proposals:
        db.session.refresh(proposal)
    assert [p.supports_count for p in proposals] == [1, 1, 1]
    unsupport(proposals[0], voter)
    for proposal in proposals:
        db.session.refresh(proposal)
    assert [p.supports_count for p in proposals] == [0, 0, 0]
    assert recount(component.id) == 0


def test_threshold_qualifies_once_and_can_stop_supports(
    db, make_component, make_proposal, create_user
):
    from brique_proposals import signals

    component = make_component(settings={"threshold": 2, "supports_beyond_threshold": False})
    proposal = make_proposal(component)
    qualified = []
    signals.proposal_qualified.connect(lambda sender, **kw: qualified.append(sender), weak=False)
    support(proposal, create_user())
    assert proposal.qualified_at is None
    support(proposal, create_user())
    assert proposal.qualified_at is not None and qualified == [proposal]
    with pytest.raises(SupportRefused) as refused:
        support(proposal, create_user())
    assert refused.value.code == "threshold"


def test_recount_repairs_a_wrong_counter(db, component, make_proposal, dummy_user):
    proposal = make_proposal(component)
    support(proposal, dummy_user)
    proposal.supports_count = 7
    db.session.commit()
    assert recount(component.id) == 1
    assert proposal.supports_count == 1


def test_parallel_supports_from_one_participant_never_pass_the_limit(
    app, db, make_component, make_proposal, create_user
):
    component = make_component(settings={"support_limit": 3})
    voter = create_user()
    proposals = [make_proposal(component, title=f"P{n}") for n in range(12)]
    ids = [p.id for p in proposals] + [proposals[0].id] * 4

    def give(proposal_id):
        from brique.db import db as database

        with app.app_context():
            try:
                support(database.session.get(Proposal, proposal_id), database.session.merge(voter))
                database.session.commit()
                return True
            except Exception:
                database.session.rollback()
                return False

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(give, ids))
    db.session.expire_all()
    rows = db.session.scalar(
        select(func.count()).select_from(Support).where(Support.user_id == voter.id)
    )
    assert rows == 3 == results.count(True)
    assert db.session.get(Participation, (component.id, voter.id)).supports == 3
    assert recount(component.id) == 0
