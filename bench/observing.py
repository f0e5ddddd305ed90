"""The cost of counting and timing every request: the as-of query for places held in memory
(the fast path), over HTTP against a real server with `/metrics` on and the same server with
it off (`CLAIMLEDGER_METRICS=false`), in alternating rounds of one run, so that both meet the
same machine. The access log is off in both, as in the other benchmarks.

    .venv/bin/python -m bench.observing [--rounds 3] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from bench import jobs
from bench.load import LoadProcess, LoadResult
from bench.server import WORKERS, api_server
from infra.postgres.database import psycopg_conninfo
from infra.reference.gazetteer import default_gazetteer
from service.cli.render import progress_bar
from service.http.caching import HttpCaching, answered_at
from service.http.observing import ROUTE, Observed
from tests.synthetic.chronicle import Chronicle
from tests.synthetic.history import HistoryWriter, scratch_database

PLACES = 24
CLAIMS_PER_PLACE = 160
CONCURRENCY = 32
WARMUP = 1.0


def main() -> None:
    """Write a history about a few places, then time the fast path with metrics on and off."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each, alternating")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds a round")
    args = parser.parse_args()
    chronicle = Chronicle(default_gazetteer(), 7, PLACES)
    queries = chronicle.queries(2_000)
    load = LoadProcess()
    results: dict[str, list[LoadResult]] = {"on": [], "off": []}
    try:
        with scratch_database() as url:
            writer = HistoryWriter(url, chronicle)
            with progress_bar("history", PLACES * CLAIMS_PER_PLACE) as bar:
                writer.probes(PLACES * CLAIMS_PER_PLACE, bar)
            for round_ in range(args.rounds):
                for metrics in ("on", "off") if round_ % 2 == 0 else ("off", "on"):
                    settings = {"CLAIMLEDGER_METRICS": "true" if metrics == "on" else "false"}
                    with api_server(url, settings=settings) as started:
                        endpoint = started()
                        job = jobs.QueryJob(
                            "http",
                            queries,
                            CONCURRENCY,
                            WARMUP,
                            args.seconds,
                            psycopg_conninfo(url),
                            endpoint,
                        )
                        label = f"round {round_ + 1}, metrics {metrics}"
                        with progress_bar(label, int(10 * (WARMUP + args.seconds))) as bar:
                            result = load.run(
                                jobs.query_load, job, on_progress=bar, seconds=WARMUP + args.seconds
                            )
                        results[metrics].append(result)
    finally:
        load.close()
    _report(results)


def _report(results: dict[str, list[LoadResult]]) -> None:
    rate = {k: statistics.median(r.rate for r in v) for k, v in results.items()}
    p50 = {k: statistics.median(r.latency.p50 for r in v) for k, v in results.items()}
    p99 = {k: statistics.median(r.latency.p99 for r in v) for k, v in results.items()}
    errors = {k: sum(r.errors for r in v) for k, v in results.items()}
    print(f"as-of query for held places, HTTP; medians of {len(results['on'])} rounds each")
    print(f"{'':14}{'requests/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name in ("off", "on"):
        print(
            f"metrics {name:6}{rate[name]:12,.0f}{p50[name]:10.2f}{p99[name]:10.2f}{errors[name]:8}"
        )
    for name in ("off", "on"):
        rounds = ", ".join(f"{r.rate:,.0f}" for r in results[name])
        print(f"  metrics {name} rounds, requests/s: {rounds}")
    print(f"throughput with metrics, as a share of without: {rate['on'] / rate['off']:.3f}")
    print(f"p99 with metrics, as a share of without:        {p99['on'] / p99['off']:.3f}")
    off, on = asyncio.run(_layer_cost(False)), asyncio.run(_layer_cost(True))
    served = WORKERS / rate["off"] * 1e6  # server CPU time a request takes, at most, in µs
    print(f"the request layer alone, in process: {off:.2f} µs a request without metrics,")
    print(f"  {on:.2f} µs with: {on - off:.2f} µs more, {100 * (on - off) / served:.1f} % of the")
    print(f"  {served:.0f} µs a fast-path request takes of a server core ({WORKERS} workers)")
    by_body, by_time = asyncio.run(_caching_cost(False)), asyncio.run(_caching_cost(True))
    print(f"HTTP caching of a {_BODY // 1000} kB answer, in process: {by_body:.1f} µs a request")
    print(f"  when its validator hashes the body, {by_time:.1f} µs when the route says its")
    print("  record time (the validator then hashes the request and that instant)")


_BODY = 100_000


async def _caching_cost(answered: bool, requests: int = 20_000) -> float:
    """Microseconds `HttpCaching` adds to a 100 kB answer given at once."""
    body = b"x" * _BODY
    headers = [(b"content-type", b"application/json")]

    async def answer(scope: Any, receive: Any, send: Any) -> None:
        if answered:
            answered_at(scope, datetime(2025, 11, 21, tzinfo=UTC))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def sink(message: Any) -> None:
        return None

    layer = HttpCaching(answer)
    scope = {"type": "http", "method": "GET", "path": "/places/x/claims", "headers": []}
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(requests):
            await layer({**scope, "query_string": b"as_of=2025-11-21"}, None, sink)
        best = min(best, time.perf_counter() - started)
    return best / requests * 1e6


async def _layer_cost(metrics: bool, requests: int = 200_000) -> float:
    """Microseconds `Observed` adds to a request answered at once, with or without metrics."""

    async def answer(scope: Any, receive: Any, send: Any) -> None:
        scope[ROUTE] = "/places/{place_id}/claims"
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def sink(message: Any) -> None:
        return None

    layer = Observed(answer, access_log=False, metrics=metrics)
    scope = {"type": "http", "method": "GET", "path": "/places/x/claims", "headers": []}
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(requests):
            await layer(dict(scope), None, sink)
        best = min(best, time.perf_counter() - started)
    return best / requests * 1e6


if __name__ == "__main__":
    main()
