"""The list of proposals: filters, orders, search, pages, and what each card shows."""

from __future__ import annotations

import re

import pytest

from brique.plugin_api import Category, Scope, now
from brique_proposals.models import AnswerState, Coauthorship, Support
from brique_proposals.queries import PER_PAGE
from brique_proposals.views import SEED_KEY


@pytest.fixture
def app_config():
    """Pages in English, whatever the participants' language, so that tests read them."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def list_url(component, **args):
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/processes/{component.space.slug}/c/{component.id}/" + (f"?{query}" if query else "")


def shown(response):
    """Ids of the proposals on the page, in their order."""
    assert response.status_code == 200, response.text
    return [int(found) for found in re.findall(r'id="proposal-(\d+)"', response.text)]


def ids(*proposals):
    return [proposal.id for proposal in proposals]


@pytest.fixture
def listed(client, component):
    def get(**args):
        return shown(client.get(list_url(component, **args)))

    return get


# --- What the list holds -------------------------------------------------------------------


def test_list_shows_published_proposals_but_neither_drafts_nor_withdrawn_ones(
    component, make_proposal, dummy_user, listed
):
    published = make_proposal(component, title="Published")
    make_proposal(component, dummy_user, title="Draft", status="draft")
    make_proposal(component, title="Withdrawn", status="withdrawn", withdrawn_at=now())
    assert listed(sort="recent") == ids(published)


def test_withdrawn_filter_shows_only_withdrawn_proposals(component, make_proposal, listed):
    make_proposal(component, title="Published")
    withdrawn = make_proposal(component, title="Withdrawn", status="withdrawn")
    assert listed(state="withdrawn") == ids(withdrawn)


def test_list_of_another_component_does_not_show_these_proposals(
    make_component, make_proposal, client
):
    mine, other = make_component(), make_component()
    make_proposal(other)
    assert shown(client.get(list_url(mine))) == []


def test_category_filter_keeps_the_category_and_its_subcategories(
    db, component, make_proposal, listed
):
    parent = Category(space=component.space, name="Mobilité")
    db.session.add(parent)
    db.session.flush()
    child = Category(space=component.space, name="Vélo", parent_id=parent.id)
    other = Category(space=component.space, name="Culture")
    db.session.add_all([child, other])
    db.session.commit()
    in_parent = make_proposal(component, title="Bus", category_id=parent.id)
    in_child = make_proposal(component, title="Pistes", category_id=child.id)
    make_proposal(component, title="Musée", category_id=other.id)
    assert sorted(listed(category=parent.id)) == sorted(ids(in_parent, in_child))
    assert listed(category=child.id) == ids(in_child)


def test_scope_filter_keeps_proposals_of_that_territory(db, component, make_proposal, listed):
    north, south = Scope(name="Nord"), Scope(name="Sud")
    db.session.add_all([north, south])
    db.session.commit()
    in_north = make_proposal(component, title="North", scope_id=north.id)
    make_proposal(component, title="South", scope_id=south.id)
    assert listed(scope=north.id) == ids(in_north)


def test_filter_values_the_form_does_not_offer_are_ignored(component, make_proposal, listed):
    proposal = make_proposal(component)
    assert listed(category="abc", scope=999, state="nonsense", sort="evil", page="x") == ids(
        proposal
    )


def test_state_filter_reads_published_answers_only(component, make_proposal, listed):
    accepted = make_proposal(
        component, title="Accepted", answer_state="accepted", answer_published=True
    )
    held = make_proposal(component, title="Held", answer_state="accepted", answer_published=False)
    plain = make_proposal(component, title="Plain")
    assert listed(state="accepted") == ids(accepted)
    assert sorted(listed(state="not_answered")) == sorted(ids(held, plain))


def test_state_filter_offers_the_admins_own_states(db, component, make_proposal, client):
    db.session.add(AnswerState(component_id=component.id, key="planned", label="Déjà prévu"))
    db.session.commit()
    planned = make_proposal(component, answer_state="planned", answer_published=True)
    make_proposal(component, title="Other")
    response = client.get(list_url(component, state="planned"))
    assert shown(response) == ids(planned)
    assert "Déjà prévu" in response.text


def test_mine_filter_keeps_what_the_participant_wrote_or_coauthored(
    db, component, make_proposal, create_user, login, client
):
    me, someone = create_user(), create_user()
    written = make_proposal(component, me, title="Mine")
    coauthored = make_proposal(component, someone, title="Ours")
    invited = make_proposal(component, someone, title="Only invited")
    make_proposal(component, someone, title="Theirs")
    db.session.add_all(
        [
            Coauthorship(proposal_id=coauthored.id, user_id=me.id, accepted_at=now()),
            Coauthorship(proposal_id=invited.id, user_id=me.id),
        ]
    )
    db.session.commit()
    login(me)
    assert sorted(shown(client.get(list_url(component, mine=1)))) == sorted(
        ids(written, coauthored)
    )


def test_personal_filters_are_ignored_for_visitors_not_logged_in(
    component, make_proposal, dummy_user, listed
):
    make_proposal(component, dummy_user)
    make_proposal(component, title="Other")
    assert len(listed(mine=1, supported=1)) == 2


def test_supported_filter_keeps_what_the_participant_supports(
    db, component, make_proposal, dummy_user, login, client
):
    supported = make_proposal(component, title="Supported")
    make_proposal(component, title="Not supported")
    db.session.add(
        Support(proposal_id=supported.id, user_id=dummy_user.id, component_id=component.id)
    )
    db.session.commit()
    login(dummy_user)
    assert shown(client.get(list_url(component, supported=1))) == ids(supported)


def test_qualified_filter_keeps_proposals_that_reached_the_threshold(
    make_component, make_proposal, client
):
    component = make_component(settings={"threshold": 2})
    qualified = make_proposal(component, title="Qualified", qualified_at=now(), supports_count=2)
    make_proposal(component, title="Not yet", supports_count=1)
    response = client.get(list_url(component, qualified=1))
    assert shown(response) == ids(qualified)
    assert "Qualified" in response.text


def test_search_finds_every_word_in_the_title_or_the_text_whatever_the_case(
    component, make_proposal, listed
):
    both = make_proposal(component, title="Des BANCS au parc", body="À l'ombre des arbres")
    make_proposal(component, title="Des bancs", body="Sur la place")
    make_proposal(component, title="Un parc", body="Pour les enfants")
    assert listed(q="bancs+arbres") == ids(both)


def test_search_matches_without_accents_and_across_plurals(component, make_proposal, listed):
    bikes = make_proposal(component, title="Des vélos pour tous", body="Un atelier")
    make_proposal(component, title="Un parc", body="Pour les enfants")
    assert listed(q="velo") == ids(bikes)
    assert listed(q="VÉLOS") == ids(bikes)


def test_search_leaves_out_proposals_of_other_components(
    dummy_space, create_component, component, make_proposal, listed
):
    other = create_component(dummy_space, "proposals")
    make_proposal(other, title="Des vélos ailleurs")
    here = make_proposal(component, title="Des vélos ici")
    assert listed(q="velos") == ids(here)


# --- Orders --------------------------------------------------------------------------------


def test_recent_order_puts_the_latest_published_first(clock, component, make_proposal, listed):
    from datetime import timedelta

    old = make_proposal(component, title="Old", published_at=now() - timedelta(days=2))
    new = make_proposal(component, title="New", published_at=now())
    middle = make_proposal(component, title="Middle", published_at=now() - timedelta(days=1))
    assert listed(sort="recent") == ids(new, middle, old)


def test_most_supported_order_puts_the_most_supported_first(component, make_proposal, listed):
    few = make_proposal(component, title="Few", supports_count=1)
    many = make_proposal(component, title="Many", supports_count=9)
    none = make_proposal(component, title="None")
    assert listed(sort="most_supported") == ids(many, few, none)


def add_comments(db, proposal, count, author):
    from brique.models import Comment
    from brique.plugin_api import signals

    for _ in range(count):
        db.session.add(
            Comment(
                resource_type="proposals.proposal",
                resource_id=proposal.id,
                component_id=proposal.component_id,
                space_id=proposal.component.space_id,
                author_id=author.id,
                body="Oui !",
            )
        )
    db.session.commit()
    # As the core's comment services announce it.
    signals.comments_counted.send("proposals.proposal", resource_ids=[proposal.id])


def test_most_commented_order_puts_the_most_commented_first_across_pages(
    db, component, make_proposal, dummy_user, listed
):
    quiet = [make_proposal(component, title=f"Quiet {n}") for n in range(PER_PAGE)]
    lively = make_proposal(component, title="Lively")
    discussed = make_proposal(component, title="Discussed")
    add_comments(db, lively, 3, dummy_user)
    add_comments(db, discussed, 1, dummy_user)
    first_page = listed(sort="most_commented")
    assert first_page[:2] == ids(lively, discussed)
    second_page = listed(sort="most_commented", page=2)
    assert len(first_page) == PER_PAGE and len(second_page) == 2
    assert sorted(first_page + second_page) == sorted(ids(*quiet, lively, discussed))


def test_card_shows_its_comment_count(db, component, make_proposal, dummy_user, client):
    proposal = make_proposal(component)
    add_comments(db, proposal, 2, dummy_user)
    assert "2 comments" in client.get(list_url(component, sort="recent")).text


def set_seed(client, seed):
    with client.session_transaction() as session:
        session[SEED_KEY] = seed


def test_random_order_is_the_key_order_rotated_at_the_visitors_seed(
    component, make_proposal, client
):
    keys = [0.1, 0.3, 0.5, 0.7, 0.9]
    proposals = [make_proposal(component, title=f"K{key}", random_key=key) for key in keys]
    set_seed(client, 0.6)
    assert shown(client.get(list_url(component, sort="random"))) == ids(
        proposals[3], proposals[4], proposals[0], proposals[1], proposals[2]
    )


def test_random_order_is_the_default_and_stays_the_same_for_one_visitor(
    component, make_proposal, client
):
    for n in range(PER_PAGE + 5):
        make_proposal(component, title=f"P{n}")
    first = shown(client.get(list_url(component)))
    again = shown(client.get(list_url(component)))
    second_page = shown(client.get(list_url(component, page=2)))
    assert first == again
    assert len(second_page) == 5 and not set(first) & set(second_page)


def test_random_order_differs_between_visitors(app, component, make_proposal, client):
    proposals = [make_proposal(component, title=f"P{n}", random_key=n / 10) for n in range(10)]
    other = app.test_client()
    set_seed(client, 0.05)
    set_seed(other, 0.55)
    mine = shown(client.get(list_url(component)))
    theirs = shown(other.get(list_url(component)))
    assert sorted(mine) == sorted(theirs) == sorted(ids(*proposals))
    assert mine != theirs


def test_each_new_visitor_gets_a_seed_of_their_own(app, component, make_proposal):
    make_proposal(component)
    seeds = set()
    for _ in range(3):
        visitor = app.test_client()
        visitor.get(list_url(component))
        with visitor.session_transaction() as session:
            seeds.add(session[SEED_KEY])
    assert len(seeds) == 3


def test_random_pages_together_hold_every_proposal_once(component, make_proposal, client):
    proposals = [make_proposal(component, title=f"P{n}") for n in range(2 * PER_PAGE + 3)]
    set_seed(client, 0.5)
    pages = [shown(client.get(list_url(component, page=page))) for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [PER_PAGE, PER_PAGE, 3]
    assert sorted(n for page in pages for n in page) == sorted(ids(*proposals))


def test_default_order_is_the_components_setting(make_component, make_proposal, client):
    component = make_component(settings={"default_sort": "most_supported"})
    few = make_proposal(component, title="Few", supports_count=1)
    many = make_proposal(component, title="Many", supports_count=5)
    assert shown(client.get(list_url(component))) == ids(many, few)


# --- Pages ---------------------------------------------------------------------------------


def test_pages_keep_the_filters_in_their_links(component, make_proposal, client):
    for n in range(PER_PAGE + 1):
        make_proposal(component, title=f"Bench {n}")
    response = client.get(list_url(component, sort="recent", q="bench"))
    assert len(shown(response)) == PER_PAGE
    assert re.search(r'href="[^"]*page=2[^"]*"', response.text)
    link = re.search(r'href="([^"]*page=2[^"]*)"', response.text).group(1).replace("&amp;", "&")
    assert "q=bench" in link and "sort=recent" in link
    assert len(shown(client.get(link))) == 1


def test_a_page_past_the_last_shows_the_last_page(component, make_proposal, listed):
    proposal = make_proposal(component)
    assert listed(sort="recent", page=7) == ids(proposal)


# --- What the page says --------------------------------------------------------------------


def test_the_steps_announcement_is_shown_at_the_top(make_component, client):
    component = make_component(step={"announcement": "Les propositions ferment le **3 mars**."})
    assert "<strong>3 mars</strong>" in client.get(list_url(component)).text


def test_participant_sees_how_many_supports_they_have_left(
    db, make_component, make_proposal, dummy_user, login, client
):
    from brique_proposals.supports import support

    component = make_component(settings={"support_limit": 3})
    support(make_proposal(component), dummy_user)
    db.session.commit()
    login(dummy_user)
    assert "You have 2 supports left." in client.get(list_url(component)).text


def test_visitor_is_asked_to_log_in_to_support(component, make_proposal, client):
    make_proposal(component)
    text = client.get(list_url(component)).text
    assert "Log in to take part." in text
    assert "/support" not in text


def test_support_counts_and_their_order_are_hidden_when_the_step_says_so(
    make_component, make_proposal, client
):
    component = make_component(step={"supports_hidden": True})
    make_proposal(component, supports_count=7)
    text = client.get(list_url(component)).text
    assert "7 supports" not in text
    assert 'value="most_supported"' not in text
    visible = make_component()
    make_proposal(visible, supports_count=7)
    assert "7 supports" in client.get(list_url(visible)).text


def test_hidden_proposal_shows_the_moderation_placeholder_in_the_list(
    db, component, make_proposal, client
):
    from brique.models import Moderation

    proposal = make_proposal(component, title="Something rude")
    db.session.add(
        Moderation(target_type="proposals.proposal", target_id=proposal.id, hidden_at=now())
    )
    db.session.commit()
    text = client.get(list_url(component)).text
    assert shown(client.get(list_url(component))) == ids(proposal)
    assert "Something rude" not in text
    assert "hidden by moderation" in text


def test_anonymous_proposal_card_does_not_name_its_author(
    component, make_proposal, create_user, client
):
    author = create_user("secretauthor")
    make_proposal(component, author, anonymous=True)
    text = client.get(list_url(component)).text
    assert "secretauthor" not in text and "Anonymous" in text


def test_filter_form_is_a_get_form_with_labelled_fields(component, client):
    text = client.get(list_url(component)).text
    assert re.search(r'<form method="get"[^>]*class="proposal-filters"', text)
    for name in ("q", "state", "sort"):
        assert f'<label for="filter-{name}">' in text


# --- Queries -------------------------------------------------------------------------------


def test_a_page_of_30_proposals_takes_as_many_queries_as_a_page_of_one(
    db, make_component, make_proposal, create_user, login, client, count_queries
):
    """Everything a card shows is read in batches: supports, comments, moderation, authors."""
    from brique.models import Moderation

    reader, writer, blocked = create_user(), create_user(), create_user(blocked_at=now())

    def queries_for(size):
        component = make_component(settings={"support_limit": 100, "threshold": 5})
        proposals = [make_proposal(component, writer, title=f"P{n}") for n in range(size)]
        for proposal in proposals:
            db.session.add(
                Coauthorship(proposal_id=proposal.id, user_id=reader.id, accepted_at=now())
            )
            db.session.add(
                Support(proposal_id=proposal.id, user_id=reader.id, component_id=component.id)
            )
            add_comments(db, proposal, 1, writer)
        make_proposal(component, blocked, title="By a blocked author")
        db.session.add(
            Moderation(target_type="proposals.proposal", target_id=proposals[0].id, hidden_at=now())
        )
        db.session.commit()
        login(reader)
        client.get(list_url(component))  # the session's seed is set once
        counts = {}
        for sort in ("random", "recent", "most_commented"):
            with count_queries() as statements:
                assert len(shown(client.get(list_url(component, sort=sort)))) == min(
                    size + 1, PER_PAGE
                )
            counts[sort] = len(statements)
        return counts

    with_one = queries_for(1)
    with_thirty = queries_for(30)
    assert with_one == with_thirty
