"""Fault tests: PostgreSQL stops under a sustained ingest and comes back; a projector is
killed in the middle of a batch.

Each runs on a PostgreSQL server of its own, started for this module in a temporary folder
(never a shared server, which they stop and start). The API runs as `claimledger serve` in
a subprocess, as in production. Select them with `-m faults`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from bench.history import generate
from infra.postgres.database import psycopg_conninfo
from infra.postgres.embedded import EmbeddedPostgres
from infra.postgres.migrate import upgrade
from infra.readmodels.projections import all_projections
from infra.readmodels.projector import Projector
from infra.readmodels.rebuild import rebuild
from tests.helpers import article, writer_headers
from tests.integration.served import alive, served, tail, wait_for
from tests.integration.test_embedded import _unavailable_reason

KUPIANSK_CLAIMS = "/places/geonames:703656/claims"
PROBLEM_JSON = "application/problem+json"
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

KINDS = ("write", "claims", "ready")
OK = {"write": {200, 201}, "claims": {200}, "ready": {200}}


@dataclass(frozen=True)
class Answer:
    """One request and what came back (status 0: no HTTP answer at all)."""

    kind: str
    started: float
    ended: float
    status: int
    retry_after: str | None = None
    content_type: str = ""
    article_id: str | None = None

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def ok(self) -> bool:
        return self.status in OK[self.kind]


class Load:
    """Writers posting distinct articles and a reader asking for a place's claims and for
    readiness, each recording every answer, until stopped."""

    def __init__(self, base_url: str, writers: int) -> None:
        self.base_url = base_url
        self._answers: list[Answer] = []
        self._stop = threading.Event()
        self._numbers = iter(range(10**6))
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._write) for _ in range(writers)]
        self._threads.append(threading.Thread(target=self._read))

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def answers(self) -> list[Answer]:
        with self._lock:
            return sorted(self._answers, key=lambda a: a.started)

    def acknowledged(self) -> list[str]:
        """The ids of the articles whose writes were answered 2xx, in order of answer."""
        with self._lock:
            done = sorted((a for a in self._answers if a.ok and a.article_id), key=_ended)
        return [a.article_id for a in done if a.article_id]

    def recovery(self, instant: float) -> float | None:
        """Seconds from `instant` to the first write acknowledged after it."""
        return _first_success(self.answers(), "write", instant)

    def _write(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30, headers=writer_headers()) as http:
            while not self._stop.is_set():
                with self._lock:
                    number = next(self._numbers)
                self._ask(http, "write", "POST", "/articles", json=numbered_article(number))

    def _read(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30) as http:
            while not self._stop.is_set():
                self._ask(http, "claims", "GET", KUPIANSK_CLAIMS, params={"limit": 5})
                self._ask(http, "ready", "GET", "/ready")
                self._stop.wait(0.05)

    def _ask(self, http: httpx.Client, kind: str, method: str, path: str, **options: Any) -> None:
        started = time.monotonic()
        try:
            response = http.request(method, path, **options)
        except httpx.HTTPError:
            answer = Answer(kind, started, time.monotonic(), 0)
        else:
            body = response.json() if kind == "write" and response.is_success else {}
            answer = Answer(
                kind,
                started,
                time.monotonic(),
                response.status_code,
                response.headers.get("retry-after"),
                response.headers.get("content-type", ""),
                body.get("article_id"),
            )
        with self._lock:
            self._answers.append(answer)


class Subscriber:
    """A client of the live event feed that stays connected through the outage."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._positions: list[int] = []
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Subscriber:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock, contextlib.suppress(OSError):  # OSError: the stream has ended
            if self._socket is not None:
                self._socket.shutdown(socket.SHUT_RDWR)  # ends the read the thread waits in
        self._thread.join(timeout=10)

    def positions(self) -> list[int]:
        with self._lock:
            return list(self._positions)

    def seen(self, position: int) -> bool:
        with self._lock:
            return bool(self._positions) and self._positions[-1] >= position

    def _listen(self) -> None:
        timeout = httpx.Timeout(10, read=None)
        params = {"type": "ArticleIngested"}
        try:
            with (
                httpx.Client(base_url=self.base_url, timeout=timeout) as http,
                http.stream("GET", "/events/stream", params=params) as response,
            ):
                with self._lock:
                    self._socket = response.extensions["network_stream"].get_extra_info("socket")
                for line in response.iter_lines():
                    if line.startswith("id:"):
                        with self._lock:
                            self._positions.append(int(line.removeprefix("id:").strip()))
        except httpx.HTTPError:
            return


