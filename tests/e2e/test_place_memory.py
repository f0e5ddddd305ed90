"""Places held in memory answer what the database answers, and are forgotten when their
claims change: two apps over one database, one holding places in memory (served, as the
server serves it, behind `HeldAnswers`), one not."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from infra.postgres.database import psycopg_conninfo
from infra.readmodels.place_cache import PlaceMemory
from infra.readmodels.rebuild import rebuild
from service.access import Access, RateLimiter
from service.app.services import Services
from service.bootstrap import served_app
from service.http.held import PLACE_CLAIMS_ROUTE, HeldAnswers
from service.http.observing import exposition
from tests.helpers import READER_KEY, keyed_access, writer_headers

KUPIANSK = "geonames:703656"
Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def held(clean_database: str) -> Iterator[Client]:
    """A client of an app that holds places in memory, served as the server serves it."""
    with _holding(clean_database, keyed_access()) as client:
        client.headers.update(writer_headers())
        yield client


@contextmanager
def _holding(database: str, access: Access, **options: Any) -> Iterator[Client]:
    served = served_app(
        lambda: Services.build(database),
        access=access,
        place_memory_bytes=8 * 1024 * 1024,
        **options,
    )
    with TestClient(served) as client:  # type: ignore[arg-type]
        _SHORTCUTS[client] = _layer(served, HeldAnswers)
        _until(lambda: memory(client).listening)
        yield client


_SHORTCUTS: WeakKeyDictionary[Client, HeldAnswers] = WeakKeyDictionary()


def _layer(app: Any, kind: type[HeldAnswers]) -> HeldAnswers:
    """The layer of a kind among those the served app is made of, outermost first."""
    while not isinstance(app, kind):
        app = app.app
    return app


def shortcut(client: Client) -> HeldAnswers:
    return _SHORTCUTS[client]


def memory(client: Client) -> PlaceMemory:
    app: Litestar = shortcut(client).app
    found = app.state.readings.memory
    assert isinstance(found, PlaceMemory)
    return found


def _until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.02)


def _article(number: int, published: str, claims: list[dict[str, Any]], **more: Any) -> Any:
    body = " ".join(f"{c['claimant']} said that {c['quote']}." for c in claims)
    for contestation in more.get("contestations", []):
        body += f" {contestation['by']} said it was {contestation['quote']}."
    return {
        "url": f"https://example.test/news/{number}",
        "outlet": f"outlet{number % 2}.test",
        "language": "en",
        "published_on": published,
        "title": "Kupiansk",
        "body": body,
        "claims": claims,
        **more,
    }


def _claim(key: str, side: str, kind: str, on: str, quote: str, **more: Any) -> dict[str, Any]:
    claimant = {"russia": "Ministry of Defence", "ukraine": "General Staff"}.get(side, "ISW")
    return {
        "id": key,
        "place": "Kupiansk",
        "claimant": claimant,
        "claimant_side": side,
        "actor_side": "ukraine" if side == "third_party" else side,
        "kind": kind,
        "claimed_on": on,
        "quote": quote,
        **more,
    }


def _history(client: Client, project: Callable[[], int]) -> dict[str, str]:
    """Claims over ten days: corroborated, contested on their day and days later, partly
    and wholly withdrawn; their ids by name."""
    taken = _claim("taken", "russia", "control", "2025-11-18", "its troops took Kupiansk")
    held = _claim("held", "ukraine", "control", "2025-11-18", "units still hold the town")
    first = _article(
        1,
        "2025-11-19",
        [taken, held],
        contestations=[
            {
                "contests": "taken",
                "by": "General Staff",
                "by_side": "ukraine",
                "contested_on": "2025-11-18",
                "quote": "a fake",
            }
        ],
    )
    advance = _claim("advance", "third_party", "advance", "2025-11-20", "Russian units advanced")
    second = _article(2, "2025-11-21", [taken, advance])
    ring = _claim("ring", "russia", "encirclement", "2025-11-26", "the town is encircled")
    back = _claim("back", "ukraine", "repelled", "2025-11-25", "assaults were repelled")
    third = _article(3, "2025-11-27", [ring, back])
    ids: dict[str, str] = {}
    articles: dict[int, str] = {}
    for number, body in enumerate((first, second, third), 1):
        response = client.post("/articles", json=body)
        assert response.status_code == 201, response.text
        articles[number] = response.json()["article_id"]
        for claim in response.json()["claims"]:
            ids.setdefault(claim["local_id"], claim["id"])
    later = {"by": "Kremlin", "by_side": "russia", "contested_on": "2025-11-24", "note": "no"}
    assert client.post(f"/claims/{ids['held']}/contestations", json=later).status_code == 201
    partly = {"reason": "misread", "by": "analyst A", "article_id": articles[1]}
    assert client.post(f"/claims/{ids['taken']}/retractions", json=partly).status_code == 201
    wholly = {"reason": "misread", "by": "analyst A", "article_id": articles[2]}
    assert client.post(f"/claims/{ids['advance']}/retractions", json=wholly).status_code == 201
    project()
    return ids


def _history_held(held: Client, client: Client, project: Callable[[], int]) -> None:
    """The history, and Kupiansk held in memory after an answer about it. The projection's
    announcements of the history may still be arriving: one heard while the place is read
    keeps it from being held, and one heard later forgets it. So the place is asked about
    until it stays held a moment after the answer (each time read by the app)."""
    _history(client, project)

    def kept() -> bool:
        assert _answer(held, "as_of=2025-12-01")["total"] == 5 - 1  # one wholly withdrawn
        time.sleep(0.1)
        return len(memory(held)) == 1

    _until(kept)


def _answer(client: Client, query: str) -> Any:
    response = client.get(f"/places/{KUPIANSK}/claims?{query}")
    assert response.status_code == 200, response.text
    answer = response.json()
    answer.pop("known_at")
    return answer


QUERIES = [
    "",
    "&side=russia",
    "&side=ukraine&side=third_party",
    "&kind=control",
    "&limit=1&offset=1",
]


def test_answers_from_memory_are_the_databases(
    held: Client, client: Client, project: Callable[[], int]
) -> None:
    _history_held(held, client, project)
    days = [date(2025, 11, 16) + timedelta(days=n) for n in range(12)]
    compared = []
    for day in days:
        for query in QUERIES:
            from_memory = _answer(held, f"as_of={day}{query}")
            from_database = _answer(client, f"as_of={day}{query}")
            assert from_memory == from_database, (day, query)
            # Sides in the order they first spoke, whatever the order of their last days.
            latest = [list(a["summary"]["latest"]) for a in (from_memory, from_database)]
            assert latest[0] == latest[1], (day, query)
            compared.append(from_memory)

    assert len(memory(held)) == 1
    # The plain queries (as_of, limit, offset) came from the shortcut; the rest from the app.
    assert shortcut(held).answered == len(days) * 2
    statuses = {c["status"] for answer in compared for c in answer["claims"]}
    assert statuses == {"asserted", "contested"}
    # Between its day and the contestation dated later, the claim was not yet contested.
    before = _answer(held, "as_of=2025-11-20&side=ukraine")["claims"][0]
    assert before["status"] == "asserted" and before["contestations"] == []
    assert sum(answer["total"] for answer in compared) > 0


def test_a_place_is_forgotten_when_its_claims_change(
    held: Client, client: Client, project: Callable[[], int]
) -> None:
    _history_held(held, client, project)

    more = _claim("more", "russia", "advance", "2025-11-30", "units advanced in the north")
    assert client.post("/articles", json=_article(4, "2025-12-01", [more])).status_code == 201
    assert _answer(held, "as_of=2025-12-01")["total"] == 4  # not projected yet
    project()
    _until(lambda: _answer(held, "as_of=2025-12-01")["total"] == 5)
    assert _answer(held, "as_of=2025-12-01") == _answer(client, "as_of=2025-12-01")


def test_a_rebuild_empties_the_memory(
    held: Client, client: Client, project: Callable[[], int], clean_database: str
) -> None:
    _history_held(held, client, project)

    rebuild(clean_database)
    _until(lambda: len(memory(held)) == 0)
    assert _answer(held, "as_of=2025-12-01") == _answer(client, "as_of=2025-12-01")


def test_without_its_listener_the_memory_holds_nothing_until_it_listens_again(
    held: Client, client: Client, project: Callable[[], int], clean_database: str
) -> None:
    _history_held(held, client, project)

    with psycopg.connect(psycopg_conninfo(clean_database), autocommit=True) as conn:
        ended = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            (PlaceMemory.APPLICATION,),
        ).fetchall()
    assert ended == [(True,)]
    _until(lambda: not memory(held).listening)
    assert len(memory(held)) == 0
    assert _answer(held, "as_of=2025-12-01") == _answer(client, "as_of=2025-12-01")

    _until(lambda: memory(held).listening)
    _answer(held, "as_of=2025-12-01")
    assert len(memory(held)) == 1


def test_the_shortcut_sends_the_apps_very_answer(
    held: Client, client: Client, project: Callable[[], int]
) -> None:
    _history_held(held, client, project)
    # Each query, and the same query spelled with a percent escape, which only the app reads.
    queries = {
        "": "limit=%3100",
        "as_of=2025-11-21": "as_of=%32025-11-21",
        "as_of=2025-12-01&limit=2&offset=1": "as_of=2025-12-01&limit=%32&offset=1",
        "offset=4": "offset=%34",
    }
    for query, escaped in queries.items():
        before = shortcut(held).answered
        plain = {"accept-encoding": "identity"}
        fast = held.get(f"/places/{KUPIANSK}/claims?{query}", headers=plain)
        slow = held.get(f"/places/{KUPIANSK}/claims?{escaped}", headers=plain)
        assert shortcut(held).answered == before + 1, query
        assert (fast.status_code, slow.status_code) == (200, 200)
        # The same headers; the length is the body's (`known_at` may differ in length).
        assert _headers(fast) == _headers(slow), query
        if query:  # the same query spelled otherwise is the same answer, the same validator
            assert fast.headers["etag"] == slow.headers["etag"], query
        assert fast.headers["content-length"] == str(len(fast.content))
        assert _known_at_aside(fast.content) == _known_at_aside(slow.content), query
    # Spelled names are resolved as the app resolves them.
    assert held.get("/places/Kupyansk/claims?as_of=2025-12-01").json()["place"]["id"] == KUPIANSK


def _headers(response: Any) -> list[tuple[str, str]]:
    """The headers, less those that differ from one answer to the next."""
    # The validator hashes the query as asked: "" and "limit=100" are two requests.
    differ = ("content-length", "x-request-id", "etag")
    return sorted((k, v) for k, v in response.headers.multi_items() if k not in differ)


def _known_at_aside(body: bytes) -> bytes:
    start = body.index(b'"known_at":')
    return body[:start] + body[body.index(b",", start) :]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("as_of=2025-02-30", 422, "as_of"),
        ("as_of=20251201", 422, "as_of"),
        ("as_of=2025-12-01&as_of=2025-12-02", 422, "as_of"),
        ("limit=0", 422, "limit"),
        ("limit=501", 422, "limit"),
        ("limit=+5", 422, "limit"),
        ("offset=1000001", 422, "offset"),
        ("as_of=2025-12-01&colour=red", 422, "colour"),
    ],
)
def test_what_the_shortcut_does_not_take_the_app_refuses(
    held: Client, client: Client, project: Callable[[], int], query: str, status: int, field: str
) -> None:
    _history_held(held, client, project)
    before = shortcut(held).answered
    response = held.get(f"/places/{KUPIANSK}/claims?{query}")
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text
    assert shortcut(held).answered == before


def test_the_shortcut_leaves_unknown_places_refusals_and_cors_to_the_app(
    clean_database: str, client: Client, project: Callable[[], int]
) -> None:
    _history(client, project)
    query = f"/places/{KUPIANSK}/claims?as_of=2025-12-01"
    closed = keyed_access(open_reads=False, limiter=RateLimiter(per_minute=6, burst=2))
    with _holding(clean_database, closed, cors_origins=["https://newsroom.test"]) as held:
        assert held.get(query).status_code == 401  # reads need a key here
        key = {"Authorization": f"Bearer {READER_KEY}"}
        assert held.get(query, headers=key).status_code == 200  # read into memory, by the app
        assert held.get(query, headers=key).status_code == 200  # the shortcut's
        assert shortcut(held).answered == 1
        # The burst of 2 is spent: each request was counted once.
        refused = held.get(query, headers=key)
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert shortcut(held).answered == 1
    with _holding(clean_database, keyed_access(), cors_origins=["https://newsroom.test"]) as held:
        assert held.get("/places/geonames:1/claims").status_code == 404
        held.get(query)
        origin = {"Origin": "https://newsroom.test"}
        answer = held.get(query, headers=origin)
        assert answer.headers["access-control-allow-origin"] == "https://newsroom.test"
        assert shortcut(held).answered == 0
        assert held.get(query).status_code == 200
        assert shortcut(held).answered == 1


def test_should_the_shortcut_fail_the_app_answers(
    held: Client,
    client: Client,
    project: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _history_held(held, client, project)
    readings = shortcut(held).app.state.readings

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(readings, "place_claims_now", broken)
    assert _answer(held, "as_of=2025-12-01") == _answer(client, "as_of=2025-12-01")
    assert shortcut(held).answered == 0
    assert "the held answer failed" in caplog.text


def test_a_csv_asked_of_a_held_place_is_made_by_the_route(
    held: Client, client: Client, project: Callable[[], int]
) -> None:
    _history_held(held, client, project)
    before = shortcut(held).answered
    response = held.get(
        f"/places/{KUPIANSK}/claims?as_of=2025-12-01", headers={"accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert shortcut(held).answered == before
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == _answer(held, "as_of=2025-12-01")["total"]


def test_the_held_answer_is_cached_like_any_other(
    held: Client, client: Client, project: Callable[[], int]
) -> None:
    _history_held(held, client, project)
    before = shortcut(held).answered
    counted = _route_count()
    plain = {"accept-encoding": "identity"}
    first = held.get(f"/places/{KUPIANSK}/claims", headers=plain)
    again = held.get(
        f"/places/{KUPIANSK}/claims", headers={**plain, "if-none-match": first.headers["etag"]}
    )
    zipped = held.get(f"/places/{KUPIANSK}/claims", headers={"accept-encoding": "gzip"})
    assert shortcut(held).answered == before + 3
    assert first.headers["cache-control"] == "no-cache"
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == first.content
    # Counted under the route's own name, as the app counts it.
    assert _route_count() == counted + 3


def _route_count() -> float:
    route = {"route": PLACE_CLAIMS_ROUTE, "method": "GET"}
    return sum(
        s.value
        for family in text_string_to_metric_families(exposition().decode())
        for s in family.samples
        if s.name == "claimledger_http_requests_total" and route.items() <= s.labels.items()
    )
