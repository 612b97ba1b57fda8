"""Casting ballots over HTTP against a production-like server, on PostgreSQL.

gunicorn serves ``brique:create_app()`` with several worker processes; 1,000 voters each fill
a cart (three projects) then fire several checkouts in parallel, as a double click or a
flaky connection would. Prints checkouts per second and the latency of the checkout
requests (median and p95), then checks the database: exactly one cast ballot per voter,
none over the budget.

Usage: .venv/bin/python benchmarks/budgets_checkout.py [--voters 1000] [--duplicates 3]
       [--workers 4] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432]
(needs gunicorn: .venv/bin/pip install gunicorn)
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, func, insert, select, text

SECRET = "benchmark-secret"
PORT = 8765
PROJECTS = [(f"Project {n}", cost) for n, cost in enumerate([30_000, 25_000, 20_000] * 7)]
AMOUNT = 100_000


def main() -> None:
    options = parse_arguments()
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        sys.exit("gunicorn is needed: .venv/bin/pip install gunicorn")
    database = f"brique_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{options.postgres}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {database}"))
    try:
        with tempfile.TemporaryDirectory() as folder:
            run(options, f"{options.postgres}/{database}", folder)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--duplicates", type=int, default=3, help="checkouts fired per voter")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=16, help="client threads")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    return parser.parse_args()


def environment(url: str, folder: str) -> dict[str, str]:
    return {
        **os.environ,
        "BRIQUE_DATABASE_URL": url,
        "BRIQUE_SECRET_KEY": SECRET,
        "BRIQUE_INSTANCE_PATH": folder,
        "BRIQUE_LOCALES": "en",
    }


def run(options: argparse.Namespace, url: str, folder: str) -> None:
    env = environment(url, folder)
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "brique", "db", "upgrade"], env=env, check=True, capture_output=True)
    os.environ.update(env)
    from brique import create_app

    app = create_app()
    with app.app_context():
        slug, component_id, budget_id, project_ids = fill(options.voters)
        cookies = voter_cookies(app, options.voters)
    print(
        f"{options.voters} voters, {len(project_ids)} projects, {options.duplicates} parallel "
        f"checkouts per voter, gunicorn with {options.workers} workers"
    )
    server = subprocess.Popen(
        [
            bin_dir / "gunicorn",
            "-w",
            str(options.workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "brique:create_app()",
        ],
        env=env,
    )
    try:
        wait_for_server()
        base = f"/processes/{slug}/c/{component_id}/{budget_id}/ballot"
        fill_carts(options, base, cookies, project_ids)
        measure_checkouts(options, base, cookies)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with app.app_context():
        check(budget_id, options.voters)


def fill(voters: int) -> tuple[str, int, int, list[int]]:
    """The process, its budgets component (voting open), a budget, the voters."""
    from brique.db import db
    from brique.models import Component, Space, Step, User
    from brique_budgets.models import Budget, Project

    start = datetime.now(UTC) - timedelta(days=1)
    space = Space(title="Bench", slug="bench", published_at=start)
    space.steps.append(
        Step(title="Vote", position=0, start_at=start, end_at=start + timedelta(days=30))
    )
    db.session.add(space)
    db.session.flush()
    component = Component(
        space=space,
        type="budgets",
        name="Budget",
        position=0,
        published_at=start,
        settings={},
        default_step_settings={"votes_open": True},
        step_settings={str(space.steps[0].id): {"votes_open": True}},
        permissions={},
    )
    db.session.add(component)
    db.session.flush()
    budget = Budget(component_id=component.id, title="Budget 2026", amount=AMOUNT)
    db.session.add(budget)
    db.session.flush()
    for title, cost in PROJECTS:
        db.session.add(
            Project(
                budget_id=budget.id,
                component_id=component.id,
                title=title,
                cost=cost,
                selected=True,
                feasibility="feasible",
            )
        )
    db.session.execute(
        insert(User),
        [
            {"email": f"v{n}@example.org", "nickname": f"v{n}", "email_confirmed_at": start}
            for n in range(voters)
        ],
    )
    db.session.commit()
    project_ids = list(db.session.scalars(select(Project.id).where(Project.budget_id == budget.id)))
    return space.slug, component.id, budget.id, project_ids


def voter_cookies(app, voters: int) -> list[tuple[str, str]]:
    """For each voter: a signed session cookie (logged in) and its CSRF token, as the login
    form would have given them."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from brique.db import db
    from brique.models import User

    serializer = app.session_interface.get_signing_serializer(app)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    result = []
    for user in db.session.scalars(select(User).order_by(User.id).limit(voters)):
        # A fresh application context per voter: Flask-WTF caches the token in ``g``.
        with app.app_context(), app.test_request_context():
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            token = generate_csrf()
            result.append((f"{cookie_name}={serializer.dumps(dict(session))}", token))
    return result


