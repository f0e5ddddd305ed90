from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.helpers import article

Client = TestClient  # type: ignore[type-arg]
KUPIANSK = "geonames:703656"


def test_new_article_is_created_and_the_same_article_again_appends_nothing(
    client: Client, event_count: Callable[[], int]
) -> None:
    first = client.post("/articles", json=article())
    assert first.status_code == 201, first.text
    appended = event_count()
    assert appended == first.json()["events_appended"] == 4
    again = client.post("/articles", json=article())
    assert again.status_code == 200
    assert again.json()["claims"] == first.json()["claims"]
    assert again.json()["article_id"] == first.json()["article_id"]
    assert event_count() == appended


def test_claim_answer_carries_evidence_contestation_and_status(
    client: Client, project: Callable[[], int]
) -> None:
    claim_id = client.post("/articles", json=article()).json()["claims"][0]["id"]
    project()
    claim = client.get(f"/claims/{claim_id}").json()
    assert claim["status"] == "contested"
    assert claim["claimants"] == ["Russian Ministry of Defence"]
    evidence = claim["evidence"][0]
    assert article()["body"][evidence["start"] : evidence["end"]] == evidence["quote"]
    assert claim["contestations"][0]["by"] == "General Staff"


def test_as_of_answer_shows_only_what_was_said_by_then(
    client: Client, project: Callable[[], int]
) -> None:
    client.post("/articles", json=article())
    project()
    before = client.get(f"/places/{KUPIANSK}/claims", params={"as_of": "2025-11-17"}).json()
    assert before["claims"] == []
    after = client.get(f"/places/{KUPIANSK}/claims", params={"as_of": "2025-11-18"}).json()
    assert {c["claimant_side"] for c in after["claims"]} == {"russia", "ukraine"}
    assert after["summary"]["disputed"] is True
    only_russia = client.get(
        f"/places/{KUPIANSK}/claims", params={"as_of": "2025-11-18", "side": "russia"}
    ).json()
    assert [c["claimant_side"] for c in only_russia["claims"]] == ["russia"]


def test_oblast_with_descendants_includes_its_towns(
    client: Client, project: Callable[[], int]
) -> None:
    client.post("/articles", json=article())
    project()
    oblast = client.get("/places", params={"q": "Kharkiv Oblast"}).json()["places"][0]["place"]
    alone = client.get(f"/places/{oblast['id']}/claims", params={"as_of": "2025-12-01"})
    nested = client.get(
        f"/places/{oblast['id']}/claims", params={"as_of": "2025-12-01", "include": "descendants"}
    )
    assert alone.json()["total"] == 0 and nested.json()["total"] == 2


def test_a_second_outlet_corroborates_the_same_claim(
    client: Client, project: Callable[[], int]
) -> None:
    first = client.post("/articles", json=article()).json()
    second = client.post("/articles", json=article(url="https://other.test/story")).json()
    assert first["claims"][0]["id"] == second["claims"][0]["id"]
    project()
    claim = client.get(f"/claims/{first['claims'][0]['id']}").json()
    assert claim["sources"] == 2


def test_batch_ingests_many_articles_in_one_go(
    client: Client, event_count: Callable[[], int]
) -> None:
    batch = {"articles": [article(url=f"https://example.test/b/{i}") for i in range(10)]}
    response = client.post("/articles/batch", json=batch)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 10
    assert event_count() == response.json()["events_appended"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"claims": [{**article()["claims"][0], "place": "Atlantis"}]}, "claims[0].place"),
        ({"claims": [{**article()["claims"][0], "quote": "not in the text"}]}, "claims[0].quote"),
        (
            {"claims": [{**article()["claims"][0], "claimed_on": "2025-02-30"}]},
            "claims[0].claimed_on",
        ),
        ({"claims": [{**article()["claims"][0], "kind": "conquered"}]}, "claims[0].kind"),
        ({"claims": [{**article()["claims"][0], "surprise": 1}]}, "claims[0].surprise"),
        (
            {"contestations": [{**article()["contestations"][0], "contests": "c9"}]},
            "contestations[0].contests",
        ),
        ({"published_on": "yesterday"}, "published_on"),
        ({"body": ""}, "body"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_appends_nothing(
    client: Client, event_count: Callable[[], int], change: dict[str, Any], field: str
) -> None:
    response = client.post("/articles", json=article(**change))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [error["field"] for error in response.json()["errors"]]
    assert event_count() == 0


def test_one_bad_article_fails_the_whole_batch(
    client: Client, event_count: Callable[[], int]
) -> None:
    bad = article(url="https://example.test/bad", language="French")
    response = client.post("/articles/batch", json={"articles": [article(), bad]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "articles[1].language"
    assert event_count() == 0


def test_malformed_json_is_a_400_problem(client: Client) -> None:
    response = client.post(
        "/articles", content=b'{"body": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_contesting_a_stored_claim_over_http(
    client: Client, project: Callable[[], int], event_count: Callable[[], int]
) -> None:
    ingested = client.post("/articles", json=article()).json()
    claim_id = ingested["claims"][1]["id"]
    body = {
        "by": "Russian Ministry of Defence",
        "by_side": "russia",
        "contested_on": "2025-11-19",
        "note": "Moscow called the statement a lie.",
    }
    assert client.post(f"/claims/{claim_id}/contestations", json=body).status_code == 201
    assert client.post(f"/claims/{claim_id}/contestations", json=body).status_code == 200
    quoted = {
        **body,
        "note": None,
        "article_id": ingested["article_id"],
        "quote": "not in that article",
    }
    count = event_count()
    response = client.post(f"/claims/{claim_id}/contestations", json=quoted)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "quote"
    missing = client.post("/claims/00000000-0000-0000-0000-000000000000/contestations", json=body)
    assert missing.status_code == 404
    assert event_count() == count
    project()
    assert client.get(f"/claims/{claim_id}").json()["status"] == "contested"


def test_event_feed_pages_through_typed_payloads(client: Client) -> None:
    client.post("/articles", json=article())
    page = client.get("/events", params={"after": 0, "limit": 3}).json()
    assert [e["position"] for e in page["events"]] == [1, 2, 3]
    assert page["events"][0]["type"] == "ArticleIngested"
    assert page["events"][0]["payload"]["language"] == "en"
    rest = client.get("/events", params={"after": page["next_after"]}).json()
    assert [e["position"] for e in rest["events"]] == [4]


def test_place_search_resolves_spellings_best_first(client: Client) -> None:
    found = client.get("/places", params={"q": "Koupiansk"}).json()["places"]
    assert found[0]["place"]["id"] == KUPIANSK
    assert client.get("/places/geonames:0/claims").status_code == 404


def test_health_and_readiness(client: Client, project: Callable[[], int]) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    client.post("/articles", json=article())
    lagging = client.get("/ready").json()
    assert lagging["ready"] is True and lagging["projection_lag"] == 4
    project()
    assert client.get("/ready").json()["projection_lag"] == 0


def test_unknown_article_and_claim_are_404_problems(client: Client) -> None:
    for path in (
        "/articles/00000000-0000-0000-0000-000000000000",
        "/claims/00000000-0000-0000-0000-000000000000",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
