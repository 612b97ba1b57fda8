"""The staff's list of proposals: who reaches it, what it shows (never drafts), its filters,
sorts and counts, in a fixed number of queries; and proposals staff record themselves."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from brique import signals as core_signals
from brique.models import ActionLogEntry, Category, Scope
from brique.plugin_api import now
from brique_proposals import signals
from brique_proposals.models import Proposal
from brique_proposals.valuation import assign


@pytest.fixture
def app_config():
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def list_url(component, **args):
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/admin/components/{component.id}/" + (f"?{query}" if query else "")


def titles(response):
    """The titles of the listed proposals, in order."""
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = re.findall(
        r'<th scope="row">\s*<a href="[^"]+">([^<]+)</a>', response.get_data(as_text=True)
    )
    return rows


# --- Who reaches it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [
        (None, 302),  # to the login page
        ("participant", 403),
        ("valuator", 403),
        ("moderator", 403),
        ("space admin", 200),
        ("platform admin", 200),
    ],
)
def test_the_list_is_for_the_processs_administrators(
    client, login, create_user, grant_role, dummy_space, component, role, status
):
    if role == "platform admin":
        login(create_user("root", admin=True))
    elif role is not None:
        user = create_user(role.replace(" ", "_"))
        if role != "participant":
            grant_role(dummy_space, user, role.replace("space ", ""))
        login(user)
    assert client.get(list_url(component)).status_code == status


def test_the_list_shows_every_proposal_but_drafts(
    client, login, admin_user, component, make_proposal
):
    make_proposal(component, title="Published one")
    make_proposal(component, title="Withdrawn one", status="withdrawn")
    make_proposal(component, title="A draft", status="draft")
    listed = titles(login(admin_user).get(list_url(component)))
    assert sorted(listed) == ["Published one", "Withdrawn one"]


def test_a_draft_has_no_admin_page(client, login, admin_user, component, make_proposal):
    draft = make_proposal(component, status="draft")
    response = login(admin_user).get(f"/admin/components/{component.id}/proposals/{draft.id}")
    assert response.status_code == 404


def test_proposals_of_another_component_have_no_admin_page_here(
    client, login, admin_user, component, make_component, make_proposal
):
    other = make_proposal(make_component())
    response = login(admin_user).get(f"/admin/components/{component.id}/proposals/{other.id}")
    assert response.status_code == 404


# --- Filters, sorts and counts ----------------------------------------------------------------


@pytest.fixture
def varied(component, make_proposal, create_user, grant_role, dummy_space, admin_user, db):
    """Four proposals differing by answer, category, scope, valuator, threshold and origin."""
    category = Category(space_id=dummy_space.id, name="Green spaces")
    scope = Scope(name="North district")
    db.session.add_all([category, scope])
    db.session.commit()
    valuator = grant_role(dummy_space, create_user("vera"), "valuator")
    moment = now()
    bench = make_proposal(
        component,
        title="Bench",
        answer_state="accepted",
        answer_published=True,
        category_id=category.id,
        supports_count=9,
        qualified_at=moment,
        published_at=moment - timedelta(days=3),
    )
    trees = make_proposal(
        component,
        title="Trees",
        answer_state="accepted",
        scope_id=scope.id,
        supports_count=2,
        published_at=moment - timedelta(days=1),
    )
    lights = make_proposal(
        component,
        title="Lights",
        answer_state="rejected",
        answer_published=True,
        origin="meeting",
        origin_note="Réunion publique du 12 mars",
        supports_count=5,
        published_at=moment - timedelta(days=2),
    )
    make_proposal(component, title="Bins", supports_count=0, published_at=moment)
    assign(trees, valuator, admin_user)
    db.session.commit()
    return {
        "category": category,
        "scope": scope,
        "valuator": valuator,
        "lights": lights,
        "bench": bench,
    }


@pytest.mark.parametrize(
    "args, expected",
    [
        ({}, ["Bins", "Trees", "Lights", "Bench"]),
        ({"state": "accepted"}, ["Trees", "Bench"]),
        ({"state": "held"}, ["Trees"]),
        ({"state": "not_answered"}, ["Bins"]),
        ({"qualified": "yes"}, ["Bench"]),
        ({"qualified": "no"}, ["Bins", "Trees", "Lights"]),
        ({"origin": "meeting"}, ["Lights"]),
        ({"valuator": "none"}, ["Bins", "Lights", "Bench"]),
        ({"q": "tree"}, ["Trees"]),
        ({"sort": "most_supported"}, ["Bench", "Lights", "Trees", "Bins"]),
        ({"sort": "oldest"}, ["Bench", "Lights", "Trees", "Bins"]),
        ({"sort": "title"}, ["Bench", "Bins", "Lights", "Trees"]),
        ({"state": "nonsense", "sort": "nonsense"}, ["Bins", "Trees", "Lights", "Bench"]),
    ],
)
def test_filters_and_sorts(client, login, admin_user, component, varied, args, expected):
    assert titles(login(admin_user).get(list_url(component, **args))) == expected


def test_filters_by_category_scope_and_valuator(client, login, admin_user, component, varied):
    login(admin_user)
    assert titles(client.get(list_url(component, category=varied["category"].id))) == ["Bench"]
    assert titles(client.get(list_url(component, scope=varied["scope"].id))) == ["Trees"]
    assert titles(client.get(list_url(component, valuator=varied["valuator"].id))) == ["Trees"]


def test_the_list_counts_proposals_per_answer_state_and_the_held_ones(
    client, login, admin_user, component, varied
):
    page = login(admin_user).get(list_url(component)).get_data(as_text=True)
    counts = {
        label: int(number)
        for number, label in re.findall(
            r'<strong class="figure">(\d+)</strong>\s*<a href="[^"]+">([^<]+)</a>', page
        )
    }
    assert counts == {"Not answered": 1, "Evaluating": 0, "Accepted": 2, "Rejected": 1}
    assert "1 not published yet" in page


def test_the_list_shows_origins_and_moderation(client, login, admin_user, component, varied, db):
    from brique.models import Moderation

    db.session.add(
        Moderation(
            target_type="proposals.proposal",
            target_id=varied["bench"].id,
            space_id=component.space_id,
            report_count=3,
            pending_count=0,
            decision="hide",
            hidden_at=now(),
            created_at=now(),
        )
    )
    db.session.commit()
    page = login(admin_user).get(list_url(component)).get_data(as_text=True)
    assert "Made at a meeting: Réunion publique du 12 mars" in page
    assert page.count("Hidden by moderation") == 1


def test_a_page_of_the_list_takes_the_same_queries_however_many_proposals(
    client,
    login,
    admin_user,
    component,
    make_proposal,
    create_user,
    grant_role,
    dummy_space,
    db,
    count_queries,
):
    valuator = grant_role(dummy_space, create_user("vera"), "valuator")
    login(admin_user)

    def add(count):
        for number in range(count):
            proposal = make_proposal(component, title=f"P{number}", answer_state="evaluating")
            assign(proposal, valuator, admin_user)
        db.session.commit()

    add(3)
    with count_queries() as few:
        assert client.get(list_url(component)).status_code == 200
    add(30)
    with count_queries() as many:
        assert client.get(list_url(component)).status_code == 200
    assert len(many) == len(few)


def test_selected_filters_survive_pagination(
    client, login, admin_user, component, make_proposal, db
):
    for number in range(55):
        make_proposal(component, title=f"P{number}", answer_state="evaluating")
    page = login(admin_user).get(list_url(component, state="evaluating")).get_data(as_text=True)
    assert "page=2&amp;state=evaluating" in page or "state=evaluating&amp;page=2" in page


# --- Proposals recorded by staff ------------------------------------------------------------------


def record_url(component):
    return f"/admin/components/{component.id}/proposals/new"


def test_an_admin_records_a_proposal_made_at_a_public_meeting(
    client, login, admin_user, component, db
):
    created, published = [], []
    signals.proposal_created.connect(lambda sender, **kw: created.append(sender.id), weak=False)
    core_signals.resource_created.connect(
        lambda sender, **kw: published.append((sender, kw["user"])), weak=False
    )
    response = login(admin_user).post(
        record_url(component),
        data={
            "origin": "meeting",
            "origin_note": "Réunion publique du 12 mars",
            "title": "A market on Sundays",
            "body": "Voted by the room.",
        },
    )
    assert response.status_code == 303
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.status, proposal.origin, proposal.author_id) == ("published", "meeting", None)
    assert proposal.origin_note == "Réunion publique du 12 mars"
    assert created == [proposal.id] and published == [("proposals.proposal", None)]
    (entry,) = db.session.scalars(
        select(ActionLogEntry).where(ActionLogEntry.verb == "resource.create")
    ).all()
    assert entry.user_id == admin_user.id
    assert entry.after == {"origin": "meeting", "origin_note": "Réunion publique du 12 mars"}
    public = client.get(f"/processes/{component.space.slug}/c/{component.id}/{proposal.id}")
    assert "Réunion publique du 12 mars" in public.get_data(as_text=True)


def test_a_proposal_made_offline_says_who_and_where(client, login, admin_user, component, db):
    response = login(admin_user).post(
        record_url(component), data={"origin": "paper", "title": "A market", "body": "On paper."}
    )
    assert response.status_code == 422
    assert "Say who made it and where" in response.get_data(as_text=True)
    assert db.session.scalar(select(Proposal)) is None


def test_official_proposals_only_when_the_settings_allow_them(
    client, login, admin_user, make_component, db
):
    closed = make_component(settings={"official_proposals": False})
    login(admin_user)
    form = {"origin": "official", "title": "A market", "body": "The city proposes it."}
    assert client.post(record_url(closed), data=form).status_code == 422
    assert db.session.scalar(select(Proposal)) is None
    opened = make_component()
    assert client.post(record_url(opened), data=form).status_code == 303
    assert db.session.scalar(select(Proposal.origin)) == "official"


def test_only_admins_record_proposals(
    client, login, create_user, grant_role, dummy_space, component, db
):
    login(grant_role(dummy_space, create_user("vera"), "valuator"))
    form = {"origin": "official", "title": "A market", "body": "The city proposes it."}
    assert client.post(record_url(component), data=form).status_code == 403
    assert db.session.scalar(select(Proposal)) is None
