"""Writing a proposal: the draft, similar proposals, preview, publish, edit, withdraw, delete."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from brique.plugin_api import Category, Scope, followers_of, signals
from brique_proposals.lifecycle import ProposalRefused, publish
from brique_proposals.models import Participation, Proposal, Support

PARALLEL = 8
BODY = "A few benches under the plane trees, near the playground."


@pytest.fixture
def app_config():
    """Pages in English, whatever the participants' language, so that tests read them."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


def url(component, path=""):
    return f"/processes/{component.space.slug}/c/{component.id}{path}"


def count(db, *conditions):
    return db.session.scalar(select(func.count()).select_from(Proposal).where(*conditions))


def write(client, component, **fields):
    data = {"title": "A bench in the park", "body": BODY, **fields}
    return client.post(url(component, "/new"), data=data)


def draft_of(db, user):
    return db.session.scalars(select(Proposal).where(Proposal.author_id == user.id)).one()


@pytest.fixture
def received(app):
    """The core signals ``resource-created`` and ``resource-updated`` sent during the test."""
    sent = []

    def created(sender, **kwargs):
        user = kwargs.get("user")
        sent.append(("created", sender, kwargs["resource"].id, user and user.id))

    def updated(sender, **kwargs):
        sent.append(("updated", sender, kwargs["resource"].id, kwargs.get("changes")))

    signals.resource_created.connect(created)
    signals.resource_updated.connect(updated)
    yield sent
    signals.resource_created.disconnect(created)
    signals.resource_updated.disconnect(updated)


# --- Writing a draft -----------------------------------------------------------------------


def test_writing_a_proposal_saves_a_draft_only_its_authors_see(
    db, component, dummy_user, create_user, login, client
):
    login(dummy_user)
    response = write(client, component)
    proposal = draft_of(db, dummy_user)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{proposal.id}/similar")
    assert (proposal.status, proposal.title, proposal.body) == (
        "draft",
        "A bench in the park",
        BODY,
    )
    assert client.get(url(component, f"/{proposal.id}")).status_code == 200
    login(create_user())
    assert client.get(url(component, f"/{proposal.id}")).status_code == 404
    assert client.get(url(component, f"/{proposal.id}/preview")).status_code == 404


def test_the_form_shows_each_error_next_to_its_field_and_saves_nothing(
    db, component, dummy_user, login, client
):
    login(dummy_user)
    response = write(client, component, title="", body="Too short")
    assert response.status_code == 422
    assert re.search(r'id="field-title-error">This field is required.', response.text)
    assert re.search(r'id="field-body-error">Enter at least 15 characters.', response.text)
    assert 'aria-invalid="true"' in response.text
    assert count(db) == 0


@pytest.mark.parametrize("app_config", [{"LOCALES": ["en", "fr"]}])
def test_errors_are_in_the_participants_language(db, component, create_user, login, client):
    login(create_user(locale="fr"))
    response = write(client, component, title="")
    assert response.status_code == 422 and "Ce champ est obligatoire." in response.text


def test_a_text_longer_than_the_setting_is_refused(db, make_component, dummy_user, login, client):
    component = make_component(settings={"body_max_length": 100})
    login(dummy_user)
    response = write(client, component, body="x" * 101)
    assert response.status_code == 422 and "Enter at most 100 characters." in response.text
    assert write(client, component, body="x" * 100).status_code == 302


def test_category_and_territory_come_from_the_space(
    db, component, dummy_space, create_space, dummy_user, login, client
):
    mobility = Category(space_id=dummy_space.id, name="Mobility")
    elsewhere = Category(space_id=create_space().id, name="Elsewhere")
    north = Scope(name="North district")
    db.session.add_all([mobility, elsewhere, north])
    db.session.commit()
    login(dummy_user)
    form = client.get(url(component, "/new")).text
    assert "Mobility" in form and "North district" in form and "Elsewhere" not in form
    refused = write(client, component, category_id=str(elsewhere.id))
    assert refused.status_code == 422 and "Choose one of the proposed values." in refused.text
    write(client, component, category_id=str(mobility.id), scope_id=str(north.id))
    proposal = draft_of(db, dummy_user)
    assert (proposal.category_id, proposal.scope_id) == (mobility.id, north.id)


def test_a_space_with_a_territory_offers_its_districts_only(
    db, component, dummy_space, dummy_user, login, client
):
    city = Scope(name="The city")
    district = Scope(name="Old town", parent=city)
    other = Scope(name="Another city")
    db.session.add_all([city, district, other])
    dummy_space.scope = city
    db.session.commit()
    login(dummy_user)
    form = client.get(url(component, "/new")).text
    assert "Old town" in form and "Another city" not in form
    assert write(client, component, scope_id=str(other.id)).status_code == 422


