"""`/health` while many event streams are open: its latency with none open and with N open
on the same server, in one run, and how many database connections the server holds then.

    .venv/bin/python -m bench.streams [--streams 500] [--requests 300]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import time
from contextlib import ExitStack

import httpx
import psycopg

from bench.server import WORKERS, api_server
from infra.postgres.database import psycopg_conninfo
from tests.synthetic.history import scratch_database


def main() -> None:
    """Open the streams, time /health before and after, count the connections."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    settings = {"CLAIMLEDGER_MAX_STREAMS_PER_CALLER": str(args.streams)}
    with scratch_database() as url, api_server(url, settings=settings) as started:
        endpoint = started()
        base = f"http://{endpoint.host}:{endpoint.port}"
        idle = _latencies(base, args.requests)
        with ExitStack() as open_:
            for _ in range(args.streams):
                open_.enter_context(_Stream(endpoint.host, endpoint.port))
            time.sleep(1.0)
            loaded = _latencies(base, args.requests)
            held = _connections(url)
    print(f"GET /health, {args.requests} requests one at a time ({WORKERS} server workers)")
    for name, found in (("no stream open", idle), (f"{args.streams} streams open", loaded)):
        ordered = sorted(found)
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        print(f"  {name:20} p50 {statistics.median(found):7.2f} ms   p99 {p99:7.2f} ms")
    print(f"database connections held by the server with the streams open: {held}")


def _latencies(base: str, requests: int) -> list[float]:
    found = []
    with httpx.Client(base_url=base, timeout=10) as http:
        for _ in range(requests):
            started = time.perf_counter()
            assert http.get("/health").status_code == 200
            found.append((time.perf_counter() - started) * 1000)
    return found


class _Stream:
    """An open `GET /events/stream` on a raw socket (closed on exit)."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.sendall(b"GET /events/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        head = b""
        while b"\r\n" not in head:
            head += self.sock.recv(64)
        if b" 200 " not in head.split(b"\r\n")[0] + b" ":
            raise RuntimeError(head.decode(errors="replace"))

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *_: object) -> None:
        self.sock.close()


def _connections(url: str) -> int:
    with psycopg.connect(psycopg_conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


if __name__ == "__main__":
    main()
