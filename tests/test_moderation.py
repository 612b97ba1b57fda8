"""Moderation: participants report content, it is hidden at the space's threshold, and the
space's moderators review it in their queue."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from brique import signals
from brique.models import ActionLogEntry, Moderation, Report, SpaceRole
from brique.moderation.visibility import hidden_ids, is_hidden
from brique.testing import FROZEN_AT


@pytest.fixture
def app_config():
    """Pages in English, whatever the catalogs hold."""
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def notes(dummy_space, create_component):
    return create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )


@pytest.fixture
def author(create_user):
    return create_user("author")


def add_note(db, component, author, title="Plus de bancs"):
    from brique_tiny.models import Note

    note = Note(component_id=component.id, author_id=author.id, title=title, created_at=FROZEN_AT)
    db.session.add(note)
    db.session.commit()
    return note


@pytest.fixture
def note(db, notes, author):
    return add_note(db, notes, author)


def note_page(note):
    return f"/processes/{note.component.space.slug}/c/{note.component_id}/notes/{note.id}"


def report(client, target_type, target_id, reason="spam", **data):
    return client.post(f"/report/{target_type}/{target_id}", data={"reason": reason, **data})


def text_of(response):
    return " ".join(response.get_data(as_text=True).split())


def moderation_of(db, target_type, target_id):
    return db.session.scalar(
        select(Moderation).filter_by(target_type=target_type, target_id=target_id)
    )


def verbs(db):
    return list(db.session.scalars(select(ActionLogEntry.verb).order_by(ActionLogEntry.position)))


@pytest.fixture
def received():
    """What the moderation signals sent during the test: ``[(signal name, sender, kwargs)]``."""
    heard = []
    connected = []
    for signal in (
        signals.content_reported,
        signals.content_hidden,
        signals.content_unhidden,
        signals.user_blocked,
        signals.user_unblocked,
    ):

        def receiver(sender, _name=signal.name, **kwargs):
            heard.append((_name, sender, kwargs))

        signal.connect(receiver)
        connected.append((signal, receiver))
    yield heard
    for signal, receiver in connected:
        signal.disconnect(receiver)


# --- Reporting ------------------------------------------------------------------------------


def test_the_report_form_shows_under_a_reportable_resource_and_needs_no_javascript(
    note, dummy_user, login
):
    page = login(dummy_user).get(note_page(note))
    html = page.get_data(as_text=True)
    assert '<details class="report"' in html
    assert f'action="/report/tiny.note/{note.id}"' in html
    assert 'type="radio"' in html and 'name="details"' in html


def test_a_participant_reports_a_note_with_a_reason(note, dummy_user, login, db, received):
    client = login(dummy_user)
    response = report(client, "tiny.note", note.id, "offensive", next=note_page(note))
    assert response.status_code == 303 and response.location.endswith(note_page(note))
    assert "moderators will review" in text_of(client.get(response.location))
    moderation = moderation_of(db, "tiny.note", note.id)
    assert (moderation.report_count, moderation.pending_count) == (1, 1)
    assert moderation.title == "Plus de bancs" and moderation.author_id == note.author_id
    assert moderation.hidden_at is None and not is_hidden("tiny.note", note.id)
    assert verbs(db) == ["moderation.report"]
    assert [(name, sender) for name, sender, _ in received] == [("content-reported", "tiny.note")]
    # The user object outlived its request: its identity, not its (expired) columns.
    reporter = inspect(received[0][2]["user"]).identity
    assert received[0][2]["reason"] == "offensive" and reporter == (dummy_user.id,)


def test_the_reporter_then_sees_they_reported_it(note, dummy_user, login):
    client = login(dummy_user)
    report(client, "tiny.note", note.id)
    assert "You reported this." in text_of(client.get(note_page(note)))


def test_a_person_reports_a_target_once(note, dummy_user, login, db):
    client = login(dummy_user)
    report(client, "tiny.note", note.id)
    again = report(client, "tiny.note", note.id, "charter")
    assert again.status_code == 303
    assert "already reported" in text_of(client.get(again.location))
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    assert moderation_of(db, "tiny.note", note.id).report_count == 1


def test_another_reason_needs_a_few_words(note, dummy_user, login, db):
    client = login(dummy_user)
    refused = report(client, "tiny.note", note.id, "other", details="  ")
    assert refused.status_code == 422
    assert "Say in a few words why you report it." in text_of(refused)
    accepted = report(client, "tiny.note", note.id, "other", details="Publicité déguisée")
    assert accepted.status_code == 303
    assert db.session.scalar(select(Report.details)) == "Publicité déguisée"


def test_an_unknown_reason_is_refused_and_nothing_is_saved(note, dummy_user, login, db):
    refused = report(login(dummy_user), "tiny.note", note.id, "boring")
    assert refused.status_code == 422 and "Choose a reason." in text_of(refused)
    assert db.session.scalar(select(func.count()).select_from(Moderation)) == 0


def test_the_report_page_works_on_its_own(note, dummy_user, login):
    page = login(dummy_user).get(f"/report/tiny.note/{note.id}")
    assert page.status_code == 200 and "Report to the moderators" in text_of(page)


def test_anonymous_people_log_in_to_report(note, client, db):
    response = report(client, "tiny.note", note.id)
    assert response.status_code == 302 and "/login?next=" in response.location
    assert "Log in to report content." in text_of(client.get(note_page(note)))
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_authors_cannot_report_their_own_note(note, author, login):
    client = login(author)
    assert report(client, "tiny.note", note.id).status_code == 403
    assert '<details class="report"' not in client.get(note_page(note)).get_data(as_text=True)


def test_unconfirmed_accounts_cannot_report(note, create_user, login):
    newcomer = create_user("newcomer", confirmed=False)
    assert report(login(newcomer), "tiny.note", note.id).status_code == 403


def test_content_of_an_unpublished_component_cannot_be_reported(
    dummy_space, create_component, author, dummy_user, login, db
):
    drafts = create_component(dummy_space, "tiny", published=False)
    draft = add_note(db, drafts, author)
    assert report(login(dummy_user), "tiny.note", draft.id).status_code == 404


def test_unknown_targets_are_not_found(dummy_user, login):
    client = login(dummy_user)
    assert report(client, "tiny.note", 999).status_code == 404
    assert report(client, "nothing.here", 1).status_code == 404


# --- Hiding at the threshold ----------------------------------------------------------------


def reporters(create_user, count):
    return [create_user(f"reporter{number}") for number in range(count)]


def test_content_is_hidden_once_the_spaces_threshold_of_reports_is_reached(
    note, dummy_space, create_user, login, db, received
):
    dummy_space.report_threshold = 2
    db.session.commit()
    first, second = reporters(create_user, 2)
    report(login(first), "tiny.note", note.id)
    assert not is_hidden("tiny.note", note.id)
    report(login(second), "tiny.note", note.id, "offensive")
    moderation = moderation_of(db, "tiny.note", note.id)
    assert moderation.hidden_at == FROZEN_AT and moderation.decision == "auto_hide"
    assert is_hidden("tiny.note", note.id)
    assert verbs(db) == ["moderation.report", "moderation.report", "moderation.auto_hide"]
    hidden = [kwargs for name, _, kwargs in received if name == "content-hidden"]
    assert hidden == [
        {
            "target_id": note.id,
            "space_id": dummy_space.id,
            "user": None,
            "author_id": note.author_id,
        }
    ]


def test_hidden_content_shows_a_placeholder_not_nothing(
    note, dummy_space, create_user, login, db, client
):
    dummy_space.report_threshold = 1
    db.session.commit()
    report(login(create_user("reporter")), "tiny.note", note.id)
    login(None)
    page = text_of(client.get(note_page(note)))
    assert "This content was hidden by moderation." in page


def test_the_threshold_is_set_in_the_process_form(dummy_space, admin_user, login, db):
    client = login(admin_user)
    form = client.get(f"/admin/processes/{dummy_space.slug}/").get_data(as_text=True)
    assert 'name="report_threshold"' in form and 'value="3"' in form
    data = {"title": dummy_space.title, "slug": dummy_space.slug, "report_threshold": "5"}
    assert client.post(f"/admin/processes/{dummy_space.slug}/", data=data).status_code == 302
    db.session.refresh(dummy_space)
    assert dummy_space.report_threshold == 5
    refused = client.post(
        f"/admin/processes/{dummy_space.slug}/", data={**data, "report_threshold": "0"}
    )
    assert refused.status_code == 422


def test_hidden_ids_takes_the_same_queries_for_1_and_50_notes(
    notes, author, create_user, db, count_queries
):
    many = [add_note(db, notes, create_user(), f"Note {number}") for number in range(50)]
    blocked = create_user("blocked", blocked_at=FROZEN_AT)
    hidden = add_note(db, notes, blocked, "Hidden")
    ids = [note.id for note in many] + [hidden.id]
    with count_queries() as one:
        hidden_ids("tiny.note", [hidden.id])
    with count_queries() as fifty:
        found = hidden_ids("tiny.note", ids)
    assert found == {hidden.id}
    assert len(one) == len(fifty)


# --- The queue ------------------------------------------------------------------------------


@pytest.fixture
def reported(note, create_user, login):
    report(login(create_user("reporter")), "tiny.note", note.id, "offensive")
    return note


def give_role(db, user, space, role):
    db.session.add(SpaceRole(space_id=space.id, user_id=user.id, role=role))
    db.session.commit()
    return user


@pytest.fixture
def moderator(db, create_user, dummy_space):
    return give_role(db, create_user("moderator"), dummy_space, "moderator")


def queue_path(space, action=None, moderation=None):
    base = f"/admin/processes/{space.slug}/moderation/"
    return base if action is None else f"{base}{moderation.id}/{action}"


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_space_admins_see_the_queue_with_reasons_and_counts(
    reported, dummy_space, create_user, login, db, role
):
    staff = give_role(db, create_user("staff"), dummy_space, role)
    page = login(staff).get(queue_path(dummy_space))
    assert page.status_code == 200
    shown = text_of(page)
    assert "Plus de bancs" in shown and "1 report" in shown
    assert "Offensive, hateful or harassing: 1" in shown and "by author" in shown


def test_platform_admins_see_every_queue(reported, dummy_space, admin_user, login):
    assert login(admin_user).get(queue_path(dummy_space)).status_code == 200


def test_participants_and_staff_of_another_space_cannot_see_the_queue(
    reported, dummy_space, create_space, create_user, dummy_user, login, db, client
):
    other = create_space("Autre")
    other_admin = give_role(db, create_user("other"), other, "admin")
    assert login(dummy_user).get(queue_path(dummy_space)).status_code == 403
    assert login(other_admin).get(queue_path(dummy_space)).status_code == 403
    login(None)
    assert client.get(queue_path(dummy_space)).status_code == 302


def test_a_moderator_hides_then_shows_again(reported, dummy_space, moderator, login, db, received):
    client = login(moderator)
    moderation = moderation_of(db, "tiny.note", reported.id)
    response = client.post(queue_path(dummy_space, "hide", moderation))
    assert response.status_code == 303
    assert is_hidden("tiny.note", reported.id)
    assert "Hidden (1)" in text_of(client.get(queue_path(dummy_space) + "?tab=hidden"))
    client.post(queue_path(dummy_space, "unhide", moderation))
    assert not is_hidden("tiny.note", reported.id)
    entries = db.session.scalars(select(ActionLogEntry).order_by(ActionLogEntry.position)).all()
    assert [entry.verb for entry in entries] == [
        "moderation.report",
        "moderation.hide",
        "moderation.unhide",
    ]
    assert entries[1].user_id == moderator.id and entries[1].after == {"hidden": True}
    assert [name for name, *_ in received] == ["content-hidden", "content-unhidden"]


def test_decisions_pass_the_csrf_protection_of_a_real_site(
    reported, dummy_space, moderator, login, db, app
):
    """The tests turn CSRF off; a real site checks it, and once failed on these views."""
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    client = login(moderator)
    page = text_of(client.get(queue_path(dummy_space)))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    moderation = moderation_of(db, "tiny.note", reported.id)
    response = client.post(queue_path(dummy_space, "hide", moderation), data={"csrf_token": token})
    assert response.status_code == 303
    assert is_hidden("tiny.note", reported.id)


def test_every_view_taking_posts_can_be_checked_against_csrf(app):
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()):
            view = app.view_functions[rule.endpoint]
            assert hasattr(view, "__name__") and hasattr(view, "__module__"), rule.endpoint


def test_a_moderator_dismisses_the_reports(reported, dummy_space, moderator, login, db):
    client = login(moderator)
    moderation = moderation_of(db, "tiny.note", reported.id)
    client.post(queue_path(dummy_space, "hide", moderation))
    client.post(queue_path(dummy_space, "dismiss", moderation))
    db.session.refresh(moderation)
    assert (moderation.report_count, moderation.pending_count) == (0, 0)
    assert moderation.hidden_at is None and moderation.decision == "dismiss"
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0
    assert "Nothing is waiting for review." in text_of(client.get(queue_path(dummy_space)))
    assert verbs(db)[-1] == "moderation.dismiss"


def test_hiding_twice_decides_once(reported, dummy_space, moderator, login, db):
    client = login(moderator)
    moderation = moderation_of(db, "tiny.note", reported.id)
    client.post(queue_path(dummy_space, "hide", moderation))
    again = client.post(queue_path(dummy_space, "hide", moderation))
    assert "It was hidden already." in text_of(client.get(again.location))
    assert verbs(db).count("moderation.hide") == 1


def test_participants_cannot_decide(reported, dummy_space, dummy_user, login, db):
    moderation = moderation_of(db, "tiny.note", reported.id)
    assert login(dummy_user).post(queue_path(dummy_space, "hide", moderation)).status_code == 403
    assert not is_hidden("tiny.note", reported.id)


def test_moderators_of_another_space_cannot_decide_here(
    reported, dummy_space, create_space, create_user, login, db
):
    other = create_space("Autre")
    theirs = give_role(db, create_user("theirs"), other, "moderator")
    moderation = moderation_of(db, "tiny.note", reported.id)
    client = login(theirs)
    assert client.post(queue_path(dummy_space, "hide", moderation)).status_code == 403
    assert client.post(queue_path(other, "hide", moderation)).status_code == 404
    assert not is_hidden("tiny.note", reported.id)


def test_the_queue_takes_the_same_queries_for_1_and_50_items(
    notes, dummy_space, moderator, create_user, login, db, count_queries
):
    reporter = create_user("reporter")

    def reported_notes(count, offset):
        for number in range(count):
            target = add_note(db, notes, create_user(), f"Note {number + offset}")
            report(login(reporter), "tiny.note", target.id, "other", details=f"Why {number}")

    reported_notes(1, 0)
    client = login(moderator)
    client.get(queue_path(dummy_space))
    with count_queries() as one:
        client.get(queue_path(dummy_space))
    reported_notes(49, 1)
    client = login(moderator)
    with count_queries() as many:
        page = client.get(queue_path(dummy_space))
    assert "Note 49" in text_of(page)
    assert len(one) == len(many)


# --- Under concurrency ----------------------------------------------------------------------


def post_in_parallel(app, requests):
    """Send ``(path, data, session_id)`` requests from separate threads and clients."""
    from concurrent.futures import ThreadPoolExecutor

    def send(request):
        path, data, session_id = request
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        with app.app_context():
            return client.post(path, data=data).status_code

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(send, requests))


def test_parallel_reports_count_every_report_and_hide_once(app, note, dummy_space, create_user, db):
    from brique.actionlog.chain import verify_chain

    dummy_space.report_threshold = 8  # every report counts before the note is hidden
    db.session.commit()
    people = reporters(create_user, 8)
    path = f"/report/tiny.note/{note.id}"
    statuses = post_in_parallel(app, [(path, {"reason": "spam"}, p.get_id()) for p in people])
    assert statuses == [303] * 8
    moderation = moderation_of(db, "tiny.note", note.id)
    assert moderation.report_count == 8 and moderation.hidden_at is not None
    assert verbs(db).count("moderation.auto_hide") == 1
    assert verbs(db).count("moderation.report") == 8
    assert verify_chain().problem is None


def test_parallel_reports_by_one_person_keep_one(app, note, dummy_user, db):
    path = f"/report/tiny.note/{note.id}"
    post_in_parallel(app, [(path, {"reason": "spam"}, dummy_user.get_id())] * 8)
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    assert moderation_of(db, "tiny.note", note.id).report_count == 1


# --- What components use --------------------------------------------------------------------

MODERATED = """{% from "moderation/macros.html" import moderated %}
{%- for item in items %}{% call moderated("tiny.note", item.id, item.id in hidden) -%}
<p>{{ item.title }}</p>{%- endcall %}{% endfor %}"""


def test_components_wrap_content_in_the_moderated_macro(app, notes, author, create_user, db):
    from flask import render_template_string

    from brique.moderation.targets import ReportTarget
    from brique.moderation.visibility import moderation_placeholder

    shown, hidden = (
        add_note(db, notes, author, "Visible"),
        add_note(db, notes, create_user(), "Caché"),
    )
    db.session.add(
        Moderation(
            target_type="tiny.note",
            target_id=hidden.id,
            space_id=notes.space_id,
            hidden_at=FROZEN_AT,
        )
    )
    db.session.commit()
    with app.test_request_context():
        ids = hidden_ids("tiny.note", [shown.id, hidden.id])
        html = render_template_string(MODERATED, items=[shown, hidden], hidden=ids)
        assert "<p>Visible</p>" in html and "Caché" not in html
        assert str(moderation_placeholder("tiny.note")) in html
        assert "This comment was hidden" in moderation_placeholder("comment")
    assert ReportTarget("x", 1, "", "", None, None).author_id is None
