"""Brique's pytest plugin: the fixtures core, first- and third-party components test with.

Registered through the ``pytest11`` entry point, so any package's tests get
them once Brique is installed. Fixtures come in pairs: a ``create_*``
factory and a ready-made ``dummy_*``.

Set ``BRIQUE_TEST_DATABASE_URL`` to run on PostgreSQL; otherwise the tests run on
SQLite. Either way each test starts on an empty database.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import event, text

from brique.clock import FrozenClock

#: The moment the ``clock`` fixture starts at: a Sunday morning in March 2026.
FROZEN_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TEST_PASSWORD = "correct horse battery staple"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "with_plugins(*names): enable only these plugins")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str | None]:
    """The PostgreSQL URL from ``BRIQUE_TEST_DATABASE_URL``, or ``None`` for SQLite.

    Under pytest-xdist (``pytest -n 2``) each worker tests on a database of its own on that
    server, ``<name>_<worker>``, made for the session and dropped after it; the worker's
    ``BRIQUE_TEST_DATABASE_URL`` names it meanwhile.
    """
    url = os.environ.get("BRIQUE_TEST_DATABASE_URL") or None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or worker is None:
        yield url
        _close_engines()
        return
    with _database_of_worker(url, worker) as own, pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIQUE_TEST_DATABASE_URL", own)
        yield own
        _close_engines()  # before the database is dropped


@contextmanager
def _database_of_worker(url: str, worker: str) -> Iterator[str]:
    from sqlalchemy import create_engine, make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with server.connect() as connection:
        connection.execute(drop)
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(drop)
        server.dispose()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override to change settings of the ``app`` fixture in a test module."""
    return {}


@pytest.fixture
def app(
    request: pytest.FixtureRequest,
    tmp_path: Any,
    tmp_path_factory: pytest.TempPathFactory,
    database_url: str | None,
    app_config: dict[str, Any],
) -> Iterator[Any]:
    """A Brique app on a clean database, with a frozen clock and CSRF off.

    Override the ``app_config`` fixture to change settings, e.g. return
    ``{"WTF_CSRF_ENABLED": True}`` in the tests of CSRF protection.
    """
    from brique import create_app

    marker = request.node.get_closest_marker("with_plugins")
    config = {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-" + secrets.token_hex(8),
        "DATABASE_URL": database_url or _sqlite_url(tmp_path_factory),
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "BASE_URL": "http://localhost",
        "SERVER_NAME": "localhost",
        **({"PLUGINS": list(marker.args)} if marker else {}),
        **app_config,
    }
    application = create_app(config)
    application.extensions["brique"].clock = FrozenClock(FROZEN_AT)
    application.jinja_env.bytecode_cache = _COMPILED_TEMPLATES
    with application.app_context():
        _take_shared_engine(application)
        _create_schema(application)
        try:
            yield application
        finally:
            _empty_schema(application)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per test session rather than once per test.

    Every test has its own app, hence its own Jinja environment; compiling the same templates
    again was a third of a test's time. A template whose source changed is compiled afresh.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = CompiledTemplates()

# --- One engine and database for the session, emptied for each test ----------------------------
# An engine per test meant new connections (a server process each on PostgreSQL) and every
# SQL statement compiled again, since SQLAlchemy caches them per engine: some 30 ms of each
# test. So each test's app takes over the engine of the tests before it, connections included,
# and starts on an empty database all the same: on SQLite a copy of the template database
# over the session's file, on PostgreSQL the tables emptied by the test before.

#: The engines the tests hand on, by URL.
_ENGINES: dict[Any, Any] = {}
#: SQLite's template databases, by set of tables (tests may define models).
_SQLITE_TEMPLATES: dict[tuple[str, ...], sqlite3.Connection] = {}
#: The (URL, set of tables) whose tables exist on PostgreSQL.
_CREATED_SCHEMAS: set[tuple[Any, tuple[str, ...]]] = set()
#: How many SQLite files were given up: a connection a test left open may lock its file.
_ABANDONED_SQLITE_FILES: list[Any] = []


def _sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    number = len(_ABANDONED_SQLITE_FILES)
    return f"sqlite:///{tmp_path_factory.getbasetemp() / f'brique-{number}.db'}"


def _take_shared_engine(application: Any) -> None:
    """Give the app the engine of the tests before it on the same database.

    Flask-SQLAlchemy has no public way to set an app's engine; without its private mapping,
    each app keeps its own.
    """
    from brique.db import db

    engines = getattr(db, "_app_engines", {}).get(application)
    if not engines:
        return
    own = engines[None]
    shared = _ENGINES.setdefault(own.url, own)
    if shared is not own:
        engines[None] = shared
        own.dispose()


