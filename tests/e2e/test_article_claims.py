"""An analyst's claims added to an article the ledger holds (`POST /articles/{id}/claims`)."""

from __future__ import annotations

from collections.abc import Callable

from litestar.testing import TestClient

from tests.helpers import article

Client = TestClient  # type: ignore[type-arg]
IZIUM_CLAIM = {
    "id": "i1",
    "place": "Izyum",
    "claimant": "Russian Ministry of Defence",
    "claimant_side": "russia",
    "actor_side": "russia",
    "kind": "advance",
    "claimed_on": "2025-11-18",
    "quote": "Fighting continues near Izium",
}


def _stored_without_claims(client: Client) -> str:
    response = client.post("/articles", json=article(claims=[], contestations=[]))
    assert response.status_code == 201, response.text
    return str(response.json()["article_id"])


def test_a_claim_added_to_a_stored_article_is_recorded_once(
    client: Client, project: Callable[[], int], event_count: Callable[[], int]
) -> None:
    article_id = _stored_without_claims(client)
    before = event_count()
    added = client.post(f"/articles/{article_id}/claims", json={"claims": [IZIUM_CLAIM]})
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["recorded"] == 1 and len(body["claim_ids"]) == 1
    assert event_count() == before + 1
    again = client.post(f"/articles/{article_id}/claims", json={"claims": [IZIUM_CLAIM]})
    assert again.status_code == 200 and again.json()["recorded"] == 0
    assert again.json()["claim_ids"] == body["claim_ids"]
    assert event_count() == before + 1
    project()
    claim = client.get(f"/claims/{body['claim_ids'][0]}").json()
    assert claim["evidence"][0]["article_id"] == article_id
    assert claim["evidence"][0]["recorded_by"] == "analyst"
    assert claim["evidence"][0]["quote"] == IZIUM_CLAIM["quote"]


def test_a_quote_not_in_the_stored_body_is_refused_and_nothing_written(
    client: Client, event_count: Callable[[], int]
) -> None:
    article_id = _stored_without_claims(client)
    before = event_count()
    wrong = {**IZIUM_CLAIM, "quote": "Izium was captured"}
    response = client.post(f"/articles/{article_id}/claims", json={"claims": [wrong]})
    assert response.status_code == 422
    assert "claims[0].quote" in response.text
    assert event_count() == before


def test_claims_for_an_unknown_article_are_a_404(client: Client) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    response = client.post(f"/articles/{unknown}/claims", json={"claims": [IZIUM_CLAIM]})
    assert response.status_code == 404


def test_an_empty_list_of_claims_is_refused(client: Client) -> None:
    article_id = _stored_without_claims(client)
    response = client.post(f"/articles/{article_id}/claims", json={"claims": []})
    assert response.status_code == 422 and "claims" in response.text
