"""Comments under a resource: publishing, threads, positions, official answers, edits,
deletion, moderation placeholders and safe text. On the tiny component's notes."""

import pytest
from sqlalchemy import func, select

from brique import signals
from brique.clock import now
from brique.comments.services import hide_comment, unhide_comment
from brique.db import db as database
from brique.models import Comment, CommentVersion
from tests.space_admin_support import ENGLISH
from tests.test_comments_support import (
    add_comment,
    add_note,
    article_ids,
    give_role,
    newest_comment,
    note_path,
    open_notes,
    post_comment,
    post_reply,
    received,
    text_of,
)

pytestmark = pytest.mark.with_plugins("tiny")


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def note(dummy_space, create_component, create_user):
    return add_note(open_notes(create_component, dummy_space), create_user("autrice"))


@pytest.fixture
def client_of(login):
    return login


# --- Publishing -------------------------------------------------------------------------------


def test_a_participant_comments_and_lands_on_their_comment(note, dummy_user, client_of):
    client = client_of(dummy_user)
    response = post_comment(client, note, "Oui, surtout **près du lac**.")
    comment = newest_comment()
    assert response.status_code == 302
    assert response.location == note_path(note, f"?comment={comment.id}#comment-{comment.id}")
    assert (comment.author_id, comment.depth, comment.parent_id) == (dummy_user.id, 0, None)
    assert (comment.component_id, comment.space_id) == (note.component_id, note.component.space_id)
    page = text_of(client.get(note_path(note)))
    assert "<strong>près du lac</strong>" in page and "1 comment" in page
    assert f'id="comment-{comment.id}"' in page


def test_the_comment_created_signal_names_the_resource_author_and_parent(
    note, dummy_user, client_of
):
    client = client_of(dummy_user)
    with received(signals.comment_created) as calls:
        post_comment(client, note, "Premier avis")
        first = newest_comment()
        post_reply(client, first, "Et une réponse")
    reply = newest_comment()
    (first_id, on_note), (reply_id, on_reply) = calls
    assert first_id == first.id and on_note == {
        "resource_type": "tiny.note",
        "resource_id": note.id,
        "resource": note.id,
        "component": note.component_id,
        "author": dummy_user.id,
        "parent": None,
    }
    assert reply_id == reply.id and on_reply["parent"] == first.id


def test_an_empty_comment_comes_back_with_the_error_next_to_the_field(note, dummy_user, client_of):
    response = post_comment(client_of(dummy_user), note, "   ")
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="field-comment-body-error"' in page and 'href="#field-comment-body"' in page
    assert "Plus de bancs au parc" in page  # the page says what is being commented
    assert select_count(Comment) == 0


def test_a_too_long_comment_is_refused(note, dummy_user, client_of, app):
    app.config["COMMENTS_MAX_LENGTH"] = 20
    response = post_comment(client_of(dummy_user), note, "x" * 21)
    assert response.status_code == 422 and 'maxlength="20"' in text_of(response)
    assert select_count(Comment) == 0


def test_comments_on_an_unknown_or_uncommentable_resource_are_not_found(
    note, dummy_user, client_of
):
    client = client_of(dummy_user)
    assert client.post("/comments/tiny.note/999", data={"comment-body": "Hello"}).status_code == 404
    assert client.post(f"/comments/tiny.nope/{note.id}", data={}).status_code == 404


def test_comments_of_a_draft_process_are_not_found_for_the_public(
    create_space, create_component, create_user, client_of
):
    space = create_space(published=False)
    note = add_note(create_component(space, "tiny"), create_user("autrice"))
    comment = add_comment(note, create_user("other"))
    client = client_of(create_user("curious"))
    assert post_comment(client, note, "Je vois tout").status_code == 404
    assert client.get(f"/comments/{comment.id}").status_code == 404


# --- Threads ----------------------------------------------------------------------------------


def test_replies_nest_under_their_parent(note, dummy_user, create_user, client_of):
    first = add_comment(note, create_user("ana"), "Premier")
    response = post_reply(client_of(dummy_user), first, "Je réponds")
    reply = newest_comment()
    assert response.status_code == 302
    assert (reply.parent_id, reply.root_id, reply.depth) == (first.id, first.id, 1)
    assert reply.alignment == 0
    page = text_of(client_of(dummy_user).get(note_path(note)))
    assert article_ids(page) == [first.id, reply.id]
    assert '<ol class="comment-replies">' in page and "Je réponds" in page


