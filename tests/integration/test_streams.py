"""Open event streams on a real server share one listening connection: many of them leave
the database's connections within the pools' sizes and the projector running, each gets
new events, and the limits on open streams answer 429 and give slots back."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg

from infra.postgres.database import psycopg_conninfo
from tests.helpers import article, writer_headers
from tests.integration.served import served, wait_for

# The read pool (8), the store's pool (4 + 4), the projector's two connections, the event
# hub's and the place memory's listeners, and a connection of the migration check's.
MOST_CONNECTIONS = 8 + 8 + 2 + 1 + 1 + 1


@contextmanager
def stream(base_url: str, headers: str = "") -> Iterator[tuple[int, socket.socket]]:
    """An open `GET /events/stream`: its status and its socket (closed afterwards)."""
    address = urlsplit(base_url)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    try:
        sock.sendall(f"GET /events/stream HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
        head = b""
        while b"\r\n" not in head:
            head += sock.recv(64)
        yield int(head.split(b" ")[1]), sock
    finally:
        sock.close()


def received(sock: socket.socket, wanted: bytes, seconds: float = 10) -> bool:
    """Whether `wanted` arrives on the stream within `seconds`."""
    deadline = time.monotonic() + seconds
    seen = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        seen += chunk
        if wanted in seen:
            return True
    return False


def connections(database_url: str) -> int:
    with psycopg.connect(psycopg_conninfo(database_url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
        return int(row[0]) if row else 0


STREAMS = 500


def test_500_streams_share_the_pools_and_each_gets_new_events(
    clean_database: str, tmp_path: Path
) -> None:
    settings = {"CLAIMLEDGER_MAX_STREAMS_PER_CALLER": str(STREAMS)}
    with (
        served(clean_database, tmp_path / "serve.log", settings=settings) as (_, base_url),
        ExitStack() as open_,
    ):
        streams = [open_.enter_context(stream(base_url)) for _ in range(STREAMS)]
        assert [status for status, _ in streams] == [200] * STREAMS
        time.sleep(0.5)
        assert connections(clean_database) <= MOST_CONNECTIONS
        written = httpx.post(base_url + "/articles", json=article(), headers=writer_headers())
        assert written.status_code == 201, written.text
        article_id = written.json()["article_id"].encode()
        assert all(received(sock, article_id) for _, sock in streams)
        wait_for(
            lambda: httpx.get(f"{base_url}/articles/{article_id.decode()}").status_code == 200,
            10,
            "the projector to project the article",
        )
        ready = httpx.get(base_url + "/ready").json()
        assert ready["ready"] and ready["projector_following"], ready
        assert connections(clean_database) <= MOST_CONNECTIONS


def test_streams_past_a_caller_s_limit_are_429_and_closing_one_frees_its_slot(
    clean_database: str, tmp_path: Path
) -> None:
    settings = {"CLAIMLEDGER_MAX_STREAMS_PER_CALLER": "3", "CLAIMLEDGER_MAX_STREAMS": "5"}
    log = tmp_path / "serve.log"
    with served(clean_database, log, settings=settings) as (_, base_url), ExitStack() as open_:
        anonymous = [open_.enter_context(stream(base_url)) for _ in range(3)]
        assert [status for status, _ in anonymous] == [200] * 3
        with stream(base_url) as (status, sock):
            assert status == 429
            assert received(sock, b"too many event streams")
        # Another caller (a key) has slots of its own, up to the process's limit.
        keyed = "Authorization: " + writer_headers()["Authorization"] + "\r\n"
        assert [open_.enter_context(stream(base_url, keyed))[0] for _ in range(3)] == [
            200,
            200,
            429,
        ]
        anonymous[0][1].close()

        def a_slot_is_free() -> bool:
            with stream(base_url) as (status, _):
                return status == 200

        wait_for(a_slot_is_free, 10, "the closed stream's slot")
