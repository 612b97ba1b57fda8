"""Vote analytics: votes per project by profile field, for staff and (per setting) for all."""

from __future__ import annotations

import pytest
from tests_budgets_support import project_ids

from brique.plugin_api import ProfileField, now
from brique_budgets.ballots import new_receipt, receipt_hash
from brique_budgets.models import Ballot, BallotItem
from brique_budgets.results import compute_result

PROJECTS = [("Trees", 40_000), ("Skate park", 50_000)]


@pytest.fixture
def voted(db, create_user, make_component, make_budget):
    """``voted(settings)``: a budget with 6 online voters aged 18-29 and 1 aged 65+ for
    Trees, one paper ballot for the skate park; the result computed and published."""

    def make(settings):
        db.session.add(ProfileField(key="age_band", label="Age band", choices=["18-29", "65+"]))
        budget = make_budget(make_component(settings=settings), 100_000, PROJECTS)
        trees, skate = project_ids(budget)
        voters = [("18-29", trees)] * 6 + [("65+", trees), (None, skate)]
        for number, (band, project_id) in enumerate(voters):
            code = new_receipt()
            ballot = Ballot(
                budget_id=budget.id,
                component_id=budget.component_id,
                receipt_code=code,
                receipt_hash=receipt_hash(code),
                cast_at=now(),
            )
            if band is None:
                ballot.origin, ballot.voter_hash = "paper", "someone"
            else:
                user = create_user(f"voter{number}")
                user.profile = {"age_band": band}
                ballot.user_id = user.id
            db.session.add(ballot)
            db.session.flush()
            db.session.add(BallotItem(ballot_id=ballot.id, project_id=project_id))
        compute_result(budget.component, budget, None)
        budget.results_published_at = now()
        db.session.commit()
        return budget

    return make


def url(budget):
    component = budget.component
    return f"/processes/{component.space.slug}/c/{component.id}/{budget.id}/analytics"


def test_staff_see_every_count_by_profile(client, login, admin_user, voted):
    budget = voted({"analytics_fields": ["age_band"]})
    page = login(admin_user).get(url(budget)).text
    assert "Age band" in page and "<td>6</td>" in page and "<td>1</td>" in page
    assert "not known" in page


def test_the_public_sees_them_when_the_setting_says_so_without_small_counts(client, voted):
    budget = voted({"analytics_fields": ["age_band"], "analytics_public": True})
    page = client.get(url(budget)).text
    assert "<td>6</td>" in page and "<td>&lt;5</td>" in page and "<td>1</td>" not in page


def test_the_public_does_not_see_them_otherwise(client, voted):
    budget = voted({"analytics_fields": ["age_band"]})
    assert client.get(url(budget)).status_code == 404
