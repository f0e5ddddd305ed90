"""Fault tests: PostgreSQL stops under a sustained ingest and comes back; a projector is
killed in the middle of a batch.

Each runs on a PostgreSQL server of its own, started for this module in a temporary folder
(never a shared server, which they stop and start). The API runs as `claimledger serve` in
a subprocess, as in production. Select them with `-m faults`.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from infra.postgres.database import psycopg_conninfo
from infra.postgres.embedded import EmbeddedPostgres
from infra.postgres.migrate import upgrade
from infra.readmodels.projector import Projector
from infra.readmodels.rebuild import rebuild
from tests.helpers import writer_headers
from tests.integration.outages import (
    KINDS,
    KUPIANSK_CLAIMS,
    OK,
    PROBLEM_JSON,
    Answer,
    Load,
    Subscriber,
    _assert_recorded_and_projected,
    _count,
    _first_success,
    _ingested_positions,
    _read_models,
    _wait_until_projected,
    numbered_article,
)
from tests.integration.served import alive, served, tail, wait_for
from tests.integration.test_embedded import _unavailable_reason
from tests.synthetic.history import generate

OUTAGE_SECONDS = 8.0  # long enough for a pool's doubling reconnect delay to show
RECOVERY_LIMIT = 5.0

_UNAVAILABLE = _unavailable_reason()
pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(_UNAVAILABLE is not None, reason=str(_UNAVAILABLE)),
]


@dataclass(frozen=True)
class Service:
    """The API served over a database of the module's own server."""

    base_url: str
    database_url: str
    server: EmbeddedPostgres
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    pg = EmbeddedPostgres(tmp_path_factory.mktemp("faults") / "pgdata")
    pg.start()
    try:
        yield pg
    finally:
        pg.stop(force=True)