def _create_schema(application: Any) -> None:
    from brique.db import db

    key = tuple(sorted(db.metadata.tables))
    if db.engine.dialect.name != "sqlite":
        if (db.engine.url, key) not in _CREATED_SCHEMAS:
            db.create_all()
            _CREATED_SCHEMAS.add((db.engine.url, key))
        return
    # Creating ~100 tables and their indexes is most of a SQLite test's set-up: do it once per
    # set of tables, then copy that database over the file (SQLite's backup API replaces all).
    template = _SQLITE_TEMPLATES.get(key)
    if template is None:
        _copy_sqlite(sqlite3.connect(":memory:"), db.engine)  # an empty database first
        db.create_all()
        template = sqlite3.connect(":memory:")
        with db.engine.connect() as connection:
            connection.connection.driver_connection.backup(template)
        _SQLITE_TEMPLATES[key] = template
        return
    _copy_sqlite(template, db.engine)


def _copy_sqlite(source: sqlite3.Connection, engine: Any) -> None:
    with engine.connect() as connection:
        source.backup(connection.connection.driver_connection)


def _empty_schema(application: Any) -> None:
    from brique.db import db

    db.session.remove()
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            _empty_postgresql(connection, db.metadata.sorted_tables)
    if _ENGINES.get(engine.url) is not engine:
        engine.dispose()
    elif engine.pool.checkedout():  # the test left a connection open: the next starts afresh
        del _ENGINES[engine.url]
        engine.dispose()
        if engine.dialect.name == "sqlite":
            _ABANDONED_SQLITE_FILES.append(engine.url)


def _empty_postgresql(connection: Any, tables: list[Any]) -> None:
    """Delete the rows a test left and restart the sequences it used, as a fresh database.

    ``TRUNCATE`` of every table gives each one new files, 0.1 to 0.9 s a test whatever they
    hold; most tables are still empty, so find the others in one query and delete from them,
    children first.
    """
    quote = connection.dialect.identifier_preparer.format_table
    probe = " UNION ALL ".join(
        f"SELECT {number} WHERE EXISTS (SELECT FROM {quote(table)})"
        for number, table in enumerate(tables)
    )
    filled = set(connection.execute(text(probe)).scalars())
    for number in sorted(filled, reverse=True):
        connection.execute(tables[number].delete())
    connection.execute(text(_RESTART_USED_SEQUENCES))


