"""Who may comment and vote on comments: ``can()`` with the component's ``comment`` and
``vote_comment`` actions, their step settings and their requirements.

Two test-only plugins stand beside tiny: ``agora`` opens comments with a step setting,
``mute`` declares no comment action at all. Their resources reuse tiny's notes table.
"""

from datetime import timedelta

import pytest
from marshmallow import Schema, fields

from brique import plugins
from brique.components import Action, ComponentType
from brique.permissions import can
from brique.plugins import Plugin, hookimpl
from brique.resources import ResourceType
from brique.testing import FROZEN_AT
from tests.space_admin_support import ENGLISH
from tests.test_comments_support import (
    add_comment,
    add_note,
    newest_comment,
    note_path,
    open_notes,
    post_comment,
    post_reply,
    text_of,
    vote,
)

DAY = timedelta(days=1)


class NoSettings(Schema):
    pass


class AgoraStepSettings(Schema):
    comments_open = fields.Boolean(load_default=False)


def notes_of(type_name):
    from brique_tiny.models import Note

    class Notes(ResourceType):
        name = f"{type_name}.note"
        label = "Note"
        component_type = type_name
        model = Note
        commentable = True

        def url(self, resource):
            return f"/processes/{resource.component.space.slug}/"

    return Notes()


def plugin_with(type_name, actions, step_settings_schema=NoSettings):
    class TestPlugin(Plugin):
        name = type_name
        api_version = "1.1"

        @hookimpl
        def register_component_types(self):
            return [
                ComponentType(
                    name=type_name,
                    label=type_name.title(),
                    description="A component for the tests of comments.",
                    settings_schema=NoSettings,
                    step_settings_schema=step_settings_schema,
                    actions=actions,
                )
            ]

        @hookimpl
        def register_resource_types(self):
            return [notes_of(type_name)]

    return TestPlugin


AGORA = plugin_with(
    "agora",
    {
        "comment": Action(
            "Comment", step_setting="comments_open", opens_message="Comments open on %(date)s."
        ),
        "vote_comment": Action("Vote on comments", step_setting="comments_open"),
    },
    AgoraStepSettings,
)
MUTE = plugin_with("mute", {})


@pytest.fixture
def app_config(monkeypatch):
    installed = plugins.installed_entry_points()
    monkeypatch.setattr(
        plugins, "installed_entry_points", lambda: {**installed, "agora": AGORA, "mute": MUTE}
    )
    return {**ENGLISH, "PLUGINS": ["tiny", "agora", "mute"]}


@pytest.fixture
def author(create_user):
    return create_user("autrice")


@pytest.fixture
def note(dummy_space, create_component, author):
    return add_note(open_notes(create_component, dummy_space), author)


@pytest.fixture
def agora_note(dummy_space, create_component, author):
    """Comments open in the current step only (step 2 of 3)."""
    past, current, upcoming = dummy_space.steps
    component = create_component(
        dummy_space,
        "agora",
        step_settings={past: {}, current: {"comments_open": True}, upcoming: {}},
    )
    return add_note(component, author)


# --- Who: anonymous, unconfirmed, participant -------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in(note, author, client):
    comment = add_comment(note, author)
    page = text_of(client.get(note_path(note)))
    assert "Log in to take part." in page and 'action="/comments/tiny.note/' not in page
    assert "/login?next=" in page
    assert f'action="/comments/{comment.id}/vote"' not in page
    assert post_comment(client, note, "Anonyme").status_code == 403
    assert vote(client, comment, "up").status_code == 403
    assert post_reply(client, comment, "Anonyme").status_code == 403


def test_unconfirmed_participants_are_asked_to_confirm_their_address(
    note, author, create_user, login
):
    client = login(create_user("pressé", confirmed=False))
    comment = add_comment(note, author)
    assert can(create_user("other", confirmed=False), "comment", note).code == "unconfirmed"
    page = text_of(client.get(note_path(note)))
    assert "Confirm your e-mail address to take part." in page and "/confirm" in page
    assert 'action="/comments/tiny.note/' not in page
    assert post_comment(client, note, "Trop tôt").status_code == 403
    assert vote(client, comment, "up").status_code == 403