def test_the_address_is_asked_only_when_geolocation_is_on(
    db, make_component, dummy_user, create_user, login, client
):
    plain = make_component()
    located = make_component(settings={"geolocation": True})
    login(dummy_user)
    assert 'name="address"' not in client.get(url(plain, "/new")).text
    assert 'name="latitude"' in client.get(url(located, "/new")).text
    half = write(client, located, address="1 rue de la Paix", latitude="48.87")
    assert half.status_code == 422
    assert "Give both the latitude and the longitude, or neither." in half.text
    wrong = write(client, located, latitude="123", longitude="2.33")
    assert wrong.status_code == 422 and "Enter a value from -90 to 90." in wrong.text
    write(client, located, address="1 rue de la Paix", latitude="48.87", longitude="2.33")
    proposal = draft_of(db, dummy_user)
    assert (proposal.address, proposal.latitude, proposal.longitude) == (
        "1 rue de la Paix",
        48.87,
        2.33,
    )


# --- Refusals of the create action --------------------------------------------------------


def _not_logged_in(db, component, user):
    return None


def _closed_step(db, component, user):
    component.step_settings = {
        **component.step_settings,
        str(component.space.steps[1].id): {
            **component.step_settings[str(component.space.steps[1].id)],
            "creation_open": False,
        },
    }
    return user


def _limit_reached(db, component, user):
    component.settings = {**component.settings, "proposal_limit": 1}
    db.session.add(Participation(component_id=component.id, user_id=user.id, proposals=1))
    return user


def _profile_missing(db, component, user):
    component.settings = {**component.settings, "required_profile_fields": ["postal_code"]}
    return user


@pytest.mark.parametrize(
    ("situation", "reason"),
    [
        (_not_logged_in, "Log in to take part."),
        (_closed_step, "This is closed at this stage of the process."),
        (_limit_reached, "You have published your proposal: one per participant."),
        (_profile_missing, "Fill in your profile first: postal_code."),
    ],
)
def test_the_reason_of_a_refusal_is_shown_instead_of_the_form(
    db, component, dummy_user, login, client, situation, reason
):
    user = situation(db, component, dummy_user)
    db.session.commit()
    login(user)
    page = client.get(url(component, "/new"))
    assert page.status_code == 200 and reason in page.text
    assert 'name="title"' not in page.text
    posted = write(client, component)
    assert posted.status_code == 403 and reason in posted.text
    assert count(db) == 0


# --- Similar proposals ---------------------------------------------------------------------


def test_similar_published_proposals_are_shown_before_publishing(
    db, component, make_proposal, dummy_user, login, client
):
    alike = make_proposal(component, title="Benches in the park", body="Benches, please.")
    make_proposal(component, title="Bike lanes on the main street", body="Safer cycling.")
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    page = client.get(url(component, f"/{draft.id}/similar"))
    assert page.status_code == 200
    assert "Benches in the park" in page.text and f'/{alike.id}"' in page.text
    assert "Bike lanes" not in page.text
    assert "Support this one instead" in page.text


