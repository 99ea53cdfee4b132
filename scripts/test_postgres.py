"""The PostgreSQL pass of ``make test``: the same suite, run on PostgreSQL.

Reads TIENDO_TEST_POSTGRES_URL (default ``postgres://postgres@127.0.0.1:5432/postgres``).
When no server answers there, the pass is skipped with one line, except in CI
(``CI=true``), where it fails. Otherwise pytest runs with DATABASE_URL naming a
throwaway database unique to this run; pytest-django creates ``test_<name>`` and
drops it afterwards, and this script drops any leftover of this run in any case.

Extra arguments are passed on to pytest: ``scripts/test_postgres.py -x -q``.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
ROOT = Path(__file__).resolve().parent.parent


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, connect_timeout=3, autocommit=True)


def drop_leftovers(url: str, test_name: str) -> list[str]:
    """Drop this run's test database(s): ``test_<name>`` and any ``test_<name>_gwN`` clones."""
    with connect(url) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR starts_with(datname, %s)",
            [test_name, f"{test_name}_"],
        ).fetchall()
        names = [row[0] for row in rows]
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return names


def main(argv: list[str]) -> int:
    url = os.environ.get("TIENDO_TEST_POSTGRES_URL") or DEFAULT_URL
    try:
        with connect(url) as conn:
            server_version = conn.info.server_version
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            print(
                f"ERROR: PostgreSQL not reachable at {redacted(url)} ({reason}). "
                "CI must run the suite on PostgreSQL: start the server or set TIENDO_TEST_POSTGRES_URL.",
                file=sys.stderr,
            )
            return 1
        print(f"PostgreSQL not reachable at {redacted(url)}: PostgreSQL pass skipped")
        return 0

    name = f"tiendo_ci_{os.getpid()}_{secrets.token_hex(4)}"
    test_name = f"test_{name}"
    env = dict(os.environ)
    env["DATABASE_URL"] = with_database(url, name)
    env.setdefault("TIENDO_ENV", "test")
    major, minor = divmod(server_version, 10000)
    print(f"Running the suite on PostgreSQL {major}.{minor} at {redacted(url)} (database {test_name}) …", flush=True)
    try:
        return subprocess.run([sys.executable, "-m", "pytest", *argv], cwd=ROOT, env=env, check=False).returncode  # noqa: S603
    finally:
        try:
            left = drop_leftovers(url, test_name)
        except psycopg.Error as error:
            print(f"warning: could not check for leftover database {test_name}: {error}", file=sys.stderr)
        else:
            if left:
                print(f"Dropped leftover test database(s): {', '.join(left)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