def test_participants_comment_vote_and_reply(note, author, dummy_user, login):
    client = login(dummy_user)
    comment = add_comment(note, author)
    page = text_of(client.get(note_path(note)))
    assert f'action="/comments/tiny.note/{note.id}"' in page
    assert f'action="/comments/{comment.id}/vote"' in page
    assert f'action="/comments/{comment.id}/reply"' in page
    assert post_comment(client, note, "Avis").status_code == 302
    assert vote(client, comment, "up").status_code == 302
    assert post_reply(client, comment, "Réponse").status_code == 302


def test_nobody_votes_on_their_own_comment(note, dummy_user, login):
    client = login(dummy_user)
    post_comment(client, note, "Je vote pour moi")
    mine = newest_comment()
    assert f'action="/comments/{mine.id}/vote"' not in text_of(client.get(note_path(note)))
    refused = vote(client, mine, "up")
    assert refused.status_code == 403 and "your own comment" in text_of(refused)


def test_the_requirements_set_by_the_admin_apply_to_comments(
    dummy_space, create_component, author, create_user
):
    component = open_notes(create_component, dummy_space, permissions={"comment": {"handlers": {}}})
    note = add_note(component, author)
    unconfirmed = create_user("pressé", confirmed=False)
    assert can(unconfirmed, "comment", note)
    assert can(unconfirmed, "vote_comment", component).code == "unconfirmed"


def test_the_components_own_rule_applies_to_comments(
    dummy_space, create_component, author, dummy_user
):
    note = add_note(open_notes(create_component, dummy_space, settings={"max_length": 10}), author)
    decision = can(dummy_user, "comment", note)
    assert not decision and decision.reason == "Notes are paused by the organisers."


# --- When: the step settings of the component -------------------------------------------------


def test_comments_are_open_during_the_step_that_opens_them(agora_note, dummy_user):
    assert can(dummy_user, "comment", agora_note)
    assert can(dummy_user, "vote_comment", agora_note.component)


def test_comments_are_refused_after_the_step_closes(agora_note, author, dummy_user, login, clock):
    comment = add_comment(agora_note, author)
    clock.set(FROZEN_AT + 15 * DAY)  # the last step, where comments are closed
    decision = can(dummy_user, "comment", agora_note)
    assert not decision and decision.code == "closed"
    assert not can(dummy_user, "reply", comment)
    assert not can(dummy_user, "vote_comment", comment)
    client = login(dummy_user)
    assert post_comment(client, agora_note, "Trop tard").status_code == 403
    assert vote(client, comment, "up").status_code == 403


def test_comments_closed_now_say_when_they_open(dummy_space, create_component, author, dummy_user):
    upcoming = dummy_space.steps[2]
    component = create_component(
        dummy_space, "agora", step_settings={upcoming: {"comments_open": True}}
    )
    decision = can(dummy_user, "comment", add_note(component, author))
    assert decision.code == "closed" and decision.reason.startswith("Comments open on ")


def test_authors_still_delete_but_no_longer_edit_once_comments_close(agora_note, dummy_user, clock):
    mine = add_comment(agora_note, dummy_user)
    clock.set(FROZEN_AT + 15 * DAY)
    assert not can(dummy_user, "edit", mine)
    assert can(dummy_user, "delete", mine)


# --- What: components that never offer comments -----------------------------------------------


def test_a_component_type_without_the_comment_action_keeps_comments_closed(
    dummy_space, create_component, author, dummy_user, login
):
    note = add_note(create_component(dummy_space, "mute"), author)
    decision = can(dummy_user, "comment", note)
    assert decision.code == "closed" and decision.reason == "Comments are not enabled here."
    vote_decision = can(dummy_user, "vote_comment", note.component)
    assert vote_decision.reason == "Voting on comments is not enabled here."
    assert post_comment(login(dummy_user), note, "Fermé").status_code == 403


def test_unknown_actions_on_a_comment_are_a_programming_error(note, author, dummy_user):
    with pytest.raises(ValueError, match="unknown action"):
        can(dummy_user, "sing", add_comment(note, author))


def test_a_resource_without_a_component_attribute_is_found_through_its_type(app, note, dummy_user):
    class Card:
        """A model without a ``component`` relationship."""

        def __init__(self, component_id):
            self.component_id = component_id

    class Cards(ResourceType):
        name, component_type, model = "tiny.card", "tiny", Card

        def url(self, resource):
            return "/"

    app.extensions["brique"].resource_types["tiny.card"] = Cards()
    assert can(dummy_user, "comment", Card(note.component_id))
    with pytest.raises(TypeError):
        can(dummy_user, "comment", object())
