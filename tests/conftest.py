"""Test fixtures: one throwaway database per run, on a real PostgreSQL server.

The server is DATABASE_URL's when set, else the one on 127.0.0.1:5432, else an embedded
server started in a temporary folder.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from infra.postgres.database import psycopg_conninfo, with_database
from infra.postgres.migrate import upgrade
from infra.postgres.roles import read_model_tables

READ_MODELS = tuple(read_model_tables())
LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(psycopg_conninfo(url), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL of a maintenance database on a running PostgreSQL server."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield configured
    elif _reachable(LOCAL_SERVER):
        yield LOCAL_SERVER
    else:
        from infra.postgres.embedded import EmbeddedPostgres

        server = EmbeddedPostgres(tmp_path_factory.mktemp("pg") / "pgdata")
        yield server.start()
        server.stop()


@contextmanager
def throwaway_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server, dropped when done."""
    name = f"claimledger_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(psycopg_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(server_url, name)
    finally:
        with psycopg.connect(psycopg_conninfo(server_url), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """A fresh, migrated database for this test run, dropped afterwards."""
    with throwaway_database(server_url) as url:
        upgrade(url)
        yield url


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    """A database with no tables at all, for one test."""
    with throwaway_database(server_url) as url:
        yield url


@pytest.fixture
def clean_database(database_url: str) -> str:
    """The run's database with no events and empty read models."""
    with psycopg.connect(psycopg_conninfo(database_url), autocommit=True) as conn:
        conn.execute(f"TRUNCATE stored_events, {', '.join(READ_MODELS)} RESTART IDENTITY")
    return database_url


@pytest.fixture
def service_role(empty_database: str) -> Iterator[str]:
    """A role name of this test's own, dropped with everything granted to it."""
    role = f"claimledger_test_{uuid.uuid4().hex[:8]}"
    yield role
    with psycopg.connect(psycopg_conninfo(empty_database), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The development corpus; tests that need it are skipped when it is absent."""
    path = Path(os.environ.get("CLAIMLEDGER_CORPUS_DIR", "../shared/corpus"))
    if not (path / "articles").is_dir() or not (path / "gold").is_dir():
        pytest.skip(f"corpus not found at {path} (set CLAIMLEDGER_CORPUS_DIR)")
    return path
