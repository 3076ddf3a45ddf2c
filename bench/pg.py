"""Throwaway PostgreSQL databases for the benches (created next to DATABASE_URL's, then dropped)."""

import uuid
from urllib.parse import urlsplit, urlunsplit


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres", query="")), parts


def create_database(url: str, prefix: str) -> str:
    import psycopg

    admin, parts = _admin_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def drop_database(url: str) -> None:
    import psycopg

    admin, parts = _admin_url(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backend_pids(url: str, application_name: str) -> list[int]:
    """PIDs of the server processes serving ``application_name`` in this database."""
    import psycopg

    with psycopg.connect(url, autocommit=True, application_name="bench-monitor") as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            (application_name,),
        ).fetchall()
    return [row[0] for row in rows]
