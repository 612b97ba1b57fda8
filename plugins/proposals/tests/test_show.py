"""A proposal's page: its text, authors, state, answer, supports, links and history."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from brique.plugin_api import Category, Scope, link, now
from brique_proposals.models import Coauthorship


@pytest.fixture
def app_config():
    """Pages in English, whatever the participants' language, so that tests read them."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def page_url(proposal):
    component = proposal.component
    return f"/processes/{component.space.slug}/c/{component.id}/{proposal.id}"


@pytest.fixture
def page(client):
    def get(proposal, status=200):
        response = client.get(page_url(proposal))
        assert response.status_code == status, response.text
        return response.text

    return get


def give_role(db, user, space, role):
    from brique.models import SpaceRole

    db.session.add(SpaceRole(space_id=space.id, user_id=user.id, role=role))
    db.session.commit()


# --- Text and authors ----------------------------------------------------------------------


def test_body_is_markdown_rendered_without_raw_html(component, make_proposal, page):
    proposal = make_proposal(
        component,
        title="<i>Banc</i>",
        body="Un **banc** [ici](https://example.org)\n\n<script>alert(1)</script>",
    )
    text = page(proposal)
    assert "&lt;i&gt;Banc&lt;/i&gt;" in text and "<i>Banc</i>" not in text
    assert "<strong>banc</strong>" in text
    assert 'href="https://example.org"' in text and "nofollow" in text
    assert "<script>alert(1)</script>" not in text


def test_authors_and_accepted_coauthors_link_to_their_profiles(
    db, component, make_proposal, create_user, page
):
    author, coauthor, invited = create_user("ana"), create_user("bruno"), create_user("chloe")
    proposal = make_proposal(component, author)
    db.session.add_all(
        [
            Coauthorship(proposal_id=proposal.id, user_id=coauthor.id, accepted_at=now()),
            Coauthorship(proposal_id=proposal.id, user_id=invited.id),
        ]
    )
    db.session.commit()
    text = page(proposal)
    assert '<a href="/people/ana">ana</a>' in text
    assert '<a href="/people/bruno">bruno</a>' in text
    assert "chloe" not in text


def test_anonymous_proposal_hides_its_author_from_the_public(
    component, make_proposal, create_user, page
):
    proposal = make_proposal(component, create_user("secretauthor"), anonymous=True)
    text = page(proposal)
    assert "Anonymous" in text and "secretauthor" not in text


@pytest.mark.parametrize("role", ["moderator", "admin", "valuator"])
def test_staff_see_who_wrote_an_anonymous_proposal(
    db, role, component, make_proposal, create_user, login, page
):
    proposal = make_proposal(component, create_user("secretauthor"), anonymous=True)
    staff = create_user()
    give_role(db, staff, component.space, role)
    login(staff)
    text = page(proposal)
    assert "Anonymous" in text and '<a href="/people/secretauthor">secretauthor</a>' in text


def test_other_participants_do_not_see_who_wrote_an_anonymous_proposal(
    component, make_proposal, create_user, dummy_user, login, page
):
    proposal = make_proposal(component, create_user("secretauthor"), anonymous=True)
    login(dummy_user)
    assert "secretauthor" not in page(proposal)


def test_a_proposal_recorded_offline_says_where_it_comes_from(component, make_proposal, page):
    proposal = make_proposal(component, origin="meeting", origin_note="Réunion du 12 mars")
    text = page(proposal)
    assert "Recorded at a meeting" in text and "Réunion du 12 mars" in text


def test_an_official_proposal_says_so(component, make_proposal, page):
    assert "Official proposal" in page(make_proposal(component, origin="official"))


def test_category_and_territory_are_shown(db, component, make_proposal, page):
    category, scope = Category(space=component.space, name="Mobilité"), Scope(name="Nord")
    db.session.add_all([category, scope])
    db.session.commit()
    text = page(make_proposal(component, category_id=category.id, scope_id=scope.id))
    assert "Mobilité" in text and "Nord" in text


# --- Who may see it ------------------------------------------------------------------------


def test_a_draft_is_not_found_for_anyone_but_its_authors(
    db, component, make_proposal, create_user, login, page
):
    author, coauthor, stranger = create_user(), create_user(), create_user()
    admin = create_user(admin=True)
    draft = make_proposal(component, author, status="draft", title="Secret draft")
    db.session.add(Coauthorship(proposal_id=draft.id, user_id=coauthor.id, accepted_at=now()))
    db.session.commit()
    page(draft, 404)
    for reader in (stranger, admin):
        login(reader)
        page(draft, 404)
    for reader in (author, coauthor):
        login(reader)
        assert "Secret draft" in page(draft)


def test_a_proposal_of_another_component_is_not_found(make_component, make_proposal, client):
    mine, other = make_component(), make_component()
    proposal = make_proposal(other)
    url = f"/processes/{mine.space.slug}/c/{mine.id}/{proposal.id}"
    assert client.get(url).status_code == 404