def wait_for_server() -> None:
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not start")


def post(path: str, cookie: str, token: str, fields: dict | None = None) -> tuple[int, float, str]:
    """Status, seconds and where the answer redirects to."""
    body = urlencode({"csrf_token": token, **(fields or {})})
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{PORT}/",
    }
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    connection.request("POST", path, body, headers)
    response = connection.getresponse()
    content = response.read()
    connection.close()
    if response.status == 400:
        detail = content.decode(errors="replace").split("<main", 1)[-1][:600]
        print(f"400 on {path}: {detail}", file=sys.stderr)
    return response.status, time.perf_counter() - started, response.getheader("Location", "")


def fill_carts(options, base: str, cookies, project_ids: list[int]) -> None:
    pick = random.Random(4)

    def fill_one(voter):
        cookie, token = voter
        for project_id in pick.sample(project_ids, 3):
            status, _, _ = post(f"{base}/add", cookie, token, {"project_id": project_id})
            if status not in (302, 303):
                sys.exit(f"adding to a cart failed: {status}")

    started = time.perf_counter()
    with ThreadPoolExecutor(options.clients) as pool:
        list(pool.map(fill_one, cookies))
    elapsed = time.perf_counter() - started
    print(
        f"carts filled: {3 * len(cookies)} additions in {elapsed:.1f} s "
        f"({3 * len(cookies) / elapsed:.0f}/s)"
    )


def measure_checkouts(options, base: str, cookies) -> None:
    # The checkouts of one voter follow each other in the queue, so that the client threads
    # send them at the same moment, as a double click or a retrying connection would.
    requests = [voter for voter in cookies for _ in range(options.duplicates)]
    started = time.perf_counter()
    with ThreadPoolExecutor(options.clients) as pool:
        results = list(pool.map(lambda voter: post(f"{base}/cast", *voter), requests))
    elapsed = time.perf_counter() - started
    statuses = [status for status, _, _ in results]
    # The checkout that casts redirects to the receipt; a duplicate, to the ballot as cast.
    cast = [seconds for status, seconds, to in results if status == 302 and "/receipt" in to]
    duplicates = [seconds for status, seconds, to in results if status == 303]
    print(
        f"checkout requests: {len(results)} in {elapsed:.1f} s = {len(results) / elapsed:.0f}/s "
        f"({len(cast)} cast a ballot, {len(duplicates)} found it already cast)"
    )
    print(f"ballots cast per second: {len(cast) / elapsed:.0f}")
    print(f"latency, every checkout request: {latency(r[1] for r in results)}")
    print(f"latency, checkouts that cast: {latency(cast)}")
    print(f"latency, duplicate checkouts: {latency(duplicates)}")
    unexpected = set(statuses) - {302, 303}
    if unexpected:
        sys.exit(f"unexpected statuses: {unexpected}")


def latency(seconds) -> str:
    times = sorted(value * 1000 for value in seconds)
    if not times:
        return "none"
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms ({len(times)} requests)"


def check(budget_id: int, voters: int) -> None:
    from brique.db import db
    from brique_budgets.models import Ballot, BallotItem, Project

    cast = db.session.scalar(
        select(func.count()).where(Ballot.budget_id == budget_id, Ballot.cast_at.is_not(None))
    )
    per_voter_counts = (
        select(func.count().label("n"))
        .where(Ballot.budget_id == budget_id, Ballot.cast_at.is_not(None))
        .group_by(Ballot.user_id)
        .subquery()
    )
    per_voter = db.session.scalar(select(func.max(per_voter_counts.c.n)))
    over = db.session.scalar(
        select(func.count()).select_from(
            select(Ballot.id)
            .join(BallotItem, BallotItem.ballot_id == Ballot.id)
            .join(Project, Project.id == BallotItem.project_id)
            .where(Ballot.cast_at.is_not(None))
            .group_by(Ballot.id)
            .having(func.sum(Project.cost) > AMOUNT)
            .subquery()
        )
    )
    print(
        f"database: {cast} cast ballots for {voters} voters; most ballots of one voter: "
        f"{per_voter}; ballots over the budget: {over}"
    )
    if cast != voters or over:
        sys.exit("integrity check failed")


if __name__ == "__main__":
    main()