def test_replies_stop_at_the_depth_limit(note, dummy_user, create_user, client_of, app):
    app.config["COMMENTS_MAX_DEPTH"] = 2
    ana = create_user("ana")
    first = add_comment(note, ana)
    second = add_comment(note, ana, parent=first)
    third = add_comment(note, ana, parent=second)
    client = client_of(dummy_user)
    refused = post_reply(client, third, "Trop profond")
    assert refused.status_code == 403
    assert "cannot go deeper" in text_of(refused)
    page = text_of(client.get(note_path(note)))
    assert f'action="/comments/{second.id}/reply"' in page
    assert f'action="/comments/{third.id}/reply"' not in page
    assert post_reply(client, second, "Encore possible").status_code == 302


def test_a_reply_with_errors_comes_back_on_the_reply_page(note, dummy_user, create_user, client_of):
    first = add_comment(note, create_user("ana"), "Premier avis")
    response = post_reply(client_of(dummy_user), first, "")
    assert response.status_code == 422
    page = text_of(response)
    assert f'id="field-reply-{first.id}-body-error"' in page and "Premier avis" in page


def test_the_reply_page_works_without_the_inline_form(note, dummy_user, create_user, client_of):
    first = add_comment(note, create_user("ana"))
    page = client_of(dummy_user).get(f"/comments/{first.id}/reply")
    assert page.status_code == 200 and "Reply to ana" in text_of(page)


def test_the_link_to_a_comment_opens_its_thread(note, dummy_user, create_user, client_of):
    ana = create_user("ana")
    first, other = add_comment(note, ana, "Fil A"), add_comment(note, ana, "Fil B")
    reply = add_comment(note, ana, "Réponse", parent=first)
    client = client_of(dummy_user)
    response = client.get(f"/comments/{reply.id}")
    assert response.location == note_path(note, f"?comment={reply.id}#comment-{reply.id}")
    page = text_of(client.get(response.location))
    assert article_ids(page) == [first.id, reply.id] and other.id not in article_ids(page)
    assert "Show all comments" in page


# --- Positions and official answers -----------------------------------------------------------


def test_positions_show_as_the_balance_of_arguments(note, create_user, dummy_user, client_of):
    ana = create_user("ana")
    add_comment(note, ana, "Pour", alignment=1)
    add_comment(note, ana, "Pour aussi", alignment=1)
    add_comment(note, ana, "Contre", alignment=-1)
    add_comment(note, ana, "Sans avis")
    hidden = add_comment(note, ana, "Contre mais caché", alignment=-1)
    hide_comment(hidden)
    post_comment(client_of(dummy_user), note, "Je suis contre", alignment="against")
    assert newest_comment().alignment == -1
    page = text_of(client_of(dummy_user).get(note_path(note)))
    assert "2 in favour" in page and "2 against" in page and "1 neutral" in page
    assert page.count('class="badge comment-in-favour"') == 2


def test_staff_answer_officially_and_participants_cannot(
    note, dummy_user, create_user, client_of, dummy_space
):
    moderator = give_role(create_user("modo"), dummy_space, "moderator")
    post_comment(client_of(dummy_user), note, "Je me fais passer pour la mairie", official="1")
    assert newest_comment().is_official is False
    assert 'name="comment-official"' not in text_of(client_of(dummy_user).get(note_path(note)))
    client = client_of(moderator)
    assert 'name="comment-official"' in text_of(client.get(note_path(note)))
    post_comment(client, note, "La mairie étudie la question.", official="1")
    answer = newest_comment()
    assert answer.is_official is True
    page = text_of(client.get(note_path(note)))
    assert 'class="comment comment-official"' in page and "Official answer" in page


def test_platform_admins_answer_officially_too(note, admin_user, client_of):
    post_comment(client_of(admin_user), note, "Réponse de la plateforme", official="1")
    assert newest_comment().is_official is True


# --- Edits ------------------------------------------------------------------------------------