def test_a_hidden_proposal_shows_the_moderation_placeholder(db, component, make_proposal, page):
    from brique.models import Moderation

    proposal = make_proposal(component, title="Something rude", body="Rude words")
    db.session.add(
        Moderation(target_type="proposals.proposal", target_id=proposal.id, hidden_at=now())
    )
    db.session.commit()
    text = page(proposal)
    assert "hidden by moderation" in text
    assert "Something rude" not in text and "Rude words" not in text


# --- State and answer ----------------------------------------------------------------------


def test_the_published_answer_shows_its_state_text_and_cost(make_component, make_proposal, page):
    component = make_component(settings={"currency": "EUR"})
    proposal = make_proposal(
        component,
        answer_state="accepted",
        answer_text="Nous le **ferons**.",
        answer_published=True,
        answered_at=now(),
        cost=1200,
        execution_period="Printemps 2027",
    )
    text = page(proposal)
    assert "The institution\N{RIGHT SINGLE QUOTATION MARK}s answer" in text
    assert "Accepted" in text and "<strong>ferons</strong>" in text
    assert "€1,200" in text and "Printemps 2027" in text


def test_a_held_answer_is_not_shown(component, make_proposal, page):
    proposal = make_proposal(
        component, answer_state="rejected", answer_text="Pas possible.", answer_published=False
    )
    text = page(proposal)
    assert "Pas possible." not in text and "Rejected" not in text


def test_a_withdrawn_proposal_says_so_and_offers_no_support(
    component, make_proposal, dummy_user, login, page
):
    proposal = make_proposal(component, status="withdrawn", withdrawn_at=now())
    login(dummy_user)
    text = page(proposal)
    assert "Withdrawn" in text
    assert "/support" not in text


def test_a_merged_proposal_links_to_the_proposal_it_was_merged_into(component, make_proposal, page):
    target = make_proposal(component, title="The merged one")
    merged = make_proposal(
        component, title="A duplicate", status="merged", merged_into_id=target.id
    )
    text = page(merged)
    assert "The merged one" in text and f'/{target.id}"' in text


# --- Supports ------------------------------------------------------------------------------


def test_a_participant_sees_the_count_and_a_support_button(
    component, make_proposal, dummy_user, login, page
):
    proposal = make_proposal(component, supports_count=4)
    login(dummy_user)
    text = page(proposal)
    assert "4 supports" in text
    assert f'action="{page_url(proposal)}/support"' in text


def test_a_supporter_sees_a_button_to_take_their_support_back(
    db, component, make_proposal, dummy_user, login, page
):
    from brique_proposals.supports import support

    proposal = make_proposal(component)
    support(proposal, dummy_user)
    db.session.commit()
    login(dummy_user)
    text = page(proposal)
    assert "You support this proposal." in text
    assert f'action="{page_url(proposal)}/unsupport"' in text


def test_a_visitor_reads_why_they_cannot_support(component, make_proposal, page):
    text = page(make_proposal(component))
    assert "Log in to take part." in text and "/support" not in text


def test_frozen_supports_say_why(make_component, make_proposal, dummy_user, login, page):
    component = make_component(step={"supports_blocked": True})
    login(dummy_user)
    text = page(make_proposal(component))
    assert "Supports are frozen at this stage." in text and "/support" not in text


def test_threshold_progress_and_qualified_badge(make_component, make_proposal, page):
    component = make_component(settings={"threshold": 10})
    text = page(make_proposal(component, supports_count=4))
    assert re.search(r'<progress[^>]*max="10"[^>]*value="4"', text)
    qualified = make_proposal(component, supports_count=10, qualified_at=now())
    text = page(qualified)
    assert "Qualified" in text and "<progress" not in text


def test_hidden_counts_hide_the_count_and_the_progress(make_component, make_proposal, page):
    component = make_component(settings={"threshold": 10}, step={"supports_hidden": True})
    text = page(make_proposal(component, supports_count=4))
    assert "4 supports" not in text and "<progress" not in text
    assert "Support counts are hidden at this stage." in text


# --- Links, history, services --------------------------------------------------------------


def test_linked_resources_are_listed(db, component, make_proposal, page):
    proposal = make_proposal(component, title="Original")
    other = make_proposal(component, title="Related idea")
    link(("proposals.proposal", proposal.id), ("proposals.proposal", other.id), "related")
    db.session.commit()
    text = page(proposal)
    assert "Linked elsewhere" in text and "Related idea" in text


def test_history_lists_what_happened_in_order(clock, component, make_proposal, page):
    published = now() - timedelta(days=3)
    proposal = make_proposal(
        component,
        published_at=published,
        edited_at=published + timedelta(days=1),
        answered_at=published + timedelta(days=2),
        answer_state="evaluating",
        answer_published=True,
    )
    text = page(proposal)
    history = text[text.index('id="history-title"') :]
    positions = [history.index(what) for what in ("Published", "Edited", "Answered: Evaluating")]
    assert positions == sorted(positions)


def test_the_page_has_the_fingerprint_comments_follow_and_report(
    component, make_proposal, dummy_user, login, page
):
    from brique.plugin_api import resource_type

    proposal = make_proposal(component)
    login(dummy_user)
    text = page(proposal)
    assert resource_type("proposals.proposal").fingerprint(proposal) in text
    assert 'id="comments"' in text
    assert "/follow" in text and "Report" in text
