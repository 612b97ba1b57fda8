"""Newsletters: written and previewed by admins, sent to opted-in participants only, in
batches that resume after a crash and never send twice."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from brique.follows.service import follow
from brique.jobs.queue import enqueue, work
from brique.models import Job, Newsletter, NewsletterRecipient, SpaceRole, User
from brique.newsletters import delivery
from tests.space_admin_support import ENGLISH
from tests.test_concurrency import PARALLEL, post_in_parallel
from tests.test_notifications_support import run_jobs


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def reader(create_user):
    """``reader("ana", newsletter=True)``: a confirmed participant and their choice."""

    def make(nickname, newsletter=True, **columns):
        settings = {"email": "none", "newsletter": newsletter}
        return create_user(nickname, notification_settings=settings, **columns)

    return make


def write(client, audience="platform", subject="Nouvelles du budget", body="**Merci** à tous"):
    data = {"audience": audience, "subject": subject, "body": body}
    response = client.post("/admin/newsletters/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def recipients(outbox):
    return Counter(message["To"] for message in outbox())


def test_an_admin_writes_previews_and_sends_to_opted_in_people_only(
    app, admin_user, reader, login, db, outbox, clock
):
    yes, also = reader("yes"), reader("also")
    reader("no", newsletter=False)
    reader("unconfirmed", confirmed=False)
    reader("gone", deleted_at=clock.now())
    client = login(admin_user)
    newsletter_id = write(client)
    preview = client.get(f"/admin/newsletters/{newsletter_id}/").get_data(as_text=True)
    assert "<strong>Merci</strong> à tous" in preview
    assert "If you send it now, 2 people will receive it." in preview
    assert "2 people will receive it." in client.get(
        f"/admin/newsletters/{newsletter_id}/send"
    ).get_data(as_text=True)
    client.post(f"/admin/newsletters/{newsletter_id}/send")
    assert outbox() == []  # the request only lists recipients and enqueues the delivery
    run_jobs(app)
    assert recipients(outbox) == {yes.email: 1, also.email: 1}
    message = outbox()[0]
    assert message["Subject"] == "Nouvelles du budget"
    assert "**Merci** à tous" in message.get_body(("plain",)).get_content()
    assert "<strong>Merci</strong>" in message.get_body(("html",)).get_content()
    newsletter = db.session.get(Newsletter, newsletter_id)
    assert (newsletter.status, newsletter.recipients_count) == ("sent", 2)
    page = client.get(f"/admin/newsletters/{newsletter_id}/").get_data(as_text=True)
    assert "2 e-mails sent" in page


def test_a_space_newsletter_goes_to_those_who_followed_or_contributed(
    app, admin_user, reader, dummy_space, create_component, login, db, outbox
):
    follower, author, stranger = reader("follower"), reader("author"), reader("stranger")
    follow(follower.id, "space", dummy_space.id, dummy_space.id)
    db.session.commit()
    notes = create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )
    login(author).post(
        f"/processes/{dummy_space.slug}/c/{notes.id}/notes", data={"title": "Un banc"}
    )
    newsletter_id = write(login(admin_user), audience=str(dummy_space.id))
    login(admin_user).post(f"/admin/newsletters/{newsletter_id}/send")
    run_jobs(app)
    assert recipients(outbox) == {follower.email: 1, author.email: 1}
    assert stranger.email not in recipients(outbox)
    assert "take part in “Budget participatif”" in outbox()[0].get_body(("plain",)).get_content()


def test_a_process_admin_writes_to_their_processes_only(
    create_user, create_space, dummy_space, login, db, admin_user
):
    staff = create_user("staff")
    db.session.add(SpaceRole(space_id=dummy_space.id, user_id=staff.id, role="admin"))
    other = create_space("Autre")
    db.session.commit()
    client = login(staff)
    form = client.get("/admin/newsletters/new").get_data(as_text=True)
    assert f'value="{dummy_space.id}"' in form and "Everyone on the platform" not in form
    for audience in ("platform", str(other.id)):
        response = client.post(
            "/admin/newsletters/new", data={"audience": audience, "subject": "S", "body": "B"}
        )
        assert response.status_code == 422
    platform_one = write(login(admin_user))
    assert login(staff).get(f"/admin/newsletters/{platform_one}/").status_code == 403
    assert write(login(staff), audience=str(dummy_space.id))


def test_participants_cannot_reach_newsletters(dummy_user, login):
    assert login(dummy_user).get("/admin/newsletters/").status_code == 403


def test_a_sent_newsletter_cannot_change_or_go_out_again(
    app, admin_user, reader, login, db, outbox
):
    reader("yes")
    client = login(admin_user)
    newsletter_id = write(client)
    client.post(f"/admin/newsletters/{newsletter_id}/send")
    client.post(f"/admin/newsletters/{newsletter_id}/send")
    run_jobs(app)
    assert len(outbox()) == 1
    assert client.get(f"/admin/newsletters/{newsletter_id}/edit").status_code == 403
    assert client.post(f"/admin/newsletters/{newsletter_id}/delete").status_code == 403


def test_who_stops_the_newsletter_before_delivery_does_not_get_it(
    app, admin_user, reader, login, db, outbox
):
    keen, changed_mind = reader("keen"), reader("changed")
    client = login(admin_user)
    newsletter_id = write(client)
    client.post(f"/admin/newsletters/{newsletter_id}/send")
    changed_mind.notification_settings = {"email": "none", "newsletter": False}
    db.session.commit()
    run_jobs(app)
    assert recipients(outbox) == {keen.email: 1}


def test_sending_twice_at_once_lists_each_recipient_once(app, admin_user, reader, login, db):
    for number in range(3):
        reader(f"reader{number}")
    newsletter_id = write(login(admin_user))
    path = f"/admin/newsletters/{newsletter_id}/send"
    post_in_parallel(app, [(path, {}, admin_user.get_id())] * PARALLEL)
    rows = db.session.scalars(select(NewsletterRecipient)).all()
    assert len(rows) == 3
    assert len(db.session.scalars(select(Job).where(Job.kind == "newsletters.deliver")).all()) == 1


# --- Batches that resume --------------------------------------------------------------------


@pytest.fixture
def sending(app, admin_user, reader, login, db):
    """A newsletter being sent to five readers, in batches of two."""
    app.config["NEWSLETTERS_BATCH_SIZE"] = 2
    for number in range(5):
        reader(f"reader{number}")
    newsletter_id = write(login(admin_user))
    login(admin_user).post(f"/admin/newsletters/{newsletter_id}/send")
    return db.session.get(Newsletter, newsletter_id)


def test_delivery_goes_in_batches_and_resumes_after_a_failure_without_sending_twice(
    app, sending, db, outbox, clock, monkeypatch
):
    real, calls = delivery.send_message, []

    def flaky(message):
        calls.append(message["To"])
        if len(calls) == 3:
            raise OSError("SMTP down")
        real(message)

    monkeypatch.setattr(delivery, "send_message", flaky)
    run_jobs(app)
    assert len(outbox()) == 2  # the first batch, then the second failed on its first e-mail
    assert delivery.delivery_counts(sending) == {"sent": 2, "waiting": 3, "interrupted": 0}
    clock.advance(minutes=1)
    run_jobs(app)
    assert set(recipients(outbox).values()) == {1} and len(outbox()) == 5
    db.session.refresh(sending)
    assert sending.status == "sent"


def test_a_worker_killed_while_sending_never_sends_twice(
    app, sending, db, outbox, clock, login, admin_user
):
    first = db.session.scalars(select(NewsletterRecipient).order_by(NewsletterRecipient.id)).first()
    first.claimed_at = clock.now()  # claimed, then the worker died before sending
    job = db.session.scalars(select(Job).where(Job.kind == "newsletters.deliver")).one()
    job.status, job.claimed_at, job.attempts = "running", clock.now(), 1
    db.session.commit()
    run_jobs(app)
    assert outbox() == []  # the job still looks busy
    clock.advance(minutes=31)
    run_jobs(app)  # given back to the queue, to run after the usual backoff
    clock.advance(minutes=1)
    run_jobs(app)
    assert len(outbox()) == 4 and set(recipients(outbox).values()) == {1}
    assert delivery.delivery_counts(sending) == {"sent": 4, "waiting": 0, "interrupted": 1}
    page = login(admin_user).get(f"/admin/newsletters/{sending.id}/").get_data(as_text=True)
    assert "1 e-mail interrupted" in page


def test_parallel_workers_send_each_email_once(app, sending, db, outbox):
    for _ in range(3):
        enqueue("newsletters.deliver", {"newsletter_id": sending.id})
    db.session.commit()
    workers = [threading.Thread(target=work, args=(app,), kwargs={"once": True}) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(outbox()) == 5 and set(recipients(outbox).values()) == {1}


def test_the_newsletters_unsubscribe_link_stops_the_newsletter_only(
    app, sending, db, outbox, client
):
    run_jobs(app)
    message = outbox()[0]
    path = message["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")
    assert client.post(path).status_code == 200
    person = db.session.scalars(select(User).where(User.email == message["To"])).one()
    db.session.refresh(person)
    assert person.notification_settings == {"email": "none", "newsletter": False}
