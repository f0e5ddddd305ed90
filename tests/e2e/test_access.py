"""Access over HTTP: keys for writes, read-only keys, keyed reads, the rate limit, CORS."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from litestar.testing import TestClient

from service.access import RateLimiter
from service.app.services import Services
from service.bootstrap import served_app
from tests.helpers import READER_KEY, WRITER_KEY, article, keyed_access

Client = TestClient  # type: ignore[type-arg]
PLACE = "/places/geonames:703656/claims"


@pytest.fixture
def anonymous(clean_database: str) -> Iterator[Client]:
    """A client that sends no key unless a request names one."""
    with TestClient(served_app(lambda: Services.build(clean_database), access=keyed_access())) as c:
        yield c


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_write_without_a_key_is_401_and_writes_nothing(
    anonymous: Client, event_count: Callable[[], int]
) -> None:
    response = anonymous.post("/articles", json=article())
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["detail"] == "this request needs an API key"
    assert event_count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        bearer("cl_not-a-key"),
        {"X-API-Key": "cl_not-a-key"},
        {"Authorization": f"Basic {WRITER_KEY}"},
        {"Authorization": "Bearer "},
        bearer(WRITER_KEY.upper()),
        bearer(WRITER_KEY[:-1]),
    ],
)
def test_a_wrong_key_is_401(
    anonymous: Client, event_count: Callable[[], int], headers: dict[str, str]
) -> None:
    for path in ("/articles", "/articles/batch"):
        assert anonymous.post(path, json=article(), headers=headers).status_code == 401
    assert event_count() == 0


def test_a_read_only_key_may_read_but_not_write(
    anonymous: Client, event_count: Callable[[], int]
) -> None:
    response = anonymous.post("/articles", json=article(), headers=bearer(READER_KEY))
    assert response.status_code == 403
    assert response.json()["detail"] == "this API key may only read"
    assert event_count() == 0
    assert anonymous.get(PLACE, headers=bearer(READER_KEY)).status_code == 200


def test_a_write_key_writes_by_either_header(
    anonymous: Client, event_count: Callable[[], int]
) -> None:
    assert (
        anonymous.post("/articles", json=article(), headers=bearer(WRITER_KEY)).status_code == 201
    )
    second = article(url="https://example.test/news/2")
    assert (
        anonymous.post("/articles", json=second, headers={"X-API-Key": WRITER_KEY}).status_code
        == 201
    )
    assert event_count() > 0


def test_a_refused_write_is_refused_before_its_body_is_read(anonymous: Client) -> None:
    response = anonymous.post(
        "/articles", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 401


def test_reads_are_open_unless_configured_keyed(clean_database: str) -> None:
    build = lambda: Services.build(clean_database)  # noqa: E731
    with TestClient(served_app(build, access=keyed_access())) as open_reads:
        assert open_reads.get(PLACE).status_code == 200
        assert open_reads.get("/health").status_code == 200
    with TestClient(served_app(build, access=keyed_access(open_reads=False))) as keyed:
        assert keyed.get(PLACE).status_code == 401
        assert keyed.get("/events").status_code == 401
        assert keyed.get(PLACE, headers=bearer(READER_KEY)).status_code == 200
        assert keyed.get(PLACE, headers=bearer(WRITER_KEY)).status_code == 200
        assert keyed.get("/health").status_code == 200  # probes need no key


def test_over_the_rate_limit_is_429_with_retry_after(
    clean_database: str, event_count: Callable[[], int]
) -> None:
    access = keyed_access(limiter=RateLimiter(per_minute=6, burst=2))
    with TestClient(served_app(lambda: Services.build(clean_database), access=access)) as client:
        headers = bearer(WRITER_KEY)
        assert client.post("/articles", json=article(), headers=headers).status_code == 201
        assert client.get(PLACE, headers=headers).status_code == 200
        count = event_count()
        refused = client.post("/articles", json=article(url="https://x.test/3"), headers=headers)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "10"
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert event_count() == count
        # Another caller has its own allowance.
        assert client.get(PLACE, headers=bearer(READER_KEY)).status_code == 200


def test_cors_is_off_unless_origins_are_configured(clean_database: str) -> None:
    build = lambda: Services.build(clean_database)  # noqa: E731
    preflight = {
        "Origin": "https://newsroom.test",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    with TestClient(served_app(build, access=keyed_access())) as closed:
        response = closed.get(PLACE, headers={"Origin": "https://newsroom.test"})
        assert "access-control-allow-origin" not in response.headers
        assert (
            "access-control-allow-origin"
            not in closed.options("/articles", headers=preflight).headers
        )
    with TestClient(
        served_app(build, access=keyed_access(), cors_origins=["https://newsroom.test"])
    ) as opened:
        response = opened.options("/articles", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "https://newsroom.test"
        other = opened.get(PLACE, headers={"Origin": "https://elsewhere.test"})
        assert "access-control-allow-origin" not in other.headers