#: ``setval`` rather than ``ALTER SEQUENCE ... RESTART``: one query for all, and no DDL.
_RESTART_USED_SEQUENCES = (
    "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
    "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def _close_engines() -> None:
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


@pytest.fixture
def db(app: Any) -> Any:
    """The database extension (``db.session``), bound to the test app."""
    from brique.db import db as database

    return database


@pytest.fixture
def clock(app: Any) -> FrozenClock:
    """The app's frozen clock: ``clock.set(datetime)``, ``clock.advance(days=3)``."""
    return app.extensions["brique"].clock


class BriqueTestClient(FlaskClient):
    """Runs each request in its own app context, hence its own database session, as in
    production; the test's session is committed before and expired after each request."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from brique.db import db

        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app: Any) -> Any:
    """A test client whose requests each get a fresh app context and database session."""
    app.test_client_class = BriqueTestClient
    return app.test_client()


@pytest.fixture
def create_user(db: Any) -> Callable[..., Any]:
    """Factory: ``create_user(nickname="ana", confirmed=True, admin=False, **columns)``."""
    from brique.models import User

    counter = iter(range(1, 1_000_000))

    def factory(
        nickname: str | None = None,
        *,
        confirmed: bool = True,
        admin: bool = False,
        password: str = TEST_PASSWORD,
        **columns: Any,
    ) -> User:
        number = next(counter)
        nickname = nickname or f"user{number}"
        columns.setdefault("email", f"{nickname}@example.org")
        user = User(
            nickname=nickname,
            is_admin=admin,
            session_token=secrets.token_hex(8),
            email_confirmed_at=FROZEN_AT if confirmed else None,
            **columns,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def dummy_user(create_user: Callable[..., Any]) -> Any:
    """A confirmed participant, ``dummy``."""
    return create_user("dummy")


@pytest.fixture
def admin_user(create_user: Callable[..., Any]) -> Any:
    """A platform administrator."""
    return create_user("admin", admin=True)


@pytest.fixture
def create_space(db: Any) -> Callable[..., Any]:
    """Factory: ``create_space(title=..., published=True, steps=[(start, end), ...])``."""
    from brique.models import Space, Step

    counter = iter(range(1, 1_000_000))

    def factory(
        title: str | None = None,
        *,
        published: bool = True,
        steps: list[tuple[datetime, datetime]] | None = None,
        **columns: Any,
    ) -> Space:
        number = next(counter)
        columns.setdefault("slug", f"space-{number}")
        space = Space(
            title=title or f"Space {number}",
            published_at=FROZEN_AT if published else None,
            **columns,
        )
        for position, (start, end) in enumerate(steps or []):
            space.steps.append(
                Step(title=f"Step {position + 1}", position=position, start_at=start, end_at=end)
            )
        db.session.add(space)
        db.session.commit()
        return space

    return factory


@pytest.fixture
def dummy_space(create_space: Callable[..., Any]) -> Any:
    """A published space with three steps: past, current (holding ``FROZEN_AT``), upcoming."""
    day = timedelta(days=1)
    return create_space(
        "Budget participatif",
        steps=[
            (FROZEN_AT - 20 * day, FROZEN_AT - 5 * day),
            (FROZEN_AT - 5 * day, FROZEN_AT + 10 * day),
            (FROZEN_AT + 10 * day, FROZEN_AT + 30 * day),
        ],
    )


@pytest.fixture
def people(db: Any, create_user: Callable[..., Any], dummy_space: Any) -> dict[str, Any]:
    """Everyone a permissions test asks about, by name: ``anonymous`` (``None``),
    ``unconfirmed`` (e-mail not confirmed), ``participant``, ``valuator``, ``moderator`` and
    ``space_admin`` (their roles in ``dummy_space``), ``platform_admin``. Override it to add
    people of your own: ``def people(people, create_user): return {**people, ...}``."""
    from brique.models import SpaceRole

    found = {
        "anonymous": None,
        "unconfirmed": create_user("unconfirmed", confirmed=False),
        "participant": create_user("participant"),
        "platform_admin": create_user("platform_admin", admin=True),
    }
    for role, name in (
        ("valuator", "valuator"),
        ("moderator", "moderator"),
        ("admin", "space_admin"),
    ):
        found[name] = create_user(name)
        db.session.add(SpaceRole(space=dummy_space, user=found[name], role=role))
    db.session.commit()
    return found


@pytest.fixture
def create_component(db: Any, app: Any) -> Callable[..., Any]:
    """Factory: ``create_component(space, "proposals", step_settings={step: {...}})``."""
    from brique.clock import now
    from brique.components import component_type
    from brique.models import Component

    def factory(
        space: Any,
        type_name: str,
        *,
        name: str | None = None,
        settings: dict[str, Any] | None = None,
        step_settings: dict[Any, dict[str, Any]] | None = None,
        default_step_settings: dict[str, Any] | None = None,
        permissions: dict[str, Any] | None = None,
        published: bool = True,
    ) -> Any:
        ctype = component_type(type_name)
        if ctype is None:
            raise LookupError(f"component type {type_name!r} is not enabled in this app")
        component = Component(
            space=space,
            type=type_name,
            name=name or str(ctype.label),
            position=len(space.components),
            settings=ctype.load_settings(settings or {}),
            default_step_settings=ctype.load_step_settings(default_step_settings or {}),
            step_settings={
                str(getattr(step, "id", step)): ctype.load_step_settings(values)
                for step, values in (step_settings or {}).items()
            },
            permissions=permissions or {},
            published_at=now() if published else None,
        )
        db.session.add(component)
        db.session.commit()
        return component

    return factory


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    """``login(user)`` logs the test ``client`` in as ``user``; ``login(None)`` logs out."""

    def log_in(user: Any) -> Any:
        with client.session_transaction() as session:
            if user is None:
                session.pop("_user_id", None)
            else:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
        return client

    return log_in


@pytest.fixture
def count_queries(db: Any) -> Callable[[], Any]:
    """``with count_queries() as queries: ...`` then ``len(queries)`` is the SQL statements run."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def outbox(app: Any) -> Callable[[], list[Any]]:
    """``outbox()`` returns the e-mails sent so far, oldest first, as ``EmailMessage``."""
    from email import policy
    from email.parser import BytesParser
    from pathlib import Path

    def read() -> list[Any]:
        folder = Path(app.instance_path) / "outbox"
        files = sorted(folder.glob("*.eml")) if folder.exists() else []
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in files]

    return read


@pytest.fixture
def run_jobs(app: Any, db: Any) -> Callable[[], int]:
    """``run_jobs()`` runs the background jobs due now, as ``brique jobs work --once`` would
    (each in its own session), and returns how many ran; the test's session then sees what
    they changed. Commit first what the jobs must see: ``run_jobs`` commits the test's session."""
    from brique.jobs.queue import work

    def run() -> int:
        db.session.commit()
        count = work(app, once=True)
        db.session.expire_all()
        return count

    return run
