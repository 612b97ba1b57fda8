"""Notifications: from signals to the site and to e-mails, as each person chose."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from types import SimpleNamespace
from typing import ClassVar

import pytest
from sqlalchemy import select

from brique import signals
from brique.follows.service import follow
from brique.jobs.queue import claim_next, job_context, run_job
from brique.models import Comment, Job, Moderation, Notification, SpaceRole, User
from brique.notifications import dispatch, emails
from brique.testing import FROZEN_AT
from tests.space_admin_support import ENGLISH, admin_url
from tests.test_notifications_support import install, load_example, outbox_to, run_jobs

note_answers = load_example("note_answers")


@pytest.fixture
def app_config(monkeypatch):
    return {**ENGLISH, "PLUGINS": install(monkeypatch, note_answers.NoteAnswersPlugin)}


@pytest.fixture
def person(create_user):
    """``person("ana", email="daily")``: a participant with that e-mail preference."""

    def make(nickname, email="immediate", **columns):
        return create_user(
            nickname, notification_settings={"email": email, "newsletter": False}, **columns
        )

    return make


@pytest.fixture
def notes(dummy_space, create_component):
    return create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )


@pytest.fixture
def note(notes, person, db):
    from brique_tiny.models import Note

    note = Note(
        component_id=notes.id,
        author_id=person("author").id,
        title="Plus de bancs",
        created_at=FROZEN_AT,
    )
    db.session.add(note)
    db.session.commit()
    return note


def notifications_of(db, user):
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def kinds_of(db, user):
    return [notification.kind for notification in notifications_of(db, user)]


def comment(client, note, body="Oui !", **fields):
    data = {"comment-body": body, **{f"comment-{key}": value for key, value in fields.items()}}
    response = client.post(f"/comments/tiny.note/{note.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


# --- From signals to notifications ----------------------------------------------------------


def test_followers_hear_of_a_comment_and_the_commenter_does_not(app, note, person, login, db):
    follower, commenter = person("follower"), person("commenter")
    follow(follower.id, "tiny.note", note.id, note.component.space_id)
    comment(login(commenter), note, "Près de l'école, s'il vous plaît.")
    run_jobs(app)
    (notification,) = notifications_of(db, follower)
    assert notification.kind == "comment"
    assert notification.data["actor"] == "commenter"
    assert "Près de l'école" in notification.data["excerpt"]
    assert notifications_of(db, commenter) == []


def test_the_author_of_a_comment_hears_of_a_reply_once(app, note, person, login, db, client):
    first, second = person("first"), person("second")
    comment(login(first), note)  # ``first`` now follows the note too
    parent = db.session.scalars(select(Comment)).one()
    login(second).post(f"/comments/{parent.id}/reply", data={f"reply-{parent.id}-body": "D'accord"})
    run_jobs(app)
    assert kinds_of(db, first) == ["reply"]


def test_authors_hear_of_the_organisers_official_answer(app, note, admin_user, login, db):
    comment(login(admin_user), note, "Nous étudions votre idée.", official="1")
    run_jobs(app)
    assert kinds_of(db, db.session.get(User, note.author_id)) == ["official-answer"]


def test_followers_of_the_space_and_of_the_author_hear_of_a_new_note(app, notes, person, login, db):
    space_follower, fan, author = person("space_follower"), person("fan"), person("writer")
    follow(space_follower.id, "space", notes.space_id, notes.space_id)
    follow(fan.id, "user", author.id, None)
    db.session.commit()
    login(author).post(
        f"/processes/{notes.space.slug}/c/{notes.id}/notes", data={"title": "Un kiosque"}
    )
    run_jobs(app)
    assert kinds_of(db, space_follower) == ["new-resource"] == kinds_of(db, fan)
    assert notifications_of(db, author) == []
    (notification,) = notifications_of(db, fan)
    assert notification.url.startswith(f"/processes/{notes.space.slug}/c/{notes.id}/notes/")


def test_followers_hear_that_a_resource_changed_when_something_changed(app, note, person, db):
    follower = person("follower")
    follow(follower.id, "tiny.note", note.id, note.component.space_id)
    db.session.commit()
    signals.resource_updated.send("tiny.note", resource=note, user=None, changes={})
    run_jobs(app)
    assert kinds_of(db, follower) == []
    changes = {"title": ("Des bancs", "Plus de bancs")}
    signals.resource_updated.send("tiny.note", resource=note, user=None, changes=changes)
    run_jobs(app)
    assert kinds_of(db, follower) == ["resource-updated"]


def moderate(db, moderator, reporter, target_type, target_id):
    """A report, then a moderator hides the target, as the moderation queue does."""
    from brique.moderation import decisions, reporting
    from brique.moderation.targets import resolve

    reporting.report(reporter, resolve(target_type, target_id), "offensive")
    moderation = db.session.scalar(select(Moderation).filter_by(target_type=target_type))
    decisions.hide(moderation, moderator)
    return moderation


def test_authors_hear_that_moderators_hid_their_comment_then_showed_it(
    app, note, person, login, db, admin_user
):
    from brique.moderation import decisions

    author = person("ana")
    comment(login(author), note, "Un propos vif")
    made = db.session.scalars(select(Comment)).one()
    moderation = moderate(db, admin_user, person("reporter"), "comment", made.id)
    decisions.unhide(moderation, admin_user)
    run_jobs(app)
    assert kinds_of(db, author) == ["comment-hidden", "comment-shown"]
    hidden = notifications_of(db, author)[0]
    assert hidden.actor_id is None  # the author is not told who decided
    assert hidden.data["title"] == "Plus de bancs" and hidden.data["excerpt"] == "Un propos vif"
    assert hidden.url.endswith(f"/comments/{made.id}")
    page = login(author).get("/notifications/").get_data(as_text=True)
    assert "Your comment on “Plus de bancs” was hidden by moderation" in page
    assert "Your comment on “Plus de bancs” is shown again" in page


def test_authors_hear_that_their_contribution_was_hidden(app, note, person, admin_user, db):
    moderate(db, admin_user, person("reporter"), "tiny.note", note.id)
    run_jobs(app)
    author = db.session.get(User, note.author_id)
    assert kinds_of(db, author) == ["content-hidden"]
    assert notifications_of(db, author)[0].url.endswith(f"/notes/{note.id}")


def test_only_members_hear_of_what_happens_in_a_private_space(
    app, create_space, create_component, person, db
):
    space = create_space("Assemblée", is_private=True)
    component = create_component(space, "tiny")
    member, outsider = person("member"), person("outsider")
    db.session.add(SpaceRole(space_id=space.id, user_id=member.id, role="member"))
    for user in (member, outsider):
        follow(user.id, "space", space.id, space.id)
    db.session.commit()
    signals.results_published.send(component, url="/results", title="Résultats", user=None)
    run_jobs(app)
    assert kinds_of(db, member) == ["results-published"]
    assert kinds_of(db, outsider) == []


def test_a_plugins_kind_notifies_authors_and_followers(app, note, person, admin_user, db):
    follower = person("follower")
    follow(follower.id, "tiny.note", note.id, note.component.space_id)
    db.session.commit()
    note_answers.note_answered.send(note, answer="Accepté", user=admin_user)
    run_jobs(app)
    for user in (follower, db.session.get(User, note.author_id)):
        (notification,) = notifications_of(db, user)
        assert notification.kind == "note_answers.answered"
        assert notification.data == {
            "title": "Plus de bancs",
            "actor": "admin",
            "space": "Budget participatif",
            "excerpt": "Accepté",
        }


# --- In the background: the request only enqueues -------------------------------------------


def fan_out_jobs(db):
    return db.session.scalars(select(Job).where(Job.kind == "notifications.fan-out")).all()


def many_followers(db, space, count, prefix="fan"):
    """``count`` people following ``space``, made quickly (no password, no e-mail wanted)."""
    people = [
        User(nickname=f"{prefix}{n}", email=f"{prefix}{n}@example.org", session_token=f"t{n}")
        for n in range(count)
    ]
    db.session.add_all(people)
    db.session.flush()
    for person in people:
        follow(person.id, "space", space.id, space.id)
    db.session.commit()
    return people


def test_the_request_only_enqueues_the_notifications_a_worker_creates(app, note, person, login, db):
    follower = person("follower")
    follow(follower.id, "tiny.note", note.id, note.component.space_id)
    comment(login(person("commenter")), note)
    assert notifications_of(db, follower) == []
    (job,) = fan_out_jobs(db)
    assert job.status == "pending"
    run_jobs(app)
    assert kinds_of(db, follower) == ["comment"]
    assert fan_out_jobs(db)[0].status == "done"


def test_the_signal_takes_the_same_queries_for_one_follower_and_three_hundred(
    app, dummy_space, create_component, db, count_queries
):
    component = create_component(dummy_space, "tiny")
    many_followers(db, dummy_space, 1)
    with count_queries() as one:
        signals.results_published.send(component, url="/r", title="Vote", user=None)
    many_followers(db, dummy_space, 300, prefix="more")
    with count_queries() as many:
        signals.results_published.send(component, url="/r", title="Vote", user=None)
    assert len(one) == len(many)
    run_jobs(app)
    assert db.session.query(Notification).count() == 1 + 301


def test_a_large_fan_out_is_split_into_jobs_and_notifies_each_person_once(
    app, dummy_space, create_component, db, monkeypatch
):
    monkeypatch.setattr(dispatch, "FAN_OUT_CHUNK", 3)
    component = create_component(dummy_space, "tiny")
    people = many_followers(db, dummy_space, 7)
    signals.results_published.send(component, url="/r", title="Vote", user=None)
    assert len(fan_out_jobs(db)) == 3
    run_jobs(app)
    notified = db.session.scalars(select(Notification.user_id)).all()
    assert sorted(notified) == sorted(person.id for person in people)


def test_the_first_kind_naming_a_person_wins_whatever_the_jobs(
    app, note, person, login, db, monkeypatch
):
    monkeypatch.setattr(dispatch, "FAN_OUT_CHUNK", 1)
    first, second, follower = person("first"), person("second"), person("follower")
    follow(follower.id, "tiny.note", note.id, note.component.space_id)
    comment(login(first), note)  # ``first`` follows the note: named by "reply" and "comment"
    run_jobs(app)
    parent = db.session.scalars(select(Comment)).one()
    login(second).post(f"/comments/{parent.id}/reply", data={f"reply-{parent.id}-body": "D'accord"})
    run_jobs(app)
    assert kinds_of(db, first) == ["reply"]
    assert kinds_of(db, follower) == ["comment", "comment"]


def test_a_fan_out_taken_over_by_another_worker_notifies_nobody_twice(
    app, dummy_space, person, db, clock
):
    follower = person("follower")
    follow(follower.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    signals.step_activated.send(dummy_space.steps[2])
    slow = claim_next()  # a worker takes the job, then hangs for long
    copy = SimpleNamespace(id=slow.id, kind=slow.kind, payload=slow.payload, attempts=1)
    clock.advance(minutes=31)
    run_jobs(app)  # presumed dead: the job goes back to the queue
    clock.advance(minutes=1)
    run_jobs(app)  # another worker runs it
    assert kinds_of(db, follower) == ["step-started"]
    with job_context(app):
        run_job(copy)  # the first worker wakes up and finishes its copy
    db.session.expire_all()
    assert kinds_of(db, follower) == ["step-started"]


def test_a_signal_sent_outside_any_request_notifies_too(app, note, person, db):
    from brique.comments.services import find_commented, publish_comment

    app.config["SERVER_NAME"] = None  # as under ``brique demo``: no request, no server name
    follower = person("follower")
    follow(follower.id, "tiny.note", note.id, note.component.space_id)
    db.session.commit()
    data = {"body": "Créé par une commande", "alignment": 0, "official": False}
    made = publish_comment(find_commented("tiny.note", note.id), person("commenter"), data)
    run_jobs(app)
    (notification,) = notifications_of(db, follower)
    assert notification.url == f"/comments/{made.id}"


def test_the_fan_out_leaves_out_accounts_deleted_meanwhile(app, dummy_space, person, db, clock):
    stays, leaves = person("stays"), person("leaves")
    for user in (stays, leaves):
        follow(user.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    signals.step_activated.send(dummy_space.steps[2])
    leaves.deleted_at = clock.now()
    db.session.commit()
    run_jobs(app)
    assert kinds_of(db, stays) == ["step-started"] and kinds_of(db, leaves) == []


# --- Steps starting -------------------------------------------------------------------------


def test_a_step_the_clock_makes_active_is_announced_once(app, dummy_space, person, db, clock):
    follower = person("follower")
    follow(follower.id, "space", dummy_space.id, dummy_space.id)
    run_jobs(app)  # the first worker schedules the check
    clock.advance(minutes=5)
    run_jobs(app)  # Step 2 started five days ago: announced on a new site
    clock.set(FROZEN_AT + timedelta(days=10, minutes=1))
    run_jobs(app)
    clock.advance(hours=1)
    run_jobs(app)
    messages = [n.data["step"] for n in notifications_of(db, follower) if n.kind == "step-started"]
    assert messages == ["Step 2", "Step 3"]


def test_a_step_that_started_long_ago_is_not_announced(app, create_space, person, db, clock):
    space = create_space(steps=[(FROZEN_AT - timedelta(days=20), FROZEN_AT + timedelta(days=1))])
    follower = person("follower")
    follow(follower.id, "space", space.id, space.id)
    run_jobs(app)
    clock.advance(minutes=5)
    run_jobs(app)
    assert notifications_of(db, follower) == []


def test_a_pinned_step_is_announced_by_the_admin_and_not_again_by_the_clock(
    app, dummy_space, person, admin_user, login, db, clock
):
    follower = person("follower")
    follow(follower.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    login(admin_user).post(admin_url(dummy_space, f"steps/{dummy_space.steps[2].id}/pin"))
    run_jobs(app)
    assert kinds_of(db, follower) == ["step-started"]
    clock.advance(minutes=5)
    run_jobs(app)
    assert kinds_of(db, follower) == ["step-started"]


# --- E-mails --------------------------------------------------------------------------------


def test_an_email_goes_out_through_a_job_never_during_the_request(
    app, note, person, login, db, outbox
):
    follower, commenter = person("follower"), person("commenter")
    follow(follower.id, "tiny.note", note.id, note.component.space_id)
    comment(login(commenter), note)
    assert outbox_to(outbox, follower.email) == []
    run_jobs(app)
    (message,) = outbox_to(outbox, follower.email)
    assert message["Subject"] == "commenter commented on “Plus de bancs”"
    body = message.get_content()
    assert "Hello follower," in body and "http://localhost/comments/" in body
    assert message["List-Unsubscribe"].startswith("<http://localhost/notifications/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    run_jobs(app)
    assert len(outbox_to(outbox, follower.email)) == 1


def test_emails_are_written_in_the_readers_language(app, dummy_space, person, db, outbox):
    app.config["LOCALES"] = ["fr", "en"]
    french = person("camille", locale="fr")
    follow(french.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    signals.step_activated.send(dummy_space.steps[2])
    run_jobs(app)
    (message,) = outbox_to(outbox, french.email)
    assert message.get_content().startswith("Bonjour camille,")


def test_a_failed_send_is_retried_later(app, dummy_space, person, db, outbox, clock, monkeypatch):
    follower = person("follower")
    follow(follower.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    signals.step_activated.send(dummy_space.steps[2])
    real = emails.send_message
    monkeypatch.setattr(
        emails, "send_message", lambda message: (_ for _ in ()).throw(OSError("SMTP down"))
    )
    run_jobs(app)
    assert outbox_to(outbox, follower.email) == []
    (notification,) = notifications_of(db, follower)
    assert notification.email_status == "queued"
    monkeypatch.setattr(emails, "send_message", real)
    clock.advance(minutes=1)
    run_jobs(app)
    assert len(outbox_to(outbox, follower.email)) == 1


class RecordingSMTP:
    """Stands for an SMTP server: keeps what it is sent."""

    sent: ClassVar[list] = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, username, password):
        pass

    def send_message(self, message):
        RecordingSMTP.sent.append(message)


def test_every_email_leaves_through_the_configured_backend_with_complete_headers(
    app, dummy_space, person, db, client, outbox, monkeypatch
):
    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    monkeypatch.setattr(RecordingSMTP, "sent", [])
    app.config["MAIL_BACKEND"] = "smtp"
    follower = person("follower")
    follow(follower.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    client.post("/password/forgot", data={"email": follower.email})  # an account e-mail
    signals.step_activated.send(dummy_space.steps[2])
    run_jobs(app)  # a notification's e-mail
    subjects = [message["Subject"] for message in RecordingSMTP.sent]
    started = "The step “Step 3” has started in “Budget participatif”"
    assert subjects == ["Choose a new password", started]
    for message in RecordingSMTP.sent:
        assert message["From"] == app.config["MAIL_FROM"] and message["To"] == follower.email
        assert message["Date"] and message["Message-ID"]
    assert outbox() == []


def test_daily_digests_group_a_days_notifications_in_one_email(
    app, dummy_space, create_component, person, db, outbox, clock
):
    component = create_component(dummy_space, "tiny")
    daily, never = person("daily", email="daily"), person("never", email="none")
    for user in (daily, never):
        follow(user.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    run_jobs(app)
    for title in ("Vote", "Résultats"):
        signals.results_published.send(component, url="", title=title)
    run_jobs(app)
    assert outbox_to(outbox, daily.email) == []
    clock.set(FROZEN_AT.replace(hour=6, minute=1) + timedelta(days=1))  # 7:01 in Paris
    run_jobs(app)
    (digest,) = outbox_to(outbox, daily.email)
    assert digest["Subject"] == "Your news of the day: 3 notifications"
    body = digest.get_content()
    assert "Results published in “Budget participatif”: Vote" in body and "Résultats" in body
    assert "The step “Step 2” has started" in body  # announced by the clock meanwhile
    assert outbox_to(outbox, never.email) == []
    clock.advance(days=1)
    run_jobs(app)
    assert len(outbox_to(outbox, daily.email)) == 1


def test_the_unsubscribe_link_works_without_logging_in(
    app, dummy_space, person, db, outbox, client
):
    follower = person("follower")
    follow(follower.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    signals.step_activated.send(dummy_space.steps[2])
    run_jobs(app)
    (message,) = outbox_to(outbox, follower.email)
    path = message["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")
    page = client.get(path)
    assert page.status_code == 200 and "Stop notification e-mails" in page.get_data(as_text=True)
    db.session.refresh(follower)
    assert follower.notification_settings["email"] == "immediate"  # opening it changes nothing
    app.config["WTF_CSRF_ENABLED"] = True  # mail clients post without a form token
    assert client.post(path).status_code == 200
    db.session.refresh(follower)
    assert follower.notification_settings == {"email": "none", "newsletter": False}
    assert client.post("/notifications/unsubscribe/forged-token").status_code == 404


# --- The list -------------------------------------------------------------------------------


def add_notifications(db, user, count):
    for number in range(count):
        db.session.add(
            Notification(
                user_id=user.id,
                kind="comment",
                url=f"/somewhere/{number}",
                data={"actor": "ana", "title": f"Idea {number}", "excerpt": "Yes"},
            )
        )
    db.session.commit()


def test_the_list_shows_notifications_and_marks_them_read(person, login, db):
    reader = person("reader")
    add_notifications(db, reader, 3)
    client = login(reader)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "ana commented on “Idea 2”" in page
    assert 'class="badge count">3<' in page  # the header's unread count
    first = notifications_of(db, reader)[0]
    client.post(f"/notifications/{first.id}/read")
    db.session.expire_all()
    assert [n.read_at is None for n in notifications_of(db, reader)] == [False, True, True]
    client.post("/notifications/read")
    db.session.expire_all()
    assert all(n.read_at for n in notifications_of(db, reader))
    assert 'class="badge count"' not in client.get("/notifications/").get_data(as_text=True)


def test_nobody_marks_anothers_notifications_read(person, login, db):
    owner, other = person("owner"), person("other")
    add_notifications(db, owner, 1)
    (notification,) = notifications_of(db, owner)
    login(other).post(f"/notifications/{notification.id}/read")
    db.session.refresh(notification)
    assert notification.read_at is None
    assert login(None).get("/notifications/").status_code == 302


def test_the_list_takes_the_same_queries_for_1_and_50(person, login, db, count_queries):
    one, fifty = person("one"), person("fifty")
    add_notifications(db, one, 1)
    add_notifications(db, fifty, 50)
    login(one).get("/notifications/")
    with count_queries() as few:
        login(one).get("/notifications/")
    with count_queries() as many:
        page = login(fifty).get("/notifications/").get_data(as_text=True)
    assert "Idea 49" in page and "Idea 20" in page
    assert len(few) == len(many)
