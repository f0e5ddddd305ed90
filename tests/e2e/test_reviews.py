"""Reviews over HTTP: a confirmation is one `ClaimReviewed`, a rejection one `ClaimRetracted`
of the article's evidence; answers show each piece of evidence's review state, `reviewed=true`
asks for confirmed evidence alone, and an earlier `known_at` answers as before the review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from litestar.testing import TestClient

from tests.helpers import article

Client = TestClient  # type: ignore[type-arg]
KUPIANSK = "geonames:703656"
CLAIMS = f"/places/{KUPIANSK}/claims"


def _read(client: Client, project: Callable[[], int]) -> tuple[str, dict[str, Any]]:
    """An article the reader read (no claims given): the id and the Russian claim it found."""
    unread = article()
    del unread["claims"], unread["contestations"]
    posted = client.post("/articles", json=unread)
    assert posted.status_code == 201, posted.text
    project()
    claims = client.get(CLAIMS, params={"as_of": "2025-11-30"}).json()["claims"]
    found = [c for c in claims if c["claimant_side"] == "russia" and c["kind"] == "control"]
    assert found, claims
    return posted.json()["article_id"], found[0]


def _events(client: Client) -> list[dict[str, Any]]:
    return client.get("/events", params={"limit": 1000}).json()["events"]


def test_a_confirmation_is_one_event_and_shows_in_the_evidence(
    client: Client, project: Callable[[], int]
) -> None:
    article_id, claim = _read(client, project)
    assert claim["evidence"][0]["review"] == "unreviewed"
    assert claim["evidence"][0]["recorded_by"].startswith("claimledger-rules/")
    before = _events(client)
    unconfirmed_at = datetime.now(UTC).isoformat()

    confirm = {"verdict": "confirmed", "by": "Olena"}
    response = client.post(f"/claims/{claim['id']}/reviews", json=confirm)
    assert response.status_code == 201, response.text
    assert response.json()["article_id"] == article_id
    after = _events(client)
    assert len(after) == len(before) + 1
    assert after[-1]["type"] == "ClaimReviewed"
    assert after[-1]["payload"]["by"] == "Olena"

    again = client.post(f"/claims/{claim['id']}/reviews", json=confirm)
    assert again.status_code == 200 and again.json()["created"] is False
    assert len(_events(client)) == len(after)

    project()
    evidence = client.get(f"/claims/{claim['id']}").json()["evidence"][0]
    assert (evidence["review"], evidence["reviewed_by"]) == ("confirmed", "Olena")
    assert evidence["reviewed_at"]
    earlier = client.get(f"/claims/{claim['id']}", params={"known_at": unconfirmed_at}).json()
    assert earlier["evidence"][0]["review"] == "unreviewed"
    assert earlier["evidence"][0]["reviewed_by"] is None

    reviewed = client.get(CLAIMS, params={"as_of": "2025-11-30", "reviewed": "true"}).json()
    assert [c["id"] for c in reviewed["claims"]] == [claim["id"]]
    before_review = client.get(
        CLAIMS, params={"as_of": "2025-11-30", "reviewed": "true", "known_at": unconfirmed_at}
    ).json()
    assert before_review["claims"] == [] and before_review["total"] == 0


def test_a_rejection_withdraws_the_evidence_now_and_not_before(
    client: Client, project: Callable[[], int]
) -> None:
    article_id, claim = _read(client, project)
    before = _events(client)
    unrejected_at = datetime.now(UTC).isoformat()

    no_reason = client.post(
        f"/claims/{claim['id']}/reviews", json={"verdict": "rejected", "by": "Olena"}
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"

    reject = {"verdict": "rejected", "by": "Olena", "reason": "misread", "article_id": article_id}
    response = client.post(f"/claims/{claim['id']}/reviews", json=reject)
    assert response.status_code == 201, response.text
    after = _events(client)
    assert len(after) == len(before) + 1
    assert after[-1]["type"] == "ClaimRetracted"
    assert after[-1]["payload"]["article_id"] == article_id
    assert client.post(f"/claims/{claim['id']}/reviews", json=reject).status_code == 200

    project()
    now = client.get(CLAIMS, params={"as_of": "2025-11-30"}).json()
    assert claim["id"] not in [c["id"] for c in now["claims"]]
    then = client.get(CLAIMS, params={"as_of": "2025-11-30", "known_at": unrejected_at}).json()
    assert claim["id"] in [c["id"] for c in then["claims"]]


def test_a_review_names_a_standing_article(client: Client, project: Callable[[], int]) -> None:
    _, claim = _read(client, project)
    unknown = "00000000-0000-4000-8000-000000000000"
    response = client.post(
        f"/claims/{claim['id']}/reviews",
        json={"verdict": "confirmed", "by": "Olena", "article_id": unknown},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "article_id"
    missing = client.post(f"/claims/{unknown}/reviews", json={"verdict": "confirmed", "by": "O"})
    assert missing.status_code == 404


def test_what_an_analyst_recorded_is_confirmed_as_recorded(
    client: Client, project: Callable[[], int]
) -> None:
    posted = client.post("/articles", json=article())
    assert posted.status_code == 201
    project()
    claim = client.get(f"/claims/{posted.json()['claims'][0]['id']}").json()
    evidence = claim["evidence"][0]
    assert evidence["review"] == "confirmed"
    assert evidence["reviewed_at"] == evidence["recorded_at"]
    response = client.post(
        f"/claims/{claim['id']}/reviews", json={"verdict": "confirmed", "by": "O"}
    )
    assert response.status_code == 200 and response.json()["created"] is False
