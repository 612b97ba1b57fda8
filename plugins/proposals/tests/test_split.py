"""Splitting a proposal: new proposals replace it, its supporters get their support back."""

import pytest
from sqlalchemy import func, select

from brique.plugin_api import db, linked
from brique_proposals.merging import ProposalDraft, TransferRefused, split
from brique_proposals.models import Participation, Proposal, Support
from brique_proposals.supports import recount, support

PARTS = [
    ProposalDraft(title="Des bancs au parc", body="Dix bancs à l'ombre au parc de la Source."),
    ProposalDraft(title="Des fontaines au parc", body="Deux fontaines à eau au parc de la Source."),
]


def supports_used(component, user):
    return db.session.get(Participation, (component.id, user.id)).supports


@pytest.fixture
def original(component, make_proposal):
    return make_proposal(component, title="Des bancs et des fontaines au parc")


def test_split_creates_the_parts_and_marks_the_original_split(component, original, admin_user):
    parts = split(component, original.id, admin_user, PARTS)
    db.session.commit()
    assert [(p.title, p.status, p.origin) for p in parts] == [
        ("Des bancs au parc", "published", "official"),
        ("Des fontaines au parc", "published", "official"),
    ]
    assert (original.status, original.merged_into_id) == ("split", None)
    linked_ids = [ref.id for ref in linked(("proposals.proposal", original.id), "split_into")]
    assert sorted(linked_ids) == [p.id for p in parts]


def test_split_gives_every_support_back_and_copies_none(
    component, original, make_proposal, create_user, admin_user
):
    voter, other = create_user(), create_user()
    support(original, voter)
    support(make_proposal(component, title="Autre"), voter)
    support(original, other)
    db.session.commit()
    parts = split(component, original.id, admin_user, PARTS)
    db.session.commit()
    assert original.supports_count == 0 and [p.supports_count for p in parts] == [0, 0]
    assert db.session.scalar(select(func.count()).select_from(Support)) == 1
    assert (supports_used(component, voter), supports_used(component, other)) == (1, 0)
    assert recount(component.id) == 0


def test_split_keeps_counts_exact_under_the_minimum_supports(
    make_component, make_proposal, create_user, admin_user
):
    component = make_component(settings={"minimum_supports": 2})
    original, kept = make_proposal(component, title="A"), make_proposal(component, title="B")
    voter = create_user()
    support(original, voter)
    support(kept, voter)
    db.session.commit()
    assert kept.supports_count == 1
    split(component, original.id, admin_user, PARTS)
    db.session.commit()
    db.session.refresh(kept)
    assert kept.supports_count == 0  # one support left: below the minimum
    assert recount(component.id) == 0


def test_split_needs_two_parts_and_a_published_proposal(component, original, admin_user):
    with pytest.raises(TransferRefused) as refused:
        split(component, original.id, admin_user, PARTS[:1])
    assert refused.value.code == "too_few"
    split(component, original.id, admin_user, PARTS)
    db.session.commit()
    with pytest.raises(TransferRefused) as refused:
        split(component, original.id, admin_user, PARTS)
    assert refused.value.code == "status"


def test_split_is_logged(component, original, admin_user):
    from brique.models import ActionLogEntry

    split(component, original.id, admin_user, PARTS)
    db.session.commit()
    verbs = db.session.scalars(select(ActionLogEntry.verb)).all()
    assert verbs.count("proposals.split") == 1 and verbs.count("proposals.split_part") == 2


# --- The page -------------------------------------------------------------------------------


def part_data(count=2, **changes):
    data = {"parts": count}
    for number in range(1, count + 1):
        data[f"part{number}-title"] = f"Partie numéro {number}"
        data[f"part{number}-body"] = f"Le texte de la partie numéro {number}, assez long."
    return {**data, **changes}


def test_split_page_offers_two_prefilled_parts_and_more_on_request(
    client, login, component, original, admin_user
):
    login(admin_user)
    url = f"/admin/components/{component.id}/split/{original.id}"
    text = client.get(url).get_data(as_text=True)
    assert text.count('value="Des bancs et des fontaines au parc"') == 2
    assert f"{url}?parts=3" in text
    assert client.get(f"{url}?parts=3").get_data(as_text=True).count("<fieldset") >= 3


def test_split_page_splits_on_post(client, login, component, original, admin_user):
    login(admin_user)
    response = client.post(
        f"/admin/components/{component.id}/split/{original.id}", data=part_data(3)
    )
    assert response.status_code == 302
    titles = db.session.scalars(
        select(Proposal.title).where(Proposal.status == "published").order_by(Proposal.id)
    ).all()
    assert titles == ["Partie numéro 1", "Partie numéro 2", "Partie numéro 3"]


def test_split_page_with_a_wrong_part_changes_nothing(
    client, login, component, original, admin_user
):
    login(admin_user)
    response = client.post(
        f"/admin/components/{component.id}/split/{original.id}",
        data=part_data(2, **{"part2-title": ""}),
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 1
    assert original.status == "published"


def test_the_public_page_of_a_split_proposal_says_so_and_links_its_parts(
    app, component, original, admin_user, client
):
    app.config.update(LOCALES=["en"], DEFAULT_LOCALE="en")
    parts = split(component, original.id, admin_user, PARTS)
    db.session.commit()
    space = component.space
    page = client.get(f"/processes/{space.slug}/c/{component.id}/{original.id}").text
    assert ">Split into parts</span>" in page and "This proposal was split into several" in page
    assert all(f"/c/{component.id}/{part.id}" in page for part in parts)
