"""A brand-new empty database for tests that build the schema themselves (migrations, CLI).

SQLite: a file in the test's folder. PostgreSQL (``BRIQUE_TEST_DATABASE_URL`` set):
a throwaway database on the same server, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text


@contextmanager
def fresh_database_url(folder: Path) -> Iterator[str]:
    """Yield the URL of an empty database that disappears after the ``with`` block."""
    base = os.environ.get("BRIQUE_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / 'fresh.db'}"
        return
    url = make_url(base)
    name = f"{url.database}_fresh_{secrets.token_hex(4)}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