def test_an_edit_keeps_the_former_text_and_shows_edited(note, dummy_user, client_of, clock):
    client = client_of(dummy_user)
    post_comment(client, note, "Premier jet")
    comment = newest_comment()
    assert "Premier jet" in text_of(client.get(f"/comments/{comment.id}/edit"))
    clock.advance(hours=1)
    with received(signals.comment_edited) as calls:
        response = client.post(
            f"/comments/{comment.id}/edit", data={"comment-body": "Version revue"}
        )
    assert response.status_code == 302
    db_comment = newest_comment()
    assert db_comment.body == "Version revue" and db_comment.edited_at is not None
    (version,) = versions_of(comment)
    assert version.body == "Premier jet" and version.written_at == comment.created_at
    assert calls[0][1]["previous_body"] == "Premier jet"
    page = text_of(client.get(note_path(note)))
    assert 'class="comment-edited"' in page and ">edited</a>" in page
    history = text_of(client.get(f"/comments/{comment.id}/history"))
    assert "Premier jet" in history and "Version revue" in history


def test_an_edit_without_change_keeps_no_version(note, dummy_user, client_of):
    client = client_of(dummy_user)
    post_comment(client, note, "Tel quel")
    comment = newest_comment()
    client.post(f"/comments/{comment.id}/edit", data={"comment-body": "Tel quel"})
    assert versions_of(comment) == [] and newest_comment().edited_at is None


def test_only_the_author_edits_and_sees_the_history_with_moderators(
    note, dummy_user, create_user, client_of, dummy_space
):
    comment = add_comment(note, create_user("ana"), "À moi")
    client = client_of(dummy_user)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert (
        client.post(f"/comments/{comment.id}/edit", data={"comment-body": "Pirate"}).status_code
        == 403
    )
    assert client.get(f"/comments/{comment.id}/history").status_code == 403
    moderator = give_role(create_user("modo"), dummy_space, "moderator")
    assert client_of(moderator).get(f"/comments/{comment.id}/history").status_code == 200
    assert newest_comment().body == "À moi"


def test_an_edit_with_errors_comes_back_on_the_edit_page(note, dummy_user, client_of):
    client = client_of(dummy_user)
    post_comment(client, note, "Correct")
    comment = newest_comment()
    response = client.post(f"/comments/{comment.id}/edit", data={"comment-body": ""})
    assert response.status_code == 422 and 'id="field-comment-body-error"' in text_of(response)
    assert newest_comment().body == "Correct"


# --- Deletion and moderation ------------------------------------------------------------------


def test_a_deleted_comment_leaves_a_placeholder_and_its_replies(
    note, dummy_user, create_user, client_of
):
    client = client_of(dummy_user)
    post_comment(client, note, "Je regrette ceci")
    comment = newest_comment()
    reply = add_comment(note, create_user("ana"), "Réponse qui reste", parent=comment)
    client.post(f"/comments/{comment.id}/edit", data={"comment-body": "Je regrette encore"})
    assert "Je regrette encore" in text_of(client.get(f"/comments/{comment.id}/delete"))
    with received(signals.comment_deleted) as calls:
        assert client.post(f"/comments/{comment.id}/delete").status_code == 302
    assert calls == [(comment.id, {"user": dummy_user.id})]
    deleted = db_get(comment.id)
    assert deleted.deleted_at is not None and deleted.body == "" and versions_of(comment) == []
    page = text_of(client.get(note_path(note)))
    assert "This comment was deleted by its author." in page and "Je regrette" not in page
    assert article_ids(page) == [comment.id, reply.id] and "Réponse qui reste" in page
    assert "1 comment" in page  # the placeholder does not count


def test_only_the_author_deletes(note, dummy_user, create_user, client_of):
    comment = add_comment(note, create_user("ana"))
    assert client_of(dummy_user).post(f"/comments/{comment.id}/delete").status_code == 403
    assert db_get(comment.id).deleted_at is None


def test_a_hidden_comment_shows_a_moderation_placeholder(
    note, create_user, dummy_user, client_of, db
):
    comment = add_comment(note, create_user("ana"), "Propos injurieux")
    reply = add_comment(note, dummy_user, "Réponse", parent=comment)
    hide_comment(comment)
    db.session.commit()
    client = client_of(dummy_user)
    page = text_of(client.get(note_path(note)))
    assert "This comment was hidden by moderation." in page and "Propos injurieux" not in page
    assert article_ids(page) == [comment.id, reply.id]
    assert f"/comments/{comment.id}/reply" not in page
    assert post_reply(client, comment, "Réponse au caché").status_code == 403
    unhide_comment(db_get(comment.id))
    db.session.commit()
    assert "Propos injurieux" in text_of(client.get(note_path(note)))


