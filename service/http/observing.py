"""What a server tells about itself, decided in one layer for every request, the held-answer
shortcut's included: a request id, one access-log line, and the request counters and latency
histograms that `/metrics` exposes (with the gauges it reads at scrape time).

The request id is the caller's `X-Request-Id` when that is a UUID, else a new one; it is sent
back in `X-Request-Id`, logged with the request, and is the `instance` of any problem
document the request is answered with (`urn:uuid:...`). Requests are counted by route
template (`/places/{place_id}/claims`), never by raw path, so the number of series stays
bounded whatever callers ask for; a path no route takes counts as `unmatched`.
"""

from __future__ import annotations

import logging
import time
import uuid
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REQUEST_ID = "claimledger.request_id"
"""The scope key of the request's id."""
ROUTE = "path_template"
"""The scope key under which the framework (or the held-answer shortcut) names the route."""

log = logging.getLogger("claimledger.access")

REGISTRY = CollectorRegistry(auto_describe=True)
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
"""The latency histogram's upper bounds, in seconds."""


class RequestStats:
    """Requests by route template, method and status, and their latency by route: plain
    counts kept by the one thread that serves requests (the event loop's), turned into
    Prometheus's counter and histogram only when scraped, so a request costs a few dict
    updates and no lock."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, int], int] = {}
        self.latency: dict[str, tuple[list[int], list[float]]] = {}
        self.held = {"hit": 0, "miss": 0}
        """Requests for a place's claims the held-answer shortcut answered or left to the app."""

    def add(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one request."""
        key = (route, method, status)
        self.counts[key] = self.counts.get(key, 0) + 1
        held = self.latency.get(route)
        if held is None:
            held = self.latency[route] = ([0] * (len(LATENCY_BUCKETS) + 1), [0.0])
        held[0][bisect_left(LATENCY_BUCKETS, seconds)] += 1
        held[1][0] += seconds

    def collect(self) -> Iterator[Metric]:
        """The counts as Prometheus metric families."""
        requests = CounterMetricFamily(
            "claimledger_http_requests",
            "HTTP requests answered, by route template, method and status",
            labels=("route", "method", "status"),
        )
        for (route, method, status), count in sorted(self.counts.items()):
            requests.add_metric((route, method, str(status)), count)
        yield requests
        latency = HistogramMetricFamily(
            "claimledger_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by route template",
            labels=("route",),
        )
        bounds = [*(str(b) for b in LATENCY_BUCKETS), "+Inf"]
        for route, (buckets, total) in sorted(self.latency.items()):
            cumulative = list(zip(bounds, accumulate(buckets), strict=True))
            latency.add_metric((route,), cumulative, total[0])
        yield latency
        held = CounterMetricFamily(
            "claimledger_held_answers",
            "Requests for a place's claims the held-answer shortcut answered (hit) or left to"
            " the app (miss)",
            labels=("outcome",),
        )
        for outcome, count in self.held.items():
            held.add_metric((outcome,), count)
        yield held


STATS = RequestStats()
REGISTRY.register(STATS)
EVENTS = Gauge(
    "claimledger_events_last_position",
    "The position of the last event appended to the store",
    registry=REGISTRY,
)
PROJECTED = Gauge(
    "claimledger_projection_position",
    "The position of the last event the claims projection applied",
    registry=REGISTRY,
)
LAG_EVENTS = Gauge(
    "claimledger_projection_lag_events",
    "Events appended that the claims projection has not applied yet",
    registry=REGISTRY,
)
LAG_SECONDS = Gauge(
    "claimledger_projection_lag_seconds",
    "How long ago the oldest event the claims projection has not applied was appended",
    registry=REGISTRY,
)
POOL = Gauge(
    "claimledger_read_pool_connections",
    "The read pool's connections: open, idle, and requests waiting for one",
    ("state",),
    registry=REGISTRY,
)
STREAMS = Gauge(
    "claimledger_event_stream_subscribers",
    "Event streams open on this process",
    registry=REGISTRY,
)
HELD_PLACES = Gauge(
    "claimledger_held_places",
    "Places this process holds in memory",
    registry=REGISTRY,
)
DATABASE_UP = Gauge(
    "claimledger_database_up",
    "Whether the database answered the last scrape's questions (1) or not (0)",
    registry=REGISTRY,
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


EXPOSITION = CONTENT_TYPE_LATEST
"""The media type of `exposition`."""


def exposition() -> bytes:
    """Every metric, in Prometheus's text format."""
    return generate_latest(REGISTRY)


def request_id(scope: Any) -> str | None:
    """The id of the request a scope belongs to (None outside this layer)."""
    found = scope.get(REQUEST_ID)
    return found if isinstance(found, str) else None


def instance(scope: Any) -> str:
    """What a problem document names as its `instance`: the request, by its id."""
    found = request_id(scope)
    return f"urn:uuid:{found}" if found else str(scope.get("path", ""))[:200]


class Observed:
    """An ASGI app: the app, each HTTP request given an id, counted, timed and logged."""

    def __init__(self, app: Any, *, access_log: bool = True, metrics: bool = True) -> None:
        self.app = app
        self.access_log = access_log
        self.metrics = metrics

    # The scope and messages are plain ASGI dicts, as the server makes them.
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        given = _given_id(scope["headers"])
        scope[REQUEST_ID] = identity = given or str(uuid.uuid4())
        status = 500
        sent = 0

        async def tell(message: Any) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {
                    **message,
                    "headers": [*message["headers"], (b"x-request-id", identity.encode())],
                }
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, tell)
        finally:
            seconds = time.perf_counter() - began
            route = scope.get(ROUTE) or "unmatched"
            if self.metrics:
                method = scope["method"] if scope["method"] in _METHODS else "other"
                STATS.add(route, method, status, seconds)
            if self.access_log:
                log.info(
                    "%s %s %d",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "request_id": identity,
                        "route": route,
                        "status": status,
                        "ms": round(seconds * 1000, 3),
                        "bytes": sent,
                        "client": (scope.get("client") or ("", 0))[0],
                    },
                )


def _given_id(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The caller's request id when it sent a UUID as one."""
    for name, value in headers:
        if name == b"x-request-id" and len(value) <= 64:
            try:
                return str(uuid.UUID(value.decode("ascii")))
            except (UnicodeDecodeError, ValueError):
                return None
    return None
