"""Both clocks over HTTP: answers as known at an earlier record time do not change when
old articles are backfilled or claims retracted; every answer names the events behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from litestar.testing import TestClient

from tests.helpers import article

KUPIANSK = "geonames:703656"
Client = TestClient  # type: ignore[type-arg]


def claims(client: Client, as_of: str = "2025-12-31", known_at: str | None = None) -> Any:
    params = {"as_of": as_of} | ({"known_at": known_at} if known_at else {})
    response = client.get(f"/places/{KUPIANSK}/claims", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def now() -> str:
    return datetime.now(UTC).isoformat()


def backfill() -> dict[str, Any]:
    """A 2022 article, ingested after the 2025 one."""
    body = "Ukraine's general staff said on Saturday that its forces had retaken Kupiansk."
    return {
        "url": "https://example.test/2022/kupiansk",
        "language": "en",
        "published_on": "2022-09-10",
        "body": body,
        "claims": [
            {
                "place": "Kupiansk",
                "claimant": "General Staff",
                "claimant_side": "ukraine",
                "actor_side": "ukraine",
                "kind": "control",
                "claimed_on": "2022-09-10",
                "quote": "its forces had retaken Kupiansk",
            }
        ],
    }


def test_a_backfill_leaves_answers_known_before_it_unchanged(
    client: Client, project: Callable[[], int]
) -> None:
    assert client.post("/articles", json=article()).status_code == 201
    project()
    before_backfill = now()
    answer_then = claims(client, known_at=before_backfill)

    assert client.post("/articles", json=backfill()).status_code == 201
    project()

    # The answer is as of the watermark it echoes (no later than the instant asked for),
    # and asked again at that instant it comes back the same.
    assert answer_then["known_at"] <= before_backfill
    assert claims(client, known_at=answer_then["known_at"]) == answer_then
    again = claims(client, known_at=before_backfill)
    assert {**again, "known_at": None} == {**answer_then, "known_at": None}
    latest = claims(client)
    assert latest["total"] == answer_then["total"] + 1
    assert "2022-09-10" in {c["claimed_on"] for c in latest["claims"]}
    assert claims(client, known_at="2000-01-01T00:00:00Z")["total"] == 0


def test_a_retracted_claim_leaves_answers_from_then_on_only(
    client: Client, project: Callable[[], int]
) -> None:
    ids = [c["id"] for c in client.post("/articles", json=article()).json()["claims"]]
    project()
    before = now()
    response = client.post(
        f"/claims/{ids[0]}/retractions",
        json={"reason": "wrong place: the quote is about Kupiansk-Vuzlovyi", "by": "analyst A"},
    )
    assert response.status_code == 201 and response.json()["created"] is True
    again = client.post(f"/claims/{ids[0]}/retractions", json={"reason": "again", "by": "A"})
    assert again.status_code == 200 and again.json()["created"] is False
    project()

    assert ids[0] in {c["id"] for c in claims(client, known_at=before)["claims"]}
    assert ids[0] not in {c["id"] for c in claims(client)["claims"]}
    stored = client.get(f"/claims/{ids[0]}").json()
    assert stored["status"] == "retracted" and stored["evidence"] == []
    assert stored["retractions"][0]["by"] == "analyst A"
    assert client.get(f"/claims/{ids[0]}", params={"known_at": before}).json()["status"] == (
        "contested"
    )


def test_withdrawing_one_articles_evidence_lowers_the_sources_only(
    client: Client, project: Callable[[], int]
) -> None:
    first = client.post("/articles", json=article()).json()
    second = client.post("/articles", json=article(url="https://example.test/news/2")).json()
    claim_id = first["claims"][0]["id"]
    project()
    assert client.get(f"/claims/{claim_id}").json()["sources"] == 2

    response = client.post(
        f"/claims/{claim_id}/retractions",
        json={"reason": "misquoted", "by": "analyst B", "article_id": second["article_id"]},
    )
    assert response.status_code == 201
    project()
    stored = client.get(f"/claims/{claim_id}").json()
    assert stored["sources"] == 1 and stored["status"] == "contested"
    assert stored["retractions"][0]["article_id"] == second["article_id"]


def test_retracting_an_unknown_claim_or_without_a_reason_is_refused(client: Client) -> None:
    missing = client.post(
        "/claims/00000000-0000-0000-0000-000000000000/retractions",
        json={"reason": "x", "by": "A"},
    )
    assert missing.status_code == 404
    ids = [c["id"] for c in client.post("/articles", json=article()).json()["claims"]]
    blank = client.post(f"/claims/{ids[0]}/retractions", json={"reason": " ", "by": "A"})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "reason"


def test_an_answers_positions_fetch_exactly_the_events_behind_it(
    client: Client, project: Callable[[], int]
) -> None:
    client.post("/articles", json=article())
    client.post("/articles", json=article(url="https://example.test/news/2"))
    project()
    answer = claims(client)
    for claim in answer["claims"]:
        positions = claim["positions"]
        events = client.get("/events", params={"positions": positions}).json()["events"]
        assert [e["position"] for e in events] == positions
        assert {e["aggregate_id"] for e in events} == {claim["id"]}
        assert events[0]["type"] == "ClaimRecorded"


def test_the_feed_filters_by_type_and_record_time(
    client: Client, project: Callable[[], int]
) -> None:
    client.post("/articles", json=article())
    cut = now()
    client.post("/articles", json=backfill())
    everything = client.get("/events", params={"limit": 1000}).json()["events"]
    early = client.get("/events", params={"until": cut, "limit": 1000}).json()["events"]
    assert 0 < len(early) < len(everything)
    assert all(instant(e["recorded_at"]) <= instant(cut) for e in early)
    articles = client.get("/events", params={"type": "ArticleIngested"}).json()["events"]
    assert [e["type"] for e in articles] == ["ArticleIngested", "ArticleIngested"]
    wrong = client.get("/events", params={"type": "Nonsense"})
    assert wrong.status_code == 422 and "type" in wrong.text
