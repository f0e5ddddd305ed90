"""The Python client (client/claimledger_client) against a real server: it follows pages to
the end, asks again after a 429 or a 503 as told, and resumes the event stream after the
server restarts, losing and repeating nothing."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from claimledger_client import AsyncClaimledger, Claimledger, ClaimledgerError, Event
from prometheus_client.parser import text_string_to_metric_families

from infra.readmodels.projector import Projector
from service.access import RateLimiter
from service.app.services import Services
from service.bootstrap import served_app
from service.http.observing import exposition
from tests.e2e.live import serving
from tests.helpers import WRITER_KEY, article, keyed_access

KUPIANSK = "geonames:703656"


def _dated(number: int, day: str) -> dict[str, Any]:
    made = article(url=f"https://example.test/news/{number}", published_on="2025-11-28")
    for claim in made["claims"]:
        claim["claimed_on"] = day
    return made


@pytest.fixture
def app(clean_database: str) -> Any:
    return served_app(lambda: Services.build(clean_database), access=keyed_access())


@pytest.fixture
def base_url(app: Any) -> Iterator[str]:
    with serving(app) as url:
        yield url


def test_pages_are_followed_to_the_end(base_url: str, clean_database: str) -> None:
    with Claimledger(base_url, key=WRITER_KEY) as ledger:
        for number, day in enumerate(["2025-11-20", "2025-11-22", "2025-11-24"], 1):
            assert ledger.ingest(_dated(number, day))["created"]
        Projector(clean_database).catch_up()
        claims = list(ledger.place_claims("Kupiansk", as_of="2025-11-30", limit=2))
        whole = ledger.place_page(KUPIANSK, as_of="2025-11-30", limit=100)
        assert [c.id for c in claims] == [c.id for c in whole.claims] and len(claims) == 6
        events = list(ledger.events(limit=2))
        assert [e.position for e in events] == list(range(1, len(events) + 1))
        assert ledger.claim(claims[0].id).place_id == KUPIANSK
        with pytest.raises(ClaimledgerError) as refused:
            ledger.claim("not-a-uuid")
        assert refused.value.status in (404, 422)

    async def asynchronously() -> list[Any]:
        async with AsyncClaimledger(base_url) as ledger:
            return [c async for c in ledger.place_claims(KUPIANSK, as_of="2025-11-30", limit=4)]

    assert [c.id for c in asyncio.run(asynchronously())] == [c.id for c in claims]


def _requests_answered(status: str) -> float:
    return sum(
        s.value
        for family in text_string_to_metric_families(exposition().decode())
        for s in family.samples
        if s.name == "claimledger_http_requests_total" and s.labels.get("status") == status
    )


def test_a_429_is_asked_again_after_its_retry_after(clean_database: str) -> None:
    limited = keyed_access(limiter=RateLimiter(per_minute=120, burst=2))
    app = served_app(lambda: Services.build(clean_database), access=limited)
    refused = _requests_answered("429")
    with serving(app) as url, Claimledger(url) as ledger:
        for _ in range(4):
            assert ledger.place_page(KUPIANSK).total == 0
    assert _requests_answered("429") > refused


def test_a_503_is_asked_again_after_its_retry_after(
    base_url: str, clean_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.app.reads.MAX_WAIT", 0.2)
    with Claimledger(base_url, key=WRITER_KEY) as ledger:
        position = ledger.ingest(article())["position"]
        # The read models reach the write only after the first answer said 503.
        later = threading.Timer(0.5, Projector(clean_database).catch_up)
        later.start()
        unavailable = _requests_answered("503")
        page = ledger.place_page(KUPIANSK, min_position=position)
        later.join()
    assert page.total == 2
    assert _requests_answered("503") > unavailable


def test_the_stream_resumes_after_the_server_restarts(app: Any) -> None:
    received: queue.Queue[Event] = queue.Queue()
    with serving(app) as url:
        port = int(url.rsplit(":", 1)[1])
        ledger = Claimledger(url, key=WRITER_KEY, retries=50, max_pause=0.2)

        def follow() -> None:
            try:
                for event in ledger.stream(types=["ArticleIngested"]):
                    received.put(event)
            except Exception:  # noqa: BLE001 - the test ends the stream by closing the client
                return

        threading.Thread(target=follow, daemon=True).start()
        httpx.post(
            f"{url}/articles", json=article(), headers={"authorization": f"Bearer {WRITER_KEY}"}
        )
        first = received.get(timeout=10)
    with serving(app, port=port):
        second_article = article(url="https://example.test/news/2")
        posted = httpx.post(
            f"{url}/articles",
            json=second_article,
            headers={"authorization": f"Bearer {WRITER_KEY}"},
        )
        assert posted.status_code == 201
        second = received.get(timeout=20)
        ledger.close()
    assert (first.type, second.type) == ("ArticleIngested", "ArticleIngested")
    assert second.position > first.position
    assert (
        second.aggregate_id == posted.json()["article_id"]
        or str(second.aggregate_id) == (posted.json()["article_id"])
    )
    assert received.empty()


def test_the_command_line_reads_a_running_service(
    base_url: str, clean_database: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import csv
    import io
    import json

    from service.cli.main import main

    monkeypatch.setattr("service.cli.ledger._PAGE", 1)
    monkeypatch.setenv("DATABASE_URL", clean_database)
    with Claimledger(base_url, key=WRITER_KEY) as ledger:
        ledger.ingest(article())
    Projector(clean_database).catch_up()
    capsys.readouterr()
    asked = ["replay", "Kupiansk", "--as-of", "2025-11-30"]
    assert main([*asked, "--api", base_url]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert main([*asked, "--known-at", remote["known_at"]]) == 0
    local = json.loads(capsys.readouterr().out)
    assert remote["claims"] == local["claims"] and len(remote["claims"]) == 2
    assert (
        main(["query", "Kupiansk", "--as-of", "2025-11-30", "--api", base_url, "--format", "csv"])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["claim_id"] for r in rows] == [c["id"] for c in remote["claims"]]
    assert main([*asked, "--api", base_url, "--format", "geojson"]) == 0
    collection = json.loads(capsys.readouterr().out)
    assert collection["features"][0]["geometry"]["type"] == "Point"
    assert main([*asked, "--api", "http://127.0.0.1:1"]) == 2
    assert "cannot reach the service" in capsys.readouterr().err
