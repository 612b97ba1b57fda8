"""Server time of the proposals component at scale: 100,000 proposals, 1,000,000 supports.

Prints, for SQLite and (when reachable) PostgreSQL, the median and p95 server time and the
SQL statements of: the list's first page in the default (random) order and by most supports,
a proposal's page, and a support request (support then remove, so the data stays the same).

    .venv/bin/python benchmarks/proposals.py                       # the issue's sizes
    .venv/bin/python benchmarks/proposals.py --proposals 10000 --supports 100000 --runs 50
    .venv/bin/python benchmarks/proposals.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432

PostgreSQL gets a database of its own (created, then dropped). Times are measured around the
WSGI call of Flask's test client: the server's work, without network or browser.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, insert, text, update

ROOT = Path(__file__).resolve().parents[1]
PER_USER = 20  # supports per participant: users = supports / PER_USER


def main() -> None:
    options = parse_arguments()
    print(
        f"{options.proposals:,} proposals, {options.supports:,} supports, "
        f"{options.comments:,} comments, "
        f"{options.runs} runs per measure"
    )
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", folder, options)
    if options.postgres:
        database = f"brique_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(f"{options.postgres}/postgres", isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f"CREATE DATABASE {database}"))
        except Exception as error:
            print(f"PostgreSQL not reachable ({error.__class__.__name__}): skipped.")
            return
        try:
            with tempfile.TemporaryDirectory() as folder:
                run("PostgreSQL", f"{options.postgres}/{database}", folder, options)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--supports", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432",
        help="server URL without database; '' to skip PostgreSQL",
    )
    return parser.parse_args()


def run(label: str, url: str, folder: str, options: argparse.Namespace) -> None:
    from brique import create_app
    from brique.db import db

    app = create_app(
        {
            "INSTANCE_PATH": folder,
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "BASE_URL": "http://localhost",
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        component, users, proposal_ids = fill(options)
        print(f"\n== {label}: data loaded in {time.perf_counter() - started:.0f} s")
        measure_all(app, component, users, proposal_ids, options.runs)
        db.session.remove()
        db.engine.dispose()


def fill(options: argparse.Namespace) -> tuple[Any, list[int], list[int]]:
    """Insert the space, component, participants, proposals and supports in bulk."""
    from brique.db import db
    from brique.models import Comment, Component, Space, Step, User
    from brique_proposals.models import Participation, Proposal, Support

    start = datetime.now(UTC) - timedelta(days=10)
    space = Space(title="Bench", slug="bench", published_at=start)
    space.steps.append(
        Step(title="Ideas", position=0, start_at=start, end_at=start + timedelta(days=100))
    )
    db.session.add(space)
    db.session.flush()
    step_settings = {"creation_open": True, "supports_enabled": True}
    component = Component(
        space=space,
        type="proposals",
        name="Proposals",
        position=0,
        settings={},
        default_step_settings={},
        step_settings={str(space.steps[0].id): step_settings},
        permissions={"support": {"handlers": {}}},
        published_at=start,
    )
    db.session.add(component)
    db.session.commit()
    count_users = max(1, options.supports // PER_USER)
    chunked(
        User,
        (
            {"email": f"u{n}@example.org", "nickname": f"u{n}", "email_confirmed_at": start}
            for n in range(count_users)
        ),
    )
    users = list(range(1, count_users + 1))
    rng = random.Random(7)
    chunked(
        Proposal,
        (
            {
                "component_id": component.id,
                "author_id": users[n % count_users],
                "title": f"Proposal number {n}: a bench, a tree, a bicycle lane",
                "body": "Lorem ipsum dolor sit amet. " * 20,
                "status": "published",
                "created_at": start + timedelta(seconds=n),
                "published_at": start + timedelta(seconds=n),
                "random_key": rng.random(),
            }
            for n in range(options.proposals)
        ),
    )
    proposal_ids = list(range(1, options.proposals + 1))
    chunked(Support, supports(component.id, users, proposal_ids, options.supports, rng))
    chunked(Comment, comments(component, users, proposal_ids, options.comments, rng))
    chunked(
        Participation,
        ({"component_id": component.id, "user_id": u, "supports": PER_USER} for u in users),
    )
    db.session.execute(
        update(Proposal).values(
            supports_count=text(
                "(SELECT count(*) FROM proposals_supports s "
                "WHERE s.proposal_id = proposals_proposals.id)"
            ),
            comments_count=text(
                "(SELECT count(*) FROM comments c WHERE c.resource_id = proposals_proposals.id "
                "AND c.resource_type = 'proposals.proposal')"
            ),
        )
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
    return db.session.get(Component, component.id), users, proposal_ids


def supports(component_id, users, proposal_ids, total, rng):
    """``PER_USER`` distinct proposals per participant, popular ones more often (Zipf-like)."""
    cumulative = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(proposal_ids))))
    made = 0
    for user in users:
        chosen = set(rng.choices(proposal_ids, cum_weights=cumulative, k=PER_USER * 2))
        for proposal_id in list(chosen)[:PER_USER]:
            if made == total:
                return
            made += 1
            yield {"proposal_id": proposal_id, "user_id": user, "component_id": component_id}


def comments(component, users, proposal_ids, total, rng):
    """Comments on a tenth of the proposals, some with many."""
    commented = rng.sample(proposal_ids, max(1, len(proposal_ids) // 10))
    for n in range(total):
        yield {
            "resource_type": "proposals.proposal",
            "resource_id": commented[int(len(commented) * rng.random() ** 2)],
            "component_id": component.id,
            "space_id": component.space_id,
            "author_id": users[n % len(users)],
            "body": "I agree, and the square needs it too.",
        }


def chunked(model: type, rows, size: int = 20_000) -> None:
    from brique.db import db

    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            db.session.execute(insert(model), batch)
            batch = []
    if batch:
        db.session.execute(insert(model), batch)
    db.session.commit()


def measure_all(app, component, users, proposal_ids, runs: int) -> None:
    from brique.db import db

    base = f"/processes/{component.space.slug}/c/{component.id}/"
    client = app.test_client()
    voter = users[len(users) // 2]
    login(client, voter)
    popular = proposal_ids[0]
    pick = random.Random(3)
    measures = {
        "list, default (random) order": lambda n: client.get(base),
        "list, most supported": lambda n: client.get(base + "?sort=most_supported"),
        "list, most commented": lambda n: client.get(base + "?sort=most_commented"),
        "proposal page": lambda n: client.get(f"{base}{pick.choice(proposal_ids[:1000])}"),
        "support + remove support": lambda n: (
            client.post(f"{base}{proposal_ids[-1 - n]}/support"),
            client.post(f"{base}{proposal_ids[-1 - n]}/unsupport"),
        ),
    }
    print(f"{'measure':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, request in measures.items():
        times, queries = timed(db.engine, request, runs)
        print(f"{name:34} {statistics.median(times):10.1f} {p95(times):8.1f} {queries:>8}")
    client.get(f"{base}{popular}")
    # The sorts did sort: the most supported proposal (Zipf's first) leads that list.
    first = client.get(base + "?sort=most_supported").get_data(as_text=True)
    if "Proposal number 0:" not in first:
        sys.exit("the most supported sort did not put the most supported proposal first")


def login(client, user_id: int) -> None:
    from brique.db import db
    from brique.models import User

    user = db.session.get(User, user_id)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def timed(engine, request, runs: int) -> tuple[list[float], str]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    for n in range(3):  # warm the caches
        check(request(runs + n))
    times, counts = [], set()
    for n in range(runs):
        statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        started = time.perf_counter()
        check(request(n))
        times.append((time.perf_counter() - started) * 1000)
        event.remove(engine, "before_cursor_execute", record)
        counts.add(len(statements))
    return times, "/".join(str(c) for c in sorted(counts))


def check(responses) -> None:
    for response in responses if isinstance(responses, tuple) else (responses,):
        if response.status_code >= 400:
            body = response.get_data(as_text=True)[:300]
            sys.exit(f"request failed: {response.status_code} {body}")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