def numbered_article(number: int) -> dict[str, Any]:
    """The helpers' article made distinct by its url and the date of its claims (a day
    after 2000-01-01 per number), so that concurrent writers never touch the same claim."""
    day = date(2000, 1, 1) + timedelta(days=number)
    body = article(url=f"https://example.test/faults/{number}")
    body["published_on"] = str(day + timedelta(days=1))
    for claim in body["claims"]:
        claim["claimed_on"] = str(day)
    for contestation in body["contestations"]:
        contestation["contested_on"] = str(day)
    return body


# -- helpers --------------------------------------------------------------------------------


def _wait_until_projected(base_url: str) -> None:
    """Wait for /ready to report every projection caught up."""

    def caught_up() -> bool:
        response = httpx.get(base_url + "/ready", timeout=10)
        return response.status_code == 200 and response.json()["projection_lag"] == 0

    wait_for(caught_up, 20, "the projector to catch up")


def _assert_recorded_and_projected(database_url: str, article_ids: list[str]) -> None:
    """Each article has its ArticleIngested event, its read-model row and its evidence."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        recorded = _ids(conn, "SELECT originator_id FROM stored_events WHERE topic = %s")
        articles = _ids(conn, "SELECT id FROM articles")
        evidence = _ids(conn, "SELECT DISTINCT article_id FROM claim_evidence")
    wanted = set(article_ids)
    assert len(wanted) == len(article_ids), "an article was acknowledged twice"
    assert not wanted - recorded, f"{len(wanted - recorded)} acknowledged articles not recorded"
    assert not wanted - articles, f"{len(wanted - articles)} acknowledged articles not projected"
    assert not wanted - evidence, f"{len(wanted - evidence)} acknowledged claims not projected"


def _ids(conn: psycopg.Connection[Any], query: str) -> set[str]:
    params = ("ArticleIngested",) if "%s" in query else None
    return {str(row[0]) for row in conn.execute(query, params).fetchall()}


def _ingested_positions(database_url: str, article_ids: list[str]) -> list[int]:
    """The positions of the articles' ArticleIngested events."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        rows = conn.execute(
            "SELECT notification_id FROM stored_events"
            " WHERE topic = 'ArticleIngested' AND originator_id = ANY(%s::uuid[])",
            (article_ids,),
        ).fetchall()
    return [int(row[0]) for row in rows]


def _read_models(url: str) -> dict[str, list[str]]:
    """Every row of every read model as text, in a stable order (repeats kept)."""
    tables = [table for projection in all_projections() for table in projection.tables]
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        return {
            table: [
                row[0]
                for row in conn.execute(f"SELECT t::text FROM {table} t ORDER BY 1").fetchall()
            ]
            for table in tables
        }


def _first_success(answers: list[Answer], kind: str, instant: float) -> float | None:
    """Seconds from `instant` to the first 2xx of a kind answered after it."""
    ends = [a.ended for a in answers if a.kind == kind and a.ok and a.ended > instant]
    return min(ends) - instant if ends else None


def _count(answers: list[Answer], status: int) -> dict[str, int]:
    return {kind: sum(a.kind == kind and a.status == status for a in answers) for kind in KINDS}


def _ended(answer: Answer) -> float:
    return answer.ended
