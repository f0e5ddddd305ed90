"""What a server tells about itself: `/metrics` in Prometheus's text format (parsed by
prometheus-client's own parser), a request id on every answer and in every problem
document, and one structured access-log line per request."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable

import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from service.http.held import PLACE_CLAIMS_ROUTE
from service.logs import JsonLines
from tests.helpers import article

Client = TestClient  # type: ignore[type-arg]
KUPIANSK = "geonames:703656"


def _samples(client: Client) -> dict[str, list[tuple[dict[str, str], float]]]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def _value(samples: list[tuple[dict[str, str], float]], **labels: str) -> float:
    return sum(v for given, v in samples if all(given.get(k) == x for k, x in labels.items()))


def test_metrics_count_requests_by_route_and_tell_the_projection_lag(
    client: Client, project: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.http.health._DATABASE_EVERY", 0.0)
    before = _samples(client)
    assert client.post("/articles", json=article()).status_code == 201
    lagging = _samples(client)
    assert _value(lagging["claimledger_projection_lag_events"]) >= 1
    project()
    for _ in range(3):
        assert client.get(f"/places/{KUPIANSK}/claims").status_code == 200
    assert client.get("/places/Atlantis/claims").status_code == 404
    assert client.get("/no/such/path").status_code == 404
    after = _samples(client)

    requests = "claimledger_http_requests_total"
    route = {"route": PLACE_CLAIMS_ROUTE, "method": "GET"}
    counted = _value(after[requests], status="200", **route) - _value(
        before.get(requests, []), status="200", **route
    )
    assert counted == 3
    assert _value(after[requests], status="404", **route) >= 1
    assert _value(after[requests], route="unmatched", status="404") >= 1
    assert not any("Atlantis" in labels.get("route", "") for labels, _ in after[requests])
    histogram = after["claimledger_http_request_duration_seconds_count"]
    assert _value(histogram, route=PLACE_CLAIMS_ROUTE) >= 3
    assert _value(after["claimledger_projection_lag_events"]) == 0
    assert _value(after["claimledger_events_last_position"]) >= 3
    assert _value(after["claimledger_database_up"]) == 1
    assert _value(after["claimledger_read_pool_connections"], state="open") >= 1
    assert "claimledger_held_answers_total" in after
    assert "claimledger_event_stream_subscribers" in after


def test_every_answer_has_a_request_id_and_problems_name_it(client: Client) -> None:
    made = client.get("/health").headers["x-request-id"]
    assert uuid.UUID(made)
    given = str(uuid.uuid4())
    assert client.get("/health", headers={"x-request-id": given}).headers["x-request-id"] == given
    for odd in ("not-a-uuid", b"\xff" * 40, "0" * 100):
        made = client.get("/health", headers={"x-request-id": odd}).headers["x-request-id"]
        assert uuid.UUID(made) and made != odd
    problem = client.get("/places/Atlantis/claims")
    assert problem.json()["instance"] == f"urn:uuid:{problem.headers['x-request-id']}"


def test_each_request_is_logged_once_with_its_id(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="claimledger.access"):
        response = client.get(f"/places/{KUPIANSK}/claims")
    lines = [r for r in caplog.records if r.name == "claimledger.access"]
    assert len(lines) == 1
    record = lines[0]
    assert record.request_id == response.headers["x-request-id"]  # type: ignore[attr-defined]
    assert record.route == PLACE_CLAIMS_ROUTE  # type: ignore[attr-defined]
    logged = json.loads(JsonLines().format(record))
    assert logged["status"] == 200 and logged["level"] == "info"
    assert logged["request_id"] == response.headers["x-request-id"]


def test_the_app_leaves_the_logging_set_up_alone(clean_database: str) -> None:
    from service.app.services import Services
    from service.bootstrap import served_app
    from tests.helpers import keyed_access

    root = logging.getLogger()
    before = list(root.handlers)
    app = served_app(lambda: Services.build(clean_database), access=keyed_access())
    with TestClient(app) as client:  # type: ignore[arg-type]
        assert client.get("/health").status_code == 200
    assert root.handlers == before


def test_scrapes_ask_the_database_at_most_once_a_second(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.http.health._ASKED", [float("-inf")])
    assert client.post("/articles", json=article()).status_code == 201
    first = _value(_samples(client)["claimledger_events_last_position"])
    assert (
        client.post("/articles", json=article(url="https://example.test/news/2")).status_code == 201
    )
    again = _value(_samples(client)["claimledger_events_last_position"])
    assert again == first  # the second scrape, within the second, did not ask
