"""Places held in memory answer what the database answers, and are forgotten when their
claims change: two apps over one database, one holding places in memory, one not."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from infra.database import psycopg_conninfo
from infra.place_memory import PlaceMemory
from infra.rebuild import rebuild
from service.bootstrap import Services
from service.http.app import create_app
from tests.helpers import keyed_access, writer_headers

KUPIANSK = "geonames:703656"
Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def held(clean_database: str) -> Iterator[Client]:
    """A client of an app that holds places in memory."""
    app = create_app(
        lambda: Services.build(clean_database),
        access=keyed_access(),
        place_memory_bytes=8 * 1024 * 1024,
    )
    with TestClient(app) as client:
        client.headers.update(writer_headers())
        _until(lambda: memory(client).listening)
        yield client


def memory(client: Client) -> PlaceMemory:
    app: Litestar = client.app
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
    """The history, and Kupiansk held in memory after an answer about it."""
    _history(client, project)
    assert _answer(held, "as_of=2025-12-01")["total"] == 5 - 1  # one wholly withdrawn
    assert len(memory(held)) == 1


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
    _history(client, project)
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
