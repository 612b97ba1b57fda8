"""Create or drop a PostgreSQL test database: ``pg_database.py create|drop SERVER_URL NAME``.

Exits 1 when the server cannot be reached, so the test script can say so.
"""

import sys

import sqlalchemy as sa


def main(action: str, server: str, name: str) -> int:
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if action == "create":
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL: {error.orig}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