def test_hidden_comments_and_other_content_read_the_same_placeholder(
    note, create_user, dummy_user, client_of, db, dummy_space
):
    from brique.moderation.visibility import moderation_placeholder

    comment = add_comment(note, create_user("ana"), "Propos injurieux")
    hide_comment(comment)
    db.session.commit()
    page = text_of(client_of(dummy_user).get(note_path(note)))
    assert str(moderation_placeholder("comment")) in page
    assert "This comment was hidden by moderation." in str(moderation_placeholder("comment"))
    assert "This content was hidden by moderation." in str(moderation_placeholder("tiny.note"))


def test_the_comments_of_a_blocked_person_are_hidden_and_come_back_when_unblocked(
    note, create_user, dummy_user, client_of, db
):
    troll = create_user("troll")
    comment = add_comment(note, troll, "Propos de troll")
    reply = add_comment(note, dummy_user, "Réponse", parent=comment)
    troll.blocked_at = now()
    db.session.commit()
    client = client_of(dummy_user)
    page = text_of(client.get(note_path(note)))
    assert "Propos de troll" not in page and "account is blocked" in page
    assert article_ids(page) == [comment.id, reply.id]
    troll.blocked_at = None
    db.session.commit()
    assert "Propos de troll" in text_of(client.get(note_path(note)))


def test_comments_go_with_their_resource(note, create_user, db):
    add_comment(note, create_user("ana"))
    signals.resource_deleted.send(
        "tiny.note", resource_id=note.id, component_id=note.component_id, user=None
    )
    assert select_count(Comment) == 0


# --- Safe text --------------------------------------------------------------------------------


def test_no_raw_html_survives_and_links_are_nofollow(note, dummy_user, client_of):
    client = client_of(dummy_user)
    body = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[site](https://example.org) [piège](javascript:alert(1)) "
        '<a href="https://evil.example" onclick="steal()">clic</a>'
    )
    post_comment(client, note, body)
    page = text_of(client.get(note_path(note)))
    shown = page[page.index('<div class="comment-body">') :].split("</div>", 1)[0]
    assert "<script" not in shown and "<img" not in shown and '<a href="https://evil' not in shown
    assert "&lt;script&gt;" in shown  # shown as text, harmless
    assert "javascript:" not in shown.split("[piège]")[0] and 'href="javascript' not in shown
    assert '<a href="https://example.org" rel="nofollow ugc noopener">site</a>' in shown


def test_comments_keep_a_small_markdown_subset(note, dummy_user, client_of):
    client = client_of(dummy_user)
    post_comment(client, note, "## Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- *un* point")
    page = text_of(client.get(note_path(note)))
    shown = page[page.index('<div class="comment-body">') :].split("</div>", 1)[0]
    assert "<h2" not in shown and "<table" not in shown and "Titre" in shown
    assert "<li><em>un</em> point</li>" in shown


def test_nicknames_are_escaped(note, create_user, dummy_user, client_of):
    add_comment(note, create_user("<b>x</b>"), "Salut")
    page = text_of(client_of(dummy_user).get(note_path(note)))
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_a_deleted_account_shows_as_a_deleted_participant(
    note, create_user, dummy_user, client_of, db
):
    gone = create_user("gone")
    add_comment(note, gone, "Mon avis reste")
    gone.deleted_at = now()
    db.session.commit()
    page = text_of(client_of(dummy_user).get(note_path(note)))
    assert "Deleted participant" in page and "Mon avis reste" in page


# --- helpers ----------------------------------------------------------------------------------


def select_count(model):
    return database.session.scalar(select(func.count()).select_from(model))


def versions_of(comment):
    return list(
        database.session.scalars(
            select(CommentVersion).where(CommentVersion.comment_id == comment.id)
        )
    )


def db_get(comment_id):
    database.session.expire_all()
    return database.session.get(Comment, comment_id)
