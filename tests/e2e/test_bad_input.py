"""Bad requests against every write endpoint: a 4xx problem, never a 5xx, nothing written."""

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.helpers import article

Client = TestClient  # type: ignore[type-arg]
GOOD_CLAIM = article()["claims"][0]
JSON = {"content-type": "application/json"}


def claim(**changes: Any) -> dict[str, Any]:
    return {**GOOD_CLAIM, **changes}


BAD_ARTICLES: list[tuple[str, Any]] = [
    ("body", article(body="nul \x00 inside")),
    ("title", article(title="bell \x07")),
    ("claims[0].claimant", article(claims=[claim(claimant="a\x00b")])),
    ("language", article(language="")),
    ("language", article(language=12)),
    ("url", article(url=["https://x"])),
    ("claims[0].extent", article(claims=[claim(extent=1.5)])),
    ("claims[0].extent", article(claims=[claim(extent=0.5)])),
    ("claims[0].claimant_side", article(claims=[claim(claimant_side="nato")])),
    ("claims[0].claimed_window", article(claims=[claim(claimed_window=["2025-11-20"])])),
    (
        "claims[0].claimed_window",
        article(claims=[claim(claimed_window=["2025-11-20", "2025-11-01"])]),
    ),
    ("claims[0].claimed_on", article(claims=[claim(claimed_window=["2025-01-01", "2025-01-31"])])),
    ("claims[0].confidence", article(claims=[claim(confidence=-1)])),
    ("claims[0].place", article(claims=[claim(place="'; DROP TABLE claims; --")])),
    ("claims", article(claims=[claim(), claim()])),
    (
        "contestations[0].contests",
        article(
            contestations=[
                {
                    **article()["contestations"][0],
                    "contests": "00000000-0000-0000-0000-000000000000",
                }
            ]
        ),
    ),
    (
        "contestations[0].by_side",
        article(contestations=[{**article()["contestations"][0], "by_side": None}]),
    ),
    ("published_on", article(published_on="2025-11-31")),
    ("claims", article(claims={"c1": GOOD_CLAIM})),
]


@pytest.mark.parametrize(("field", "body"), BAD_ARTICLES)
def test_bad_article_names_its_field(
    client: Client, event_count: Callable[[], int], field: str, body: Any
) -> None:
    response = client.post("/articles", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert event_count() == 0


@pytest.mark.parametrize(
    "raw",
    [b"", b"null", b"[]", b"{", b'{"body": "x"', b"\xff\xfe\x00", b'"just a string"', b"1e999999"],
)
def test_malformed_bodies_are_client_errors(
    client: Client, event_count: Callable[[], int], raw: bytes
) -> None:
    for path in (
        "/articles",
        "/articles/batch",
        "/claims/00000000-0000-0000-0000-000000000000/contestations",
    ):
        response = client.post(path, content=raw, headers=JSON)
        assert 400 <= response.status_code < 500, (path, raw, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert event_count() == 0


def test_oversized_batch_is_refused(client: Client, event_count: Callable[[], int]) -> None:
    batch = {"articles": [article(url=f"https://x.test/{i}") for i in range(501)]}
    response = client.post("/articles/batch", json=batch)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "articles"
    assert event_count() == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "2025-02-30"}, "as_of"),
        ({"limit": "0"}, "limit"),
        ({"side": "nato"}, "side"),
        ({"include": "everything"}, "include"),
    ],
)
def test_bad_query_parameters_name_the_parameter(
    client: Client, params: dict[str, str], field: str
) -> None:
    response = client.get("/places/geonames:703656/claims", params=params)
    assert response.status_code in (400, 422), response.text
    assert field in response.text


def test_bad_contestations_name_their_field(client: Client, event_count: Callable[[], int]) -> None:
    claim_id = client.post("/articles", json=article()).json()["claims"][0]["id"]
    count = event_count()
    for body, field in [
        ({"by": "x", "by_side": "russia", "contested_on": "2025-11-19"}, "note"),
        (
            {"by": "x", "by_side": "russia", "contested_on": "2025-11-19", "quote": "q"},
            "article_id",
        ),
        ({"by": "x\x00", "by_side": "russia", "contested_on": "2025-11-19", "note": "n"}, "by"),
        ({"by": "x", "by_side": "russia", "contested_on": "soon", "note": "n"}, "contested_on"),
    ]:
        response = client.post(f"/claims/{claim_id}/contestations", json=body)
        assert response.status_code == 422, response.text
        assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert event_count() == count
