"""Articles posted without claims are read by the extractor."""

from collections.abc import Callable

from litestar.testing import TestClient

from domain.extraction.model import EXTRACTOR_NAME

Client = TestClient  # type: ignore[type-arg]
KUPIANSK = "geonames:703656"
TEXT = (
    "Russia's defence ministry said on Tuesday that its forces had captured Kupiansk. "
    "Ukraine's General Staff denied the report, calling it fake, and said Ukrainian troops "
    "still control the town."
)


def unread(**changes: object) -> dict[str, object]:
    return {
        "url": "https://example.test/read-me",
        "outlet": "example.test",
        "published_on": "2025-11-20",
        "body": TEXT,
        **changes,
    }


def test_article_without_claims_shows_up_in_its_place_answer(
    client: Client, project: Callable[[], int]
) -> None:
    response = client.post("/articles", json=unread())
    assert response.status_code == 201, response.text
    assert len(response.json()["claims"]) == 2
    project()
    answer = client.get(f"/places/{KUPIANSK}/claims", params={"as_of": "2025-11-20"}).json()
    by_side = {c["claimant_side"]: c for c in answer["claims"]}
    assert by_side["russia"]["kind"] == "control" and by_side["russia"]["status"] == "contested"
    assert by_side["ukraine"]["actor_side"] == "ukraine"
    assert by_side["russia"]["evidence"][0]["recorded_by"].startswith(EXTRACTOR_NAME + "/")
    article = client.get(f"/articles/{response.json()['article_id']}").json()
    assert article["language"] == "en"


def test_extract_false_records_the_article_alone(
    client: Client, event_count: Callable[[], int]
) -> None:
    response = client.post("/articles", json=unread(extract=False))
    assert response.status_code == 201 and response.json()["claims"] == []
    assert event_count() == 1


def test_empty_claims_list_is_an_analyst_saying_there_are_none(
    client: Client, event_count: Callable[[], int]
) -> None:
    assert client.post("/articles", json=unread(claims=[])).json()["claims"] == []
    assert event_count() == 1


def test_a_batch_is_read_on_several_cores_with_the_same_result(client: Client) -> None:
    batch = [unread(url=f"https://example.test/b/{i}") for i in range(12)]
    response = client.post("/articles/batch", json={"articles": batch})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert all(len(r["claims"]) == 2 for r in results)
    assert len({r["claims"][0]["id"] for r in results}) == 1


def test_language_is_detected_when_not_given(client: Client, project: Callable[[], int]) -> None:
    texts = {
        "fr": "Le ministère russe de la Défense a affirmé jeudi que ses troupes avaient "
        "pris le contrôle de la ville.",
        "ru": "Министерство обороны России заявило в четверг, что войска заняли город.",
    }
    ids = {}
    for code, text in texts.items():
        body = unread(url=f"https://example.test/{code}", body=text, extract=False)
        ids[code] = client.post("/articles", json=body).json()["article_id"]
    project()
    for code, article_id in ids.items():
        assert client.get(f"/articles/{article_id}").json()["language"] == code
