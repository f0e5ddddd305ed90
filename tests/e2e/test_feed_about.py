"""The feed about some claims: `GET /events` and the stream filtered by place (and the places
in it), claimant side and kind give those claims' events and their articles', nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from service.app.services import Services
from service.bootstrap import served_app
from tests.e2e.live import serving
from tests.e2e.test_stream import next_message
from tests.helpers import article, keyed_access, writer_headers

Client = TestClient  # type: ignore[type-arg]


def _izium() -> dict[str, Any]:
    made = article(url="https://example.test/news/izium")
    for claim in made["claims"]:
        claim["place"] = "Izium"
    return made


def _feed(client: Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/events", params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def test_the_feed_about_a_place_side_or_kind(client: Client, project: Callable[[], int]) -> None:
    kupiansk = client.post("/articles", json=article()).json()
    izium = client.post("/articles", json=_izium()).json()
    project()
    everything = _feed(client)
    about_kupiansk = _feed(client, place="Kupiansk")
    aggregates = {e["aggregate_id"] for e in about_kupiansk}
    assert kupiansk["article_id"] in aggregates and izium["article_id"] not in aggregates
    assert {c["id"] for c in kupiansk["claims"]} <= aggregates
    assert not {c["id"] for c in izium["claims"]} & aggregates
    assert len(about_kupiansk) < len(everything)

    # The oblast holds both towns.
    oblast = _feed(client, place="geonames:706482")
    assert {izium["article_id"], kupiansk["article_id"]} <= {e["aggregate_id"] for e in oblast}

    ukrainian = _feed(client, side="ukraine", type="ClaimRecorded")
    assert ukrainian and all(e["payload"]["claimant_side"] == "ukraine" for e in ukrainian)
    assert _feed(client, kind="encirclement") == []
    assert client.get("/events", params={"place": "Atlantis"}).status_code == 404
    assert client.get("/events", params={"side": "martians"}).status_code == 422


@pytest.fixture
def live(clean_database: str) -> Iterator[str]:
    app = served_app(
        lambda: Services.build(clean_database), run_projector=True, access=keyed_access()
    )
    with serving(app) as url:
        yield url


def test_the_stream_about_a_place_gives_only_its_events_as_they_come(live: str) -> None:
    with httpx.Client(base_url=live, timeout=20, headers=writer_headers()) as http:
        params = {"place": "Izium", "type": "ArticleIngested"}
        with http.stream("GET", "/events/stream", params=params) as response:
            assert response.status_code == 200
            lines = response.iter_lines()
            assert http.post("/articles", json=article()).status_code == 201
            izium = http.post("/articles", json=_izium())
            assert izium.status_code == 201
            first = next_message(lines)
    assert first.event == "ArticleIngested"
    assert izium.json()["article_id"] in first.data
