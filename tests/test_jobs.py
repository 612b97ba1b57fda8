"""The job queue: saved with the caller's transaction, run once by any number of workers,
retried with backoff, periodic jobs enqueued once per period."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import pytest
from flask import Blueprint, abort, current_app
from sqlalchemy import func, select

from brique import create_app, signals
from brique.jobs.cli import jobs_group
from brique.jobs.inline import started_by_run_command
from brique.jobs.queue import claim_next, enqueue, schedule_periodic, work
from brique.jobs.registry import PeriodicJob, job_registry
from brique.models import Job, JobSchedule
from brique.notifications.kinds import notification_registry
from brique.plugins import Plugin, PluginError, hookimpl
from tests.test_notifications_support import install, load_example, run_jobs

space_archive = load_example("space_archive")
partner_feed = load_example("partner_feed")
PARIS = ZoneInfo("Europe/Paris")


def record(payload):
    current_app.extensions["recorder"].append(payload["n"])


def explode(payload):
    raise RuntimeError("boom")


failing_blueprint = Blueprint("recorder", __name__)


@failing_blueprint.route("/recorder/fail", methods=["POST"])
def enqueue_then_fail():
    enqueue("recorder.record", {"n": 1})
    abort(400)


class RecorderPlugin(Plugin):
    name = "recorder"
    api_version = "1.1"

    @hookimpl
    def register_job_handlers(self):
        return {"recorder.record": record, "recorder.explode": explode}

    @hookimpl
    def register_blueprints(self):
        return [failing_blueprint]

    @hookimpl
    def init_app(self, app):
        app.extensions["recorder"] = []


def tick(payload):
    current_app.extensions["clockwork"].append("tick")


def chime(payload):
    current_app.extensions["clockwork"].append("chime")


class ClockworkPlugin(Plugin):
    """Periodic jobs: a tick every ten minutes, a chime each day at 3:00 in Paris."""

    name = "clockwork"
    api_version = "1.1"

    @hookimpl
    def register_periodic_jobs(self):  # pluggy lets it leave ``app`` out
        return [
            PeriodicJob("clockwork.tick", tick, every=timedelta(minutes=10)),
            PeriodicJob("clockwork.chime", chime, daily_at=time(3, 0)),
        ]

    @hookimpl
    def init_app(self, app):
        app.extensions["clockwork"] = []


@pytest.fixture
def app_config(monkeypatch):
    enabled = install(
        monkeypatch,
        RecorderPlugin,
        ClockworkPlugin,
        space_archive.SpaceArchivePlugin,
        partner_feed.PartnerFeedPlugin,
    )
    return {"PLUGINS": enabled, "JOBS_MAX_ATTEMPTS": 3, "JOBS_RETRY_DELAY_SECONDS": 60}


def bare_config(tmp_path):
    return {
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "TESTING": True,
        "PLUGINS": [],  # only the plugins given to create_app
    }


def jobs(db, **filters):
    return db.session.scalars(select(Job).filter_by(**filters).order_by(Job.id)).all()


# --- Enqueueing -----------------------------------------------------------------------------


def test_a_job_is_saved_with_the_callers_commit_only(app, db):
    enqueue("recorder.record", {"n": 1})
    db.session.rollback()
    assert jobs(db) == []
    enqueue("recorder.record", {"n": 2})
    db.session.commit()
    (job,) = jobs(db)
    assert (job.kind, job.payload, job.status, job.attempts) == (
        "recorder.record",
        {"n": 2},
        "pending",
        0,
    )


def test_a_request_that_fails_enqueues_nothing(app, db, client):
    assert client.post("/recorder/fail").status_code == 400
    assert jobs(db) == []


def test_an_unknown_kind_or_a_payload_that_is_not_json_is_refused_at_once(app):
    with pytest.raises(KeyError, match=r"no job kind 'recorder\.typo'"):
        enqueue("recorder.typo")
    with pytest.raises(TypeError):
        enqueue("recorder.record", {"when": object()})


def test_plugin_job_kinds_carry_the_plugins_name(tmp_path):
    class Sloppy(Plugin):
        name = "sloppy"
        api_version = "1.1"

        @hookimpl
        def register_job_handlers(self):
            return {"send": record}

    with pytest.raises(PluginError, match=r"'sloppy\.<kind>'"):
        create_app(bare_config(tmp_path), plugins=(Sloppy,))


# --- Running and retrying -------------------------------------------------------------------


def test_the_worker_runs_due_jobs_in_order_and_marks_them_done(app, db):
    for number in range(3):
        enqueue("recorder.record", {"n": number})
    assert run_jobs(app) == 3
    assert app.extensions["recorder"] == [0, 1, 2]
    assert {job.status for job in jobs(db)} == {"done"}


def test_a_worker_of_this_process_runs_a_committed_job_at_once_not_at_its_next_look(app, db):
    app.config["JOBS_POLL_SECONDS"] = 60
    stop = threading.Event()
    worker = threading.Thread(target=work, args=(app,), kwargs={"stop": stop}, daemon=True)
    worker.start()
    threading.Event().wait(0.5)  # it has looked at the empty queue and waits
    try:
        enqueue("recorder.record", {"n": 7})
        db.session.commit()  # wakes the idle worker, which would otherwise look in a minute
        for _ in range(100):
            if app.extensions["recorder"]:
                break
            threading.Event().wait(0.05)
        assert app.extensions["recorder"] == [7]
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()  # stopping does not wait for the poll either


def test_a_job_due_later_waits_for_its_time(app, db, clock):
    enqueue("recorder.record", {"n": 1}, run_at=clock.now() + timedelta(hours=1))
    run_jobs(app)
    assert app.extensions["recorder"] == []
    clock.advance(hours=1)
    run_jobs(app)
    assert app.extensions["recorder"] == [1]


def test_a_failing_job_is_retried_with_exponential_backoff_then_marked_failed(app, db, clock):
    enqueue("recorder.explode")
    run_jobs(app)
    (job,) = jobs(db)
    assert (job.status, job.attempts, job.last_error) == ("pending", 1, "RuntimeError: boom")
    assert job.run_at == clock.now() + timedelta(seconds=60)
    clock.advance(seconds=59)
    run_jobs(app)
    assert job.attempts == 1
    clock.advance(seconds=1)
    run_jobs(app)
    assert (job.attempts, job.run_at) == (2, clock.now() + timedelta(seconds=120))
    clock.advance(seconds=120)
    run_jobs(app)
    assert (job.status, job.attempts) == ("failed", 3)
    clock.advance(days=2)
    run_jobs(app)
    assert job.attempts == 3


def test_a_job_whose_plugin_is_gone_fails_with_a_clear_error(app, db):
    db.session.add(Job(kind="gone.something", payload={}))
    run_jobs(app)
    (job,) = jobs(db, kind="gone.something")
    assert "no handler for jobs of kind 'gone.something'" in job.last_error


def test_a_job_left_running_by_a_stopped_worker_is_run_again(app, db, clock):
    enqueue("recorder.record", {"n": 7})
    db.session.commit()
    assert claim_next() is not None  # a worker took it, then died
    run_jobs(app)
    assert app.extensions["recorder"] == []
    clock.advance(minutes=31)
    run_jobs(app)
    (job,) = jobs(db, kind="recorder.record")
    assert (job.status, job.last_error) == (
        "pending",
        "RuntimeError: the worker stopped while running it",
    )
    clock.advance(minutes=1)  # the usual backoff
    run_jobs(app)
    assert (job.status, job.attempts, app.extensions["recorder"]) == ("done", 2, [7])


def test_parallel_workers_run_each_job_exactly_once(app, db):
    for number in range(40):
        enqueue("recorder.record", {"n": number})
    db.session.commit()
    workers = [threading.Thread(target=work, args=(app,), kwargs={"once": True}) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(app.extensions["recorder"]) == list(range(40))
    db.session.expire_all()
    assert {job.status for job in jobs(db)} == {"done"}


# --- Periodic jobs and housekeeping ---------------------------------------------------------


def test_periodic_jobs_are_enqueued_once_per_period(app, db, clock):
    assert schedule_periodic() == []  # first due one period after the first worker starts
    assert db.session.get(JobSchedule, "jobs.cleanup").next_run_at == clock.now() + timedelta(
        days=1
    )
    clock.advance(days=1)
    assert "jobs.cleanup" in schedule_periodic()
    assert "jobs.cleanup" not in schedule_periodic()  # another worker, the same moment
    assert len(jobs(db, kind="jobs.cleanup")) == 1


def next_runs(db):
    return {row.kind: row.next_run_at for row in db.session.scalars(select(JobSchedule))}


def test_a_plugins_periodic_jobs_run_once_per_period_and_each_day_at_their_time(app, db, clock):
    run_jobs(app)  # the first worker schedules them
    assert next_runs(db)["clockwork.tick"] == clock.now() + timedelta(minutes=10)
    assert next_runs(db)["clockwork.chime"] == datetime(2026, 3, 2, 3, tzinfo=PARIS)
    assert app.extensions["clockwork"] == []
    for minutes in (9, 1, 5, 5):
        clock.advance(minutes=minutes)
        run_jobs(app)
        run_jobs(app)  # another worker, the same moment
    assert app.extensions["clockwork"] == ["tick", "tick"]
    clock.set(datetime(2026, 3, 2, 3, tzinfo=PARIS))
    run_jobs(app)
    assert app.extensions["clockwork"].count("chime") == 1
    assert next_runs(db)["clockwork.chime"] == datetime(2026, 3, 3, 3, tzinfo=PARIS)


def test_a_worker_stopped_for_long_runs_a_missed_periodic_job_once(app, db, clock):
    run_jobs(app)
    clock.advance(days=2)
    run_jobs(app)
    assert app.extensions["clockwork"] == ["tick", "chime"]


def test_daily_jobs_keep_their_local_time_when_summer_time_starts():
    job = PeriodicJob("clockwork.chime", chime, daily_at=time(3, 0))
    saturday = datetime(2026, 3, 28, 3, tzinfo=PARIS)  # 02:00 UTC
    sunday = job.next_run(saturday.astimezone(UTC), PARIS)
    assert sunday == datetime(2026, 3, 29, 1, tzinfo=UTC)  # 03:00 in summer time


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        ({}, "give either every"),
        ({"every": timedelta(hours=1), "daily_at": time(3)}, "give either every"),
        ({"every": timedelta(0)}, "longer than zero"),
        ({"daily_at": time(3, tzinfo=UTC)}, "without tzinfo"),
    ],
)
def test_a_periodic_job_has_exactly_one_sensible_schedule(schedule, problem):
    with pytest.raises(ValueError, match=problem):
        PeriodicJob("clockwork.odd", tick, **schedule)


def test_periodic_job_kinds_carry_the_plugins_name_and_are_unique(tmp_path):
    class Careless(Plugin):
        name = "careless"
        api_version = "1.1"

        @hookimpl
        def register_periodic_jobs(self, app):
            return [PeriodicJob("nightly", tick, every=timedelta(days=1))]

    class Twice(Plugin):
        name = "twice"
        api_version = "1.1"

        @hookimpl
        def register_job_handlers(self):
            return {"twice.sync": record}

        @hookimpl
        def register_periodic_jobs(self, app):
            return [PeriodicJob("twice.sync", tick, every=timedelta(days=1))]

    with pytest.raises(PluginError, match=r"'careless\.<kind>'"):
        create_app(bare_config(tmp_path / "careless"), plugins=(Careless,))
    with pytest.raises(PluginError, match=r"'twice\.sync' is registered twice"):
        create_app(bare_config(tmp_path / "twice"), plugins=(Twice,))


def test_the_core_schedules_its_own_periodic_work_through_the_same_hook(app):
    state = app.extensions["brique"]
    implementers = [impl.plugin_name for impl in state.hook.register_periodic_jobs.get_hookimpls()]
    assert "core" in implementers and "clockwork" in implementers
    schedules = {job.kind: job for job in state.jobs.periodic}
    assert schedules["timeline.announce-steps"].every == timedelta(minutes=5)
    assert schedules["notifications.digests"].daily_at == time(7)
    assert schedules["jobs.cleanup"].every == timedelta(days=1)


def test_the_digest_hour_setting_sets_the_digests_time(tmp_path):
    app = create_app({**bare_config(tmp_path), "NOTIFICATIONS_DIGEST_HOUR": 18})
    schedules = {job.kind: job for job in app.extensions["brique"].jobs.periodic}
    assert schedules["notifications.digests"].daily_at == time(18)


def test_the_registries_of_jobs_and_notification_kinds_live_on_the_apps_brique_state(app):
    state = app.extensions["brique"]
    assert job_registry() is state.jobs and "recorder.record" in state.jobs.handlers
    assert notification_registry() is state.notifications and "reply" in state.notifications.kinds
    assert not {"brique_jobs", "brique_notifications"} & set(app.extensions)


def test_cleanup_forgets_old_finished_jobs_and_keeps_failed_ones(app, db, clock):
    enqueue("recorder.record", {"n": 1})
    db.session.add(Job(kind="gone.x", payload={}, attempts=3))
    run_jobs(app)
    clock.advance(days=15)
    enqueue("jobs.cleanup")
    run_jobs(app)
    kinds = {job.kind for job in jobs(db)}
    assert "gone.x" in kinds and "recorder.record" not in kinds


# --- Commands and the development server ----------------------------------------------------


def test_jobs_work_once_list_and_retry_commands(app, db):
    runner = app.test_cli_runner()
    enqueue("recorder.record", {"n": 1})
    db.session.add(Job(kind="gone.x", payload={}, attempts=2))
    db.session.commit()
    result = runner.invoke(jobs_group, ["work", "--once"])
    assert result.exit_code == 0 and "2 job(s) run." in result.output
    listed = runner.invoke(jobs_group, ["list", "--status", "failed"]).output
    assert "gone.x" in listed and "recorder.record" not in listed
    failed = jobs(db, kind="gone.x")[0]
    assert "1 failed job(s)" in runner.invoke(jobs_group, ["retry", str(failed.id)]).output
    db.session.expire_all()
    assert (failed.status, failed.attempts) == ("pending", 0)


def test_the_inline_worker_starts_only_under_brique_run(monkeypatch):
    assert not started_by_run_command()
    with click.Context(click.Command("work")):
        assert not started_by_run_command()
    run = click.Context(click.Command("run"))
    run.params = {"reload": False}
    with run:
        assert started_by_run_command()
    run.params = {"reload": True}
    with run:
        assert not started_by_run_command()  # the reloader's watching process
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
        assert started_by_run_command()  # the process serving requests


# --- The documentation's example ------------------------------------------------------------


def test_the_space_archive_example_writes_the_archive_in_a_job(app, db, dummy_space):
    signals.space_published.send(dummy_space)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    run_jobs(app)
    path = Path(app.instance_path) / "archive" / f"{dummy_space.slug}.json"
    assert json.loads(path.read_text(encoding="utf-8"))["title"] == dummy_space.title


def test_the_partner_feed_example_writes_its_feed_each_night_and_beats_meanwhile(
    app, db, dummy_space, create_space, clock
):
    create_space("Brouillon", published=False)
    run_jobs(app)
    folder = Path(app.instance_path) / "partner_feed"
    clock.advance(minutes=10)
    run_jobs(app)
    assert (folder / "heartbeat").read_text(encoding="utf-8") == clock.now().isoformat()
    assert not (folder / "processes.json").exists()
    clock.set(datetime(2026, 3, 2, 3, tzinfo=PARIS))
    run_jobs(app)
    feed = json.loads((folder / "processes.json").read_text(encoding="utf-8"))
    assert feed == [{"slug": dummy_space.slug, "title": dummy_space.title}]