def test_without_similar_proposals_the_author_goes_to_the_preview(
    db, component, make_proposal, dummy_user, login, client
):
    make_proposal(component, title="Bike lanes on the main street", body="Safer cycling.")
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    response = client.get(url(component, f"/{draft.id}/similar"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{draft.id}/preview")


def test_similar_proposals_are_published_ones_of_the_same_component_only(
    db, make_component, make_proposal, create_user, dummy_user, login, client
):
    component, other_component = make_component(), make_component()
    make_proposal(component, create_user(), title="A bench in the park", status="draft")
    make_proposal(component, title="A bench in the park!", status="withdrawn")
    make_proposal(other_component, title="A bench in the park?")
    visible = make_proposal(component, title="A bench in the parks")
    login(dummy_user)
    write(client, component)
    page = client.get(url(component, f"/{draft_of(db, dummy_user).id}/similar")).text
    assert page.count('class="card"') == 1 and f'/{visible.id}"' in page


def test_at_most_five_similar_proposals_are_shown(
    db, component, make_proposal, dummy_user, login, client
):
    for n in range(8):
        make_proposal(component, title=f"A bench in the park {n}")
    login(dummy_user)
    write(client, component)
    page = client.get(url(component, f"/{draft_of(db, dummy_user).id}/similar")).text
    assert page.count('class="card"') == 5


def test_supporting_a_similar_proposal_instead_keeps_the_draft(
    db, component, make_proposal, dummy_user, login, client
):
    alike = make_proposal(component, title="Benches in the park")
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    response = client.post(url(component, f"/{draft.id}/similar/{alike.id}/support"))
    assert response.status_code == 302
    db.session.refresh(alike)
    assert alike.supports_count == 1
    page = client.get(url(component, f"/{draft.id}/similar")).text
    assert "You support it." in page and "Delete my draft" in page
    again = client.post(url(component, f"/{draft.id}/similar/{alike.id}/support"))
    assert again.status_code == 409 and "You already support this proposal." in again.text
    assert count(db, Proposal.status == "draft") == 1


def test_supporting_instead_is_refused_when_supports_are_closed(
    db, make_component, make_proposal, dummy_user, login, client
):
    component = make_component(step={"supports_enabled": False})
    alike = make_proposal(component, title="Benches in the park")
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    assert "Support this one instead" not in client.get(url(component, f"/{draft.id}/similar")).text
    response = client.post(url(component, f"/{draft.id}/similar/{alike.id}/support"))
    assert response.status_code == 403 and "closed" in response.text
    assert db.session.scalar(select(func.count()).select_from(Support)) == 0


# --- Preview and publishing ----------------------------------------------------------------


def test_preview_then_publish_makes_it_public_and_tells_the_core(
    db, component, dummy_user, login, client, received
):
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    preview = client.get(url(component, f"/{draft.id}/preview"))
    assert preview.status_code == 200 and "Publish my proposal" in preview.text
    assert received == []
    response = client.post(url(component, f"/{draft.id}/publish"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{draft.id}")
    db.session.refresh(draft)
    assert draft.status == "published" and draft.published_at is not None
    assert received == [("created", "proposals.proposal", draft.id, dummy_user.id)]
    assert dummy_user.id in followers_of(("proposals.proposal", draft.id))
    assert db.session.get(Participation, (component.id, dummy_user.id)).proposals == 1


def test_publishing_twice_changes_nothing_the_second_time(
    db, component, dummy_user, login, client, received
):
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    client.post(url(component, f"/{draft.id}/publish"))
    again = client.post(url(component, f"/{draft.id}/publish"), follow_redirects=True)
    assert "This proposal is already published." in again.text
    assert db.session.get(Participation, (component.id, dummy_user.id)).proposals == 1
    assert len(received) == 1


def test_the_proposal_limit_refuses_the_next_publication(
    db, make_component, dummy_user, login, client
):
    component = make_component(settings={"proposal_limit": 1})
    login(dummy_user)
    write(client, component, title="The first proposal")
    first = draft_of(db, dummy_user)
    client.post(url(component, f"/{first.id}/publish"))
    second = Proposal(component_id=component.id, author_id=dummy_user.id, title="Second", body=BODY)
    db.session.add(second)
    db.session.commit()
    response = client.post(url(component, f"/{second.id}/publish"))
    assert response.status_code == 403
    assert "You have published your proposal: one per participant." in response.text
    db.session.refresh(second)
    assert second.status == "draft"


def test_the_database_refuses_a_publication_over_the_limit(db, make_component, dummy_user):
    component = make_component(settings={"proposal_limit": 1})
    first, second = (
        Proposal(component_id=component.id, author_id=dummy_user.id, title=t, body=BODY)
        for t in ("First", "Second")
    )
    db.session.add_all([first, second])
    db.session.commit()
    publish(first, dummy_user)
    db.session.commit()
    with pytest.raises(ProposalRefused) as refused:
        publish(second, dummy_user)
    assert refused.value.code == "limit"
    db.session.rollback()
    assert db.session.get(Proposal, second.id).status == "draft"


def test_publishing_is_refused_once_the_step_closes(
    db, component, dummy_user, login, client, clock
):
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    clock.advance(days=11)  # the next step, where proposals are not written
    response = client.post(url(component, f"/{draft.id}/publish"))
    assert response.status_code == 403 and "Publish my proposal" not in response.text
    db.session.refresh(draft)
    assert draft.status == "draft"


def test_publishing_anonymously_hides_the_nickname_from_the_public_only(
    db, make_component, create_user, admin_user, login, client, received
):
    component = make_component(settings={"anonymous_proposals": True})
    writer = create_user("camille")
    login(writer)
    write(client, component)
    draft = draft_of(db, writer)
    assert "Publish anonymously" in client.get(url(component, f"/{draft.id}/preview")).text
    client.post(url(component, f"/{draft.id}/publish"), data={"anonymous": "1"})
    db.session.refresh(draft)
    assert draft.anonymous is True
    assert received == [("created", "proposals.proposal", draft.id, None)]
    login(create_user())
    public = client.get(url(component, f"/{draft.id}")).text
    assert "Anonymous" in public and "camille" not in public
    login(admin_user)
    assert "camille" in client.get(url(component, f"/{draft.id}")).text


def test_the_action_log_keeps_who_edited_an_anonymous_proposal(
    db, make_component, create_user, login, client
):
    from brique.models import ActionLogEntry

    component = make_component(settings={"anonymous_proposals": True})
    writer = create_user()
    login(writer)
    write(client, component)
    draft = draft_of(db, writer)
    client.post(url(component, f"/{draft.id}/publish"), data={"anonymous": "1"})
    client.post(url(component, f"/{draft.id}/edit"), data={"title": "Two benches", "body": BODY})
    entries = db.session.scalars(
        select(ActionLogEntry).where(ActionLogEntry.verb == "resource.update")
    ).all()
    assert [(entry.user_id, entry.after) for entry in entries] == [
        (writer.id, {"title": "Two benches"})
    ]


def test_anonymity_is_refused_when_the_setting_is_off(db, component, dummy_user, login, client):
    login(dummy_user)
    write(client, component)
    draft = draft_of(db, dummy_user)
    assert "Publish anonymously" not in client.get(url(component, f"/{draft.id}/preview")).text
    client.post(url(component, f"/{draft.id}/publish"), data={"anonymous": "1"})
    db.session.refresh(draft)
    assert draft.status == "published" and draft.anonymous is False


# --- Editing -------------------------------------------------------------------------------


def published_by(db, client, component, user, **fields):
    write(client, component, **fields)
    proposal = draft_of(db, user)
    client.post(url(component, f"/{proposal.id}/publish"))
    db.session.refresh(proposal)
    return proposal


def test_authors_edit_during_the_edit_window_only(
    db, make_component, dummy_user, login, client, clock, received
):
    component = make_component(settings={"edit_window": 15, "edit_window_unit": "minutes"})
    login(dummy_user)
    proposal = published_by(db, client, component, dummy_user)
    clock.advance(minutes=10)
    page = client.get(url(component, f"/{proposal.id}"))
    assert "You may edit it until" in page.text
    edited = client.post(
        url(component, f"/{proposal.id}/edit"), data={"title": "Two benches", "body": BODY}
    )
    assert edited.status_code == 302
    db.session.refresh(proposal)
    assert proposal.title == "Two benches" and proposal.edited_at is not None
    assert received[-1] == (
        "updated",
        "proposals.proposal",
        proposal.id,
        {"title": ("A bench in the park", "Two benches")},
    )
    clock.advance(minutes=6)
    closed = client.get(url(component, f"/{proposal.id}/edit"))
    assert closed.status_code == 403 and "The time to edit this proposal is over." in closed.text
    late = client.post(
        url(component, f"/{proposal.id}/edit"), data={"title": "Three benches", "body": BODY}
    )
    assert late.status_code == 403
    db.session.refresh(proposal)
    assert proposal.title == "Two benches"


def test_edits_stop_at_the_first_support_when_the_setting_says_so(
    db, make_component, dummy_user, create_user, login, client
):
    from brique_proposals.supports import support

    component = make_component(settings={"edit_window_unit": "until_first_support"})
    login(dummy_user)
    proposal = published_by(db, client, component, dummy_user)
    assert "until it gets its first support" in client.get(url(component, f"/{proposal.id}")).text
    support(proposal, create_user())
    db.session.commit()
    response = client.get(url(component, f"/{proposal.id}/edit"))
    assert response.status_code == 403 and "It has supports now" in response.text


def test_only_authors_edit(db, component, make_proposal, dummy_user, create_user, login, client):
    published = make_proposal(component, create_user())
    draft = make_proposal(component, create_user(), status="draft", title="Secret draft")
    login(dummy_user)
    refused = client.post(url(component, f"/{published.id}/edit"), data={"title": "Mine now"})
    assert refused.status_code == 403 and "Only its authors can edit a proposal." in refused.text
    assert client.get(url(component, f"/{draft.id}/edit")).status_code == 404
    db.session.refresh(published)
    assert published.title == "A bench in the park"


def test_an_invalid_edit_changes_nothing(db, component, dummy_user, login, client, received):
    login(dummy_user)
    proposal = published_by(db, client, component, dummy_user)
    response = client.post(url(component, f"/{proposal.id}/edit"), data={"title": "", "body": BODY})
    assert response.status_code == 422
    db.session.refresh(proposal)
    assert proposal.title == "A bench in the park" and proposal.edited_at is None
    assert [kind for kind, *_rest in received] == ["created"]


# --- Withdrawing and deleting --------------------------------------------------------------


def test_authors_withdraw_a_published_proposal(
    db, make_component, dummy_user, login, client, received
):
    component = make_component(settings={"proposal_limit": 1})
    login(dummy_user)
    proposal = published_by(db, client, component, dummy_user)
    confirm = client.get(url(component, f"/{proposal.id}/withdraw"))
    assert confirm.status_code == 200 and "Withdraw my proposal" in confirm.text
    assert client.post(url(component, f"/{proposal.id}/withdraw")).status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "withdrawn" and proposal.withdrawn_at is not None
    assert received[-1] == (
        "updated",
        "proposals.proposal",
        proposal.id,
        {"status": ("published", "withdrawn")},
    )
    assert db.session.get(Participation, (component.id, dummy_user.id)).proposals == 0
    again = client.post(url(component, f"/{proposal.id}/withdraw"))
    assert again.status_code == 403 and "Only published proposals can be withdrawn." in again.text


def test_others_cannot_withdraw(
    db, component, make_proposal, dummy_user, create_user, login, client
):
    proposal = make_proposal(component, create_user())
    login(dummy_user)
    response = client.post(url(component, f"/{proposal.id}/withdraw"))
    assert response.status_code == 403
    assert "Only its authors can withdraw a proposal." in response.text
    db.session.refresh(proposal)
    assert proposal.status == "published"


def test_the_author_deletes_a_draft_but_not_a_published_proposal(
    db, component, dummy_user, login, client
):
    login(dummy_user)
    write(client, component, title="Draft to delete")
    draft = draft_of(db, dummy_user)
    assert "Delete the draft" in client.get(url(component, f"/{draft.id}/delete")).text
    assert client.post(url(component, f"/{draft.id}/delete")).status_code == 302
    assert count(db) == 0
    proposal = published_by(db, client, component, dummy_user)
    refused = client.post(url(component, f"/{proposal.id}/delete"))
    assert refused.status_code == 403 and "Only drafts can be deleted" in refused.text
    assert count(db) == 1


# --- CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"LOCALES": ["en"], "WTF_CSRF_ENABLED": True}])
def test_writing_needs_the_forms_token(db, component, dummy_user, login, client):
    login(dummy_user)
    assert write(client, component).status_code == 400
    assert count(db) == 0
    form = client.get(url(component, "/new")).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert write(client, component, csrf_token=token).status_code == 302
    draft = draft_of(db, dummy_user)
    assert client.post(url(component, f"/{draft.id}/publish")).status_code == 400
    db.session.refresh(draft)
    assert draft.status == "draft"


# --- Parallel requests ---------------------------------------------------------------------


def post_in_parallel(app, paths, session_id):
    """POST each path from its own thread and client (tests/test_concurrency.py's way)."""

    def send(path):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        with app.app_context():
            return client.post(path).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(send, paths))


def test_parallel_publications_never_pass_the_proposal_limit(app, db, make_component, dummy_user):
    component = make_component(settings={"proposal_limit": 2})
    drafts = [
        Proposal(component_id=component.id, author_id=dummy_user.id, title=f"Idea {n}", body=BODY)
        for n in range(PARALLEL)
    ]
    db.session.add_all(drafts)
    db.session.commit()
    paths = [url(component, f"/{draft.id}/publish") for draft in drafts]
    statuses = post_in_parallel(app, paths, dummy_user.get_id())
    db.session.expire_all()
    assert count(db, Proposal.status == "published") == 2
    assert statuses.count(302) == 2
    assert db.session.get(Participation, (component.id, dummy_user.id)).proposals == 2


def test_parallel_publications_of_one_draft_count_once(app, db, component, dummy_user):
    draft = Proposal(component_id=component.id, author_id=dummy_user.id, title="Once", body=BODY)
    db.session.add(draft)
    db.session.commit()
    post_in_parallel(app, [url(component, f"/{draft.id}/publish")] * PARALLEL, dummy_user.get_id())
    db.session.expire_all()
    assert count(db, Proposal.status == "published") == 1
    assert db.session.get(Participation, (component.id, dummy_user.id)).proposals == 1
