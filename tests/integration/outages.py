"""What the fault tests drive and check: a sustained load of writes and reads against a
served API, a subscriber to its event stream, and the checks of what the store and the
read models hold afterwards."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import psycopg

from infra.postgres.database import psycopg_conninfo
from infra.readmodels.projections import all_projections
from tests.helpers import article, writer_headers
from tests.integration.served import wait_for

KUPIANSK_CLAIMS = "/places/geonames:703656/claims"
PROBLEM_JSON = "application/problem+json"
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
