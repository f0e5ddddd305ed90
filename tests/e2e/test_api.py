import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from infra.postgres.database import psycopg_conninfo
from infra.readmodels.projector import Projector
from service.app.services import Services
from service.bootstrap import served_app
from tests.helpers import article, keyed_access, writer_headers

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


def test_health_and_readiness(client: Client, clean_database: str) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    client.post("/articles", json=article())
    # This app runs no projector, and none runs elsewhere: not ready, however fresh.
    lagging = client.get("/ready")
    assert lagging.status_code == 503
    assert lagging.json()["projector_following"] is False
    assert lagging.json()["projection_lag"] == 4
    stop = Projector(clean_database).follow_in_background()
    try:
        wait_until(lambda: client.get("/ready").json()["projection_lag"] == 0)
        ready = client.get("/ready")
        assert ready.status_code == 200
        assert ready.json()["projector_following"] is True
        assert ready.json()["projection_lag"] == 0
        assert ready.json()["projection_lag_seconds"] == 0
    finally:
        stop()
    assert client.get("/ready").status_code == 503


def test_readiness_fails_when_the_projection_lags_too_long(clean_database: str) -> None:
    build = lambda: Services.build(clean_database)  # noqa: E731
    app = served_app(build, access=keyed_access(), ready_max_lag=0.5)
    stop = Projector(clean_database).follow_in_background()
    with TestClient(app) as http, psycopg.connect(psycopg_conninfo(clean_database)) as holder:
        http.headers.update(writer_headers())
        try:
            wait_until(lambda: http.get("/ready").status_code == 200)
            # The projector follows, but cannot take its turn at the tracking rows.
            holder.execute("SELECT * FROM projection_tracking FOR UPDATE")
            assert http.post("/articles", json=article()).status_code == 201
            wait_until(lambda: http.get("/ready").status_code == 503)
            stuck_answer = http.get("/ready")
            # Every 503 says when to ask again, whichever check failed.
            assert stuck_answer.headers["retry-after"] == "2"
            stuck = stuck_answer.json()
            assert stuck["projector_following"] is True
            assert stuck["projection_lag_seconds"] > stuck["max_lag_seconds"] == 0.5
            holder.rollback()
            wait_until(lambda: http.get("/ready").status_code == 200)
        finally:
            holder.rollback()
            stop()


def wait_until(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_unknown_article_and_claim_are_404_problems(client: Client) -> None:
    for path in (
        "/articles/00000000-0000-0000-0000-000000000000",
        "/claims/00000000-0000-0000-0000-000000000000",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")


def test_min_confidence_leaves_out_claims_the_reader_was_less_sure_of(
    client: Client, project: Callable[[], int]
) -> None:
    body = article(contestations=[])
    body["claims"][0]["confidence"] = 0.95
    body["claims"][1]["confidence"] = 0.4
    assert client.post("/articles", json=body).status_code == 201
    project()
    path = f"/places/{KUPIANSK}"
    every = client.get(f"{path}/claims", params={"as_of": "2025-11-30"}).json()
    sure = client.get(f"{path}/claims", params={"as_of": "2025-11-30", "min_confidence": 0.8})
    assert every["total"] == 2
    assert [c["confidence"] for c in sure.json()["claims"]] == [0.95]
    timeline = client.get(f"{path}/timeline", params={"min_confidence": 0.8}).json()
    assert [c["confidence"] for side in timeline["sides"].values() for c in side] == [0.95]
    bad = client.get(f"{path}/claims", params={"min_confidence": 2})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "min_confidence"