@pytest.fixture(scope="module")
def service(
    server: EmbeddedPostgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    url = server.create_database(f"faults_{uuid.uuid4().hex[:8]}")
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with served(url, log, "--migrate") as (_, base_url):
        yield Service(base_url, url, server, log)


@pytest.fixture
def running(service: Service) -> Service:
    """The service, with its database server up whatever an earlier test left behind."""
    service.server.start()
    return service


# -- (a) the database stops under load ---------------------------------------------------


def test_a_database_restart_under_load_loses_no_acknowledged_write(running: Service) -> None:
    with Subscriber(running.base_url) as subscriber:
        with Load(running.base_url, writers=4) as load:
            wait_for(lambda: len(load.acknowledged()) >= 50, 20, "the first fifty writes")
            before = load.acknowledged()
            down = time.monotonic()
            running.server.stop(force=True, immediate=True)
            time.sleep(OUTAGE_SECONDS)
            running.server.start()
            back = time.monotonic()
            wait_for(lambda: load.recovery(back) is not None, 20, "a write after the restart")
            time.sleep(1)
        answers, acknowledged = load.answers(), load.acknowledged()
        print(f"\n{len(before)} writes acknowledged before the outage, {len(acknowledged)} in all")
        _assert_outage_answered(answers, down, back)
        assert set(before) <= set(acknowledged)

        _wait_until_projected(running.base_url)
        _assert_recorded_and_projected(running.database_url, acknowledged)
        positions = _ingested_positions(running.database_url, acknowledged)
        wait_for(lambda: subscriber.seen(max(positions)), 20, "the event stream")
        streamed = subscriber.positions()
        assert streamed == sorted(set(streamed)), "the stream repeated or reordered events"
        assert set(positions) <= set(streamed), "the stream missed acknowledged articles"
    assert alive(running.base_url)
    assert "Traceback" not in running.log.read_text(), tail(running.log)


def _assert_outage_answered(answers: list[Answer], down: float, back: float) -> None:
    """While the database was down every kind of request was refused with a 503 that says
    when to retry, none waited long or failed otherwise, and each kind succeeded again
    within RECOVERY_LIMIT of the database's return."""
    during = [a for a in answers if a.started >= down and a.ended <= back]
    recovery = {kind: _first_success(answers, kind, back) for kind in KINDS}
    slowest = max(a.seconds for a in answers)
    print(
        f"503s during the outage: {_count(during, 503)}; slowest answer {slowest:.2f} s;"
        " first 2xx after the restart: "
        + ", ".join(f"{kind} {seconds:.2f} s" for kind, seconds in recovery.items() if seconds)
    )
    unexpected = [a for a in answers if a.status not in {*OK[a.kind], 503}]
    assert not unexpected, unexpected[:5]
    for kind in KINDS:
        assert any(a.kind == kind and a.status == 503 for a in during), f"no 503 for {kind}"
        seconds = recovery[kind]
        assert seconds is not None and seconds < RECOVERY_LIMIT, f"{kind} took {seconds} s"
    for refused in (a for a in answers if a.status == 503):
        assert refused.retry_after, refused
        assert refused.kind == "ready" or refused.content_type == PROBLEM_JSON, refused
    assert slowest < 7, f"an answer took {slowest:.2f} s"


def test_after_a_quiet_outage_the_first_requests_succeed(running: Service) -> None:
    with httpx.Client(base_url=running.base_url, timeout=30, headers=writer_headers()) as http:
        assert http.post("/articles", json=numbered_article(9_000)).status_code == 201
        assert http.get(KUPIANSK_CLAIMS, params={"limit": 5}).status_code == 200

        running.server.stop(force=True)
        running.server.start()
        back = time.monotonic()

        assert http.get(KUPIANSK_CLAIMS, params={"limit": 5}).status_code == 200
        assert http.post("/articles", json=numbered_article(9_001)).status_code == 201
        # Ready again once the projector follows the store again (it reconnects within
        # a second or two of noticing the restart).
        wait_for(lambda: http.get("/ready").status_code == 200, 10, "readiness")
        print(f"\nthree requests answered in {time.monotonic() - back:.2f} s after a quiet restart")


# -- (b) a projector killed in the middle of a batch ----------------------------------------

KILLS = 5
ARTICLES = 1_200
BATCH = 100  # events a projector reads at a time
FORKED = multiprocessing.get_context("fork")  # a child with everything imported already


def test_a_projector_killed_mid_batch_resumes_with_nothing_missing_or_doubled(
    server: EmbeddedPostgres,
) -> None:
    server.start()
    url = server.create_database(f"faults_{uuid.uuid4().hex[:8]}")
    upgrade(url)
    events = generate(url, ARTICLES)
    # Random moments over the whole work (each projection reads every event once), short of
    # its last few batches: a moment within the last one comes only once nothing is left
    # to write, and the projector cannot be caught writing after it.
    moments = sorted(random.Random().sample(range(2 * events - 5 * BATCH), KILLS))
    kills: list[tuple[dict[str, int], str]] = []
    for number, moment in enumerate(moments):
        statement = _kill_while_writing(url, f"claimledger-faults-{number}", moment)
        assert statement is not None, f"the projector finished before event {moment}"
        kills.append((Projector(url).positions(), statement))
    print(f"\n{events} events; {len(kills)} projectors killed while writing a batch:")
    for tracked, statement in kills:
        print(f"  then at {tracked}, killed in {statement[:50]!r}")

    Projector(url).catch_up()
    projected = _read_models(url)
    assert set(Projector(url).positions().values()) == {events}
    rebuild(url)
    assert _read_models(url) == projected
    assert len(projected["articles"]) == ARTICLES


def _kill_while_writing(url: str, name: str, moment: int) -> str | None:
    """Run a projector in a child process until the projections have read `moment` events
    between them, then SIGKILL it while it writes a batch; the statement it was running
    (None if it ended first)."""
    projector = FORKED.Process(target=_project, args=(url, name))
    projector.start()
    query = (
        "SELECT query FROM pg_stat_activity WHERE application_name = %s"
        " AND backend_xid IS NOT NULL AND state <> 'idle'"
        " AND query ~* '^(INSERT|UPDATE|DELETE|COPY)'"
        " AND (SELECT sum(position) FROM projection_tracking) >= %s"
    )
    try:
        with psycopg.connect(psycopg_conninfo(url), autocommit=True) as conn:
            while projector.is_alive():
                row = conn.execute(query, (name, moment)).fetchone()
                if row is not None:
                    return str(row[0])
                time.sleep(0.002)
        return None
    finally:
        projector.kill()  # SIGKILL
        projector.join(timeout=10)


def _project(url: str, name: str) -> None:
    os.environ["PGAPPNAME"] = name  # how the parent finds its connection
    Projector(url, batch_size=BATCH).catch_up()


# -- the load -----------------------------------------------------------------------------
