"""One server under 16 writers, 200 open event streams and 32 readers for 30 s: no answer is
a 5xx, no acknowledged write is lost, every stream that follows the articles sees each one
once and in order, the projector catches up within 5 s of the end, and a replay of the
store gives the same read models."""

from __future__ import annotations

import random
import selectors
import socket
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg

from infra.postgres.database import psycopg_conninfo
from infra.readmodels.verify import verify
from tests.helpers import writer_headers
from tests.integration.served import served, wait_for
from tests.integration.test_faults import numbered_article

SECONDS = 30
WRITERS, READERS, STREAMS, FOLLOWERS = 16, 32, 200, 10
KUPIANSK = "geonames:703656"


class Streams:
    """Open event streams, read by one thread: FOLLOWERS of them follow the articles and
    keep what they get; the others ask for an event type nobody writes here, and wait."""

    def __init__(self, base_url: str) -> None:
        address = urlsplit(base_url)
        self.received: dict[socket.socket, bytearray] = {}
        self.closed: list[socket.socket] = []
        self._selector = selectors.DefaultSelector()
        for n in range(STREAMS):
            kind = "ArticleIngested" if n < FOLLOWERS else "ClaimRetracted"
            sock = socket.create_connection((address.hostname, address.port), timeout=10)
            sock.sendall(f"GET /events/stream?type={kind} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sock.setblocking(False)
            self.received[sock] = bytearray()
            self._selector.register(sock, selectors.EVENT_READ)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.2):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                chunk = sock.recv(1 << 20)
                if not chunk:
                    self._selector.unregister(sock)
                    self.closed.append(sock)
                self.received[sock] += chunk

    def followers(self) -> list[bytes]:
        return [bytes(b) for b in list(self.received.values())[:FOLLOWERS]]

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for sock in self.received:
            sock.close()


def test_writers_streams_and_readers_together(clean_database: str, tmp_path: Path) -> None:
    statuses: Counter[tuple[str, int]] = Counter()
    acknowledged: list[str] = []
    numbers = iter(range(10**6))
    lock = threading.Lock()
    stop = threading.Event()

    def write(base_url: str) -> None:
        with httpx.Client(base_url=base_url, timeout=30, headers=writer_headers()) as http:
            while not stop.is_set():
                with lock:
                    number = next(numbers)
                answer = http.post("/articles", json=numbered_article(number))
                with lock:
                    statuses["write", answer.status_code] += 1
                    if answer.status_code == 201:
                        acknowledged.append(answer.json()["article_id"])

    def read(base_url: str) -> None:
        paths = [
            (f"/places/{KUPIANSK}/claims", {"as_of": "2000-03-01"}),
            (f"/places/{KUPIANSK}/claims", {}),
            (f"/places/{KUPIANSK}/timeline", {"from": "2000-01-01"}),
            ("/events", {"limit": "100"}),
            ("/places", {"q": "Koupiansk"}),
        ]
        with httpx.Client(base_url=base_url, timeout=30) as http:
            while not stop.is_set():
                path, params = random.choice(paths)
                answer = http.get(path, params=params)
                with lock:
                    statuses["read", answer.status_code] += 1

    with served(clean_database, tmp_path / "serve.log") as (_, base_url):
        streams = Streams(base_url)
        try:
            threads = [threading.Thread(target=write, args=(base_url,)) for _ in range(WRITERS)]
            threads += [threading.Thread(target=read, args=(base_url,)) for _ in range(READERS)]
            for thread in threads:
                thread.start()
            time.sleep(SECONDS)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            ended = time.monotonic()
            wait_for(lambda: _lag(base_url) == 0, 5, "the projection to catch up")
            print(f"\ncaught up {time.monotonic() - ended:.2f} s after the load; {dict(statuses)}")
            time.sleep(1)  # the streams' last messages
            followed = streams.followers()
            assert not streams.closed, "a stream was closed"
        finally:
            streams.close()

    assert not [s for s in statuses.elements() if s[1] >= 500], statuses
    assert statuses["write", 201] == len(acknowledged) > 0
    _assert_nothing_lost(clean_database, acknowledged, followed)


def _assert_nothing_lost(database_url: str, acknowledged: list[str], followed: list[bytes]) -> None:
    """Every acknowledged article is stored and projected; each following stream saw every
    stored article once, in order; a replay gives the same read models."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        stored = {
            str(row[0])
            for row in conn.execute(
                "SELECT originator_id FROM stored_events WHERE topic = 'ArticleIngested'"
            )
        }
        projected = {str(row[0]) for row in conn.execute("SELECT id FROM articles")}
    assert set(acknowledged) <= stored and set(acknowledged) <= projected
    for raw in followed:
        text = _dechunked(raw).decode()
        ids = [int(line[4:]) for line in text.splitlines() if line.startswith("id: ")]
        assert ids == sorted(set(ids)), "a stream repeated or reordered events"
        assert len(ids) == len(stored), "a stream missed articles"
    assert verify(database_url).identical


def _dechunked(raw: bytes) -> bytes:
    """The body of an HTTP/1.1 answer sent in chunks, as far as it came."""
    parts, at = [], raw.index(b"\r\n\r\n") + 4
    while (line_end := raw.find(b"\r\n", at)) >= 0:
        size = int(raw[at:line_end].split(b";")[0] or b"0", 16)
        start = line_end + 2
        if size == 0 or start + size > len(raw):
            break
        parts.append(raw[start : start + size])
        at = start + size + 2
    return b"".join(parts)


def _lag(base_url: str) -> int:
    return int(httpx.get(base_url + "/ready", timeout=10).json()["projection_lag"])
