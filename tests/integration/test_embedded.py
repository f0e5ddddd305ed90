"""The embedded PostgreSQL (infra/postgres/embedded.py) really initialises, serves, is shared
and stops.

Runs as root (the server then runs as an unprivileged system user) and as a normal user.
It is skipped only where the bundled PostgreSQL cannot run at all: not Linux or macOS, no
pgserver binaries for this platform, or root that cannot switch to another user.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy

from infra.postgres.embedded import EmbeddedPostgres, EmbeddedPostgresError, bundled_bin_dir
from infra.postgres.embedded.system import binaries_version

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _unavailable_reason() -> str | None:
    if os.name != "posix":
        return "the embedded PostgreSQL needs Unix sockets (Linux or macOS)"
    try:
        bundled_bin_dir()
    except EmbeddedPostgresError as exc:
        return f"no bundled PostgreSQL for this platform: {exc}"
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root, so root must be able to switch to another user
        # (not always possible, e.g. in a user namespace that maps only uid 0).
        try:
            subprocess.run(["true"], user=65534, group=65534, extra_groups=[], check=False)
        except OSError as exc:
            return f"running as root but cannot switch to an unprivileged user: {exc}"
    return None


_UNAVAILABLE = _unavailable_reason()
pytestmark = pytest.mark.skipif(_UNAVAILABLE is not None, reason=str(_UNAVAILABLE))


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[EmbeddedPostgres]:
    pg = EmbeddedPostgres(tmp_path / "pgdata")
    try:
        yield pg
    finally:
        pg.stop(force=True)  # never leave a server behind, whatever the test did


def _in_child_process(code: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, with `data_dir` as sys.argv[1]."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    return subprocess.run(
        [sys.executable, "-c", code, str(data_dir)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_start_query_create_database_and_stop(embedded: EmbeddedPostgres) -> None:
    url = embedded.start()
    assert url.startswith("postgresql://postgres@/postgres?host=/")
    assert embedded.start() == url  # idempotent

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT version()").fetchone()
    assert row is not None
    assert row[0].startswith(f"PostgreSQL {binaries_version(bundled_bin_dir())}.")

    db_url = embedded.create_database("claimledger_test")
    assert embedded.create_database("claimledger_test") == db_url  # already there: no error
    with psycopg.connect(db_url) as conn:
        conn.execute("CREATE TABLE kept (n int)")
        conn.execute("INSERT INTO kept VALUES (42)")
        assert conn.execute("SELECT current_database(), sum(n) FROM kept").fetchone() == (
            "claimledger_test",
            42,
        )

    embedded.stop()
    assert not embedded.is_running()

    # A warm restart on the same folder keeps the data.
    embedded.start()
    with psycopg.connect(embedded.url("claimledger_test")) as conn:
        assert conn.execute("SELECT n FROM kept").fetchone() == (42,)
    embedded.stop()
    assert not embedded.is_running()


def test_sqlalchemy_accepts_the_url(embedded: EmbeddedPostgres) -> None:
    engine = sqlalchemy.create_engine(
        embedded.start().replace("postgresql://", "postgresql+psycopg://", 1)
    )
    try:
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("SELECT current_user")).scalar() == "postgres"
    finally:
        engine.dispose()


def test_another_process_reuses_the_server_without_stopping_it(embedded: EmbeddedPostgres) -> None:
    url = embedded.start()

    child = _in_child_process(
        "import sys\n"
        "from infra.postgres.embedded import EmbeddedPostgres\n"
        "print(EmbeddedPostgres(sys.argv[1]).start())",
        embedded.data_dir,
    )

    assert child.stdout.strip() == url
    assert embedded.is_running(), "the child's exit must not stop a server this process still uses"
    embedded.stop()
    assert not embedded.is_running()


def test_a_crashed_user_does_not_keep_the_server_alive(embedded: EmbeddedPostgres) -> None:
    # The child takes a lease and dies without running atexit, as a crash would.
    _in_child_process(
        "import os, sys\n"
        "from infra.postgres.embedded import EmbeddedPostgres\n"
        "EmbeddedPostgres(sys.argv[1]).start()\n"
        "os._exit(0)",
        embedded.data_dir,
    )
    assert embedded.is_running()  # nobody stopped it

    embedded.start()  # reuse the orphaned server...
    embedded.stop()  # ...and the dead child's lease does not keep it running
    assert not embedded.is_running()


def test_a_cluster_of_another_major_version_is_refused_with_what_to_do(tmp_path: Path) -> None:
    cluster = tmp_path / "pgdata" / "cluster"
    cluster.mkdir(parents=True, mode=0o700)
    (cluster / "PG_VERSION").write_text("9\n")
    pg = EmbeddedPostgres(tmp_path / "pgdata")
    try:
        with pytest.raises(EmbeddedPostgresError, match="made by PostgreSQL 9") as refused:
            pg.start()
        assert "move the folder aside" in str(refused.value)
        assert "DATABASE_URL" in str(refused.value)
    finally:
        pg.stop(force=True)


def test_without_binaries_the_error_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from infra.postgres.embedded import system

    monkeypatch.setattr(system.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(system, "_installed_bin_dir", lambda: None)
    with pytest.raises(EmbeddedPostgresError) as missing:
        bundled_bin_dir()
    assert "DATABASE_URL" in str(missing.value) and "embedded" in str(missing.value)
