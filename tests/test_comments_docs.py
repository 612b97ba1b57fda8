"""The example of docs/plugins/comments.rst, which includes its code from here: a plugin
listening to ``comment-created``. Running it keeps the documentation true."""

from typing import Any

import pytest
from flask import Flask, current_app

from brique.plugin_api import Plugin, comment_counts, hookimpl, signals
from tests.space_admin_support import ENGLISH
from tests.test_comments_support import (
    add_comment,
    add_note,
    open_notes,
    post_comment,
    post_reply,
)

pytestmark = pytest.mark.with_plugins("tiny")


def collect_questions(
    comment: Any, *, resource_type: str, component: Any, parent: Any, **kwargs: Any
) -> None:
    """Receiver of ``comment-created``: keep the questions asked on resources, for the
    staff of the process to answer."""
    questions = current_app.extensions.get("questions")
    if questions is None:  # another app of this process, which does not enable the plugin
        return
    if parent is None and comment.body.rstrip().endswith("?"):
        questions.append((component.space.title, resource_type, comment.id))


class QuestionsPlugin(Plugin):
    name = "questions"
    api_version = "1.1"

    @hookimpl
    def init_app(self, app: Flask) -> None:
        app.extensions["questions"] = []
        signals.comment_created.connect(collect_questions)


@pytest.fixture
def app_config(monkeypatch):
    from brique import plugins

    installed = plugins.installed_entry_points()
    monkeypatch.setattr(
        plugins, "installed_entry_points", lambda: {**installed, "questions": QuestionsPlugin}
    )
    return {**ENGLISH, "PLUGINS": ["tiny", "questions"]}


def test_the_example_receiver_collects_questions_only(
    app, dummy_space, create_component, create_user, dummy_user, login
):
    note = add_note(open_notes(create_component, dummy_space), create_user("autrice"))
    client = login(dummy_user)
    post_comment(client, note, "Où seront les bancs ?")
    post_comment(client, note, "Bonne idée.")
    first = add_comment(note, create_user("ana"), "Pourquoi ?")
    post_reply(client, first, "Parce que ?")
    (asked,) = app.extensions["questions"]
    assert asked[:2] == ("Budget participatif", "tiny.note")


def test_comment_counts_gives_each_resources_count_in_one_query(
    dummy_space, create_component, create_user, count_queries
):
    component = open_notes(create_component, dummy_space)
    ana, bob = create_user("ana"), create_user("bob")
    busy, quiet = add_note(component, ana), add_note(component, bob)
    add_comment(busy, bob)
    add_comment(busy, bob, deleted_at=busy.created_at)
    add_comment(busy, ana)
    ids = [busy.id, quiet.id]
    with count_queries() as queries:
        counts = comment_counts("tiny.note", ids)
    assert counts == {ids[0]: 2} and len(queries) == 1
