"""Writes of any accepted size complete on a real server, a write that cannot get its turn
is a 503 that says so, and SIGTERM stops the server with a write in flight."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from infra.postgres.database import psycopg_conninfo
from tests.helpers import article, writer_headers
from tests.integration.served import served


def _large_article(n: int, size: int) -> dict[str, object]:
    body = f"Article {n}. " + "Les combats continuent pres de la ville. " * (size // 41)
    return article(
        f"https://example.test/large/{n}", body=body, claims=[], contestations=[], extract=False
    )


def test_a_batch_of_fifteen_megabytes_is_written_and_a_write_beside_it_too(
    clean_database: str, tmp_path: Path
) -> None:
    # Fifteen articles near the longest body allowed, within the default 16 MiB request.
    batch = {"articles": [_large_article(n, 990_000) for n in range(15)]}
    answers: dict[str, httpx.Response] = {}
    with served(clean_database, tmp_path / "serve.log") as (_, base_url):
        client = httpx.Client(base_url=base_url, headers=writer_headers(), timeout=60)

        def post(name: str, path: str, body: object) -> None:
            answers[name] = client.post(path, json=body)

        large = threading.Thread(target=post, args=("large", "/articles/batch", batch))
        large.start()
        time.sleep(0.2)
        post("beside", "/articles", article("https://example.test/beside"))
        large.join(timeout=60)
        assert not large.is_alive(), "the 15 MB batch got no answer in 60 s"
        assert answers["large"].status_code == 200, answers["large"].text
        assert answers["large"].json()["created"] == 15
        assert answers["beside"].status_code == 201, answers["beside"].text
        # And the store still takes writes.
        after = client.post("/articles", json=article("https://example.test/after"))
        assert after.status_code == 201, after.text


def test_a_write_that_waits_too_long_for_its_turn_is_503_saying_so_and_writes_nothing(
    clean_database: str, tmp_path: Path
) -> None:
    settings = {"CLAIMLEDGER_WRITE_LOCK_TIMEOUT": "0.5"}
    with (
        served(clean_database, tmp_path / "serve.log", settings=settings) as (_, base_url),
        psycopg.connect(psycopg_conninfo(clean_database)) as holder,
    ):
        holder.execute("LOCK TABLE stored_events IN EXCLUSIVE MODE")
        answer = httpx.post(
            base_url + "/articles", json=article(), headers=writer_headers(), timeout=30
        )
        holder.rollback()
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.headers["retry-after"]
        assert "busy" in answer.json()["detail"] and "0.5 s" in answer.json()["detail"]
        count = holder.execute("SELECT count(*) FROM stored_events").fetchone()
        assert count == (0,)
        again = httpx.post(
            base_url + "/articles", json=article(), headers=writer_headers(), timeout=30
        )
        assert again.status_code == 201, again.text


@pytest.mark.parametrize("options", [(), ("--workers", "2")], ids=["one process", "workers"])
def test_sigterm_stops_the_server_within_its_grace_period_with_a_write_in_flight(
    clean_database: str, tmp_path: Path, options: tuple[str, ...]
) -> None:
    # The write would wait a minute for its turn; the server must not wait for it.
    settings = {"CLAIMLEDGER_WRITE_LOCK_TIMEOUT": "60", "CLAIMLEDGER_WRITE_TIMEOUT": "120"}
    log = tmp_path / "serve.log"
    with (
        served(clean_database, log, *options, settings=settings) as (process, base_url),
        psycopg.connect(psycopg_conninfo(clean_database)) as holder,
    ):
        holder.execute("LOCK TABLE stored_events IN EXCLUSIVE MODE")
        writer = threading.Thread(
            target=lambda: _post_quietly(base_url + "/articles", article()), daemon=True
        )
        writer.start()
        _wait_for_lock_wait(clean_database)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            raise AssertionError("serve still running 20 s after SIGTERM") from None
        took = time.monotonic() - started
        holder.rollback()
    assert took < 12, f"serve took {took:.1f} s to stop"
    assert process.returncode == 0, log.read_text()


def _post_quietly(url: str, body: object) -> None:
    with contextlib.suppress(httpx.HTTPError):
        httpx.post(url, json=body, headers=writer_headers(), timeout=90)


def _wait_for_lock_wait(database_url: str) -> None:
    """Until a session waits for a lock on the event table."""
    deadline = time.monotonic() + 30
    query = (
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'stored_events'::regclass"
    )
    with psycopg.connect(psycopg_conninfo(database_url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(query).fetchone()
            if row and row[0]:
                return
            time.sleep(0.05)
    raise AssertionError("no write came to wait for the event table's lock")
