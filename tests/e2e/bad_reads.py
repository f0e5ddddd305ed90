"""Bad requests to the endpoints that read: ids that are malformed, unknown, of the wrong kind
or climbing out of their path, and query parameters that are wrong, unknown or repeated."""

from __future__ import annotations

from collections.abc import Iterator

from tests.e2e.bad_requests import (
    BAD_DATES,
    BAD_INSTANTS,
    TRAVERSALS,
    UNKNOWN,
    Bad,
    get,
)

PLACE = "/places/geonames:703656"


def twice(path: str, name: str, first: str, second: str) -> Bad:
    """A GET with a single-valued parameter given two values."""
    params = ((name, first), (name, second))
    return Bad(f"GET {path} {name} twice", "GET", path, params=params, field=name)


def ids() -> Iterator[Bad]:
    for kind, path in (("article", "/articles"), ("claim", "/claims")):
        field = f"{kind}_id"
        yield get(f"{path}/{UNKNOWN}", None, None, "unknown", 404)
        yield get(f"{path}/not-a-uuid", None, field, "malformed")
        yield get(f"{path}/{UNKNOWN[:-1]}", None, field, "one digit short")
        yield get(f"{path}/{UNKNOWN}0", None, field, "one digit long")
        for i, traversal in enumerate(TRAVERSALS):
            yield get(f"{path}/{traversal}", None, None, f"traversal #{i}")
        yield get(f"{path}/{UNKNOWN}", {"expand": "all"}, "expand", "unknown parameter")
    yield get("/articles/{claim}", None, None, "a claim as article", 404)
    yield get("/claims/{article}", None, None, "an article as claim", 404)
    for i, value in enumerate(BAD_INSTANTS):
        yield get("/claims/{claim}", {"known_at": value}, "known_at", f"known_at #{i}")
    yield twice("/claims/{claim}", "known_at", "2025-11-21T00:00:00Z", "2025-11-22T00:00:00Z")


def places() -> Iterator[Bad]:
    yield get("/places", None, "q", "no q")
    for label, q in (("empty", ""), ("long", "k" * 201), ("NUL in", "Kupiansk\x00")):
        yield get("/places", {"q": q}, "q", f"{label} q")
    yield get("/places", {"q": "Kupiansk\x1b"}, "q", "escape in q")
    for i, limit in enumerate(("0", "101", "-1", "ten", "1e3", "", "1" + "0" * 22)):
        yield get("/places", {"q": "Kupiansk", "limit": limit}, "limit", f"limit #{i}")
    yield get("/places", {"q": "Kupiansk", "name": "x"}, "name", "unknown parameter")
    yield twice("/places", "q", "a", "b")
    names = ("geonames:0", "Atlantis", *TRAVERSALS, "x" * 3000, "%00")
    for template in ("/places/{}", "/places/{}/claims", "/places/{}/timeline"):
        for i, name in enumerate(names):
            yield get(template.format(name), None, None, f"unknown place #{i}", 404)
        # Past 4,096 characters of path and query, the server refuses to read it at all.
        yield get(template.format("x" * 5000), None, None, "path too long", 414)


PLACE_CLAIMS: dict[str, list[str]] = {
    "as_of": list(BAD_DATES),
    "side": ["nato", "", "Russia"],
    "kind": ["victory", "Control"],
    "include": ["everything", ""],
    "limit": ["0", "501", "-1", "x", "1" + "0" * 22],
    "offset": ["-1", "1000001", "1.5"],
    "known_at": list(BAD_INSTANTS),
}


def place_claims() -> Iterator[Bad]:
    path = f"{PLACE}/claims"
    for name, values in PLACE_CLAIMS.items():
        for i, value in enumerate(values):
            yield get(path, {name: value}, name, f"{name} #{i}")
    yield get(path, {"asof": "2025-11-21"}, "asof", "misspelt parameter")
    yield get(path, {"limit": "5", "extra": "1"}, "extra", "unknown parameter")
    yield twice(path, "as_of", "2025-11-21", "2025-11-22")


def timeline() -> Iterator[Bad]:
    path = f"{PLACE}/timeline"
    for name in ("from", "to"):
        for i, value in enumerate(BAD_DATES[:4]):
            yield get(path, {name: value}, name, f"{name} #{i}")
    yield get(path, {"from": "2025-11-21", "to": "2025-11-01"}, "from", "from after to")
    yield get(path, {"include": "all"}, "include", "include")
    yield get(path, {"known_at": "now"}, "known_at", "known_at")
    yield get(path, {"since": "2025-01-01"}, "since", "unknown parameter")
    yield get(path, {"from_": "2025-01-01"}, "from_", "python name of from")


EVENTS: dict[str, list[str]] = {
    "after": ["-1", "x", "9223372036854775808", "1" + "0" * 30, "1.5"],
    "limit": ["0", "1001", "-5", "many"],
    "until": list(BAD_INSTANTS),
    "type": ["Bogus", "articleingested"],
    "positions": ["x", "-1", "9223372036854775808", "1.5"],
}


def events() -> Iterator[Bad]:
    for name, values in EVENTS.items():
        for i, value in enumerate(values):
            yield get("/events", {name: value}, name, f"{name} #{i}")
    many = tuple(("positions", str(i)) for i in range(1001))
    yield Bad("GET /events 1001 positions", "GET", "/events", params=many, status=414)
    yield get("/events", {"page": "2"}, "page", "unknown parameter")
    yield twice("/events", "limit", "1", "2")
    for name, value in (("after", "-1"), ("type", "Bogus"), ("from", "0"), ("after", "1e3")):
        yield get("/events/stream", {name: value}, name, f"{name}={value}")
    for value in ("abc", "-1", "9223372036854775808", "9" * 4400, "+12", ""):
        label = f"GET /events/stream Last-Event-ID {value}"
        headers = (("last-event-id", value),)
        yield Bad(label, "GET", "/events/stream", headers=headers, field="Last-Event-ID")
    # A Host header whose port is no number: answered as the path deserves, not with a 500.
    host = (("host", "example.org:abc"),)
    yield Bad(
        "GET unknown place, host port not a number",
        "GET",
        "/places/x:0/claims",
        headers=host,
        status=404,
    )


def routes() -> Iterator[Bad]:
    for method, path in (
        ("DELETE", "/articles/{article}"),
        ("PUT", "/claims/{claim}"),
        ("PATCH", "/articles/{article}"),
        ("POST", "/health"),
        ("DELETE", "/events"),
    ):
        yield Bad(f"{method} {path}", method, path, status=405)
    yield get("/articles/batch/x", None, None, "unknown route", 404)
    yield get("/nowhere", None, None, "unknown route", 404)
    yield get("/articles/{article}/quotes", None, None, "unknown sub-route", 404)
    yield get("/articles/{article}/claims", None, None, "a route read with GET", 405)


def reads() -> Iterator[Bad]:
    """Every bad request to an endpoint that reads."""
    for cases in (ids, places, place_claims, timeline, events, routes):
        yield from cases()
