"""HTTP caching on every read: strong ETags, 304s, Cache-Control that marks an answer at a
past `known_at` immutable and every other one `no-cache`, gzip when asked, HEAD alike; the
held-answer shortcut included."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from litestar.testing import TestClient

from tests.helpers import READER_KEY, article

Client = TestClient  # type: ignore[type-arg]
KUPIANSK = "geonames:703656"
CLAIMS = f"/places/{KUPIANSK}/claims"
IDENTITY = {"accept-encoding": "identity"}


@contextmanager
def anonymous(client: Client) -> Iterator[None]:
    """Requests without the client's key (the fixture's client writes with one)."""
    key = client.headers.pop("authorization")
    try:
        yield
    finally:
        client.headers["authorization"] = key


def _past(client: Client, project: Callable[[], int]) -> str:
    """An instant the read models have passed, with claims recorded before it."""
    assert client.post("/articles", json=article()).status_code == 201
    project()
    instant = datetime.now(UTC).isoformat()
    later = article(url="https://example.test/news/2", published_on="2025-11-20")
    assert client.post("/articles", json=later).status_code == 201
    project()
    return instant


def test_an_answer_at_a_past_instant_is_immutable_and_revalidates_to_a_304(
    client: Client, project: Callable[[], int]
) -> None:
    instant = _past(client, project)
    params = {"as_of": "2025-11-30", "known_at": instant}
    with anonymous(client):
        first = client.get(CLAIMS, params=params, headers=IDENTITY)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")

    again = client.get(CLAIMS, params=params, headers={**IDENTITY, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag

    more = article(url="https://example.test/news/3", published_on="2025-11-21")
    assert client.post("/articles", json=more).status_code == 201
    project()
    after = client.get(CLAIMS, params=params, headers=IDENTITY)
    assert after.content == first.content and after.headers["etag"] == etag


def test_every_read_with_a_past_instant_is_immutable(
    client: Client, project: Callable[[], int]
) -> None:
    instant = _past(client, project)
    claim_id = client.get(CLAIMS, params={"as_of": "2025-11-30"}).json()["claims"][0]["id"]
    for path in (
        "/claims",
        f"/claims/{claim_id}",
        f"/places/{KUPIANSK}/timeline",
        CLAIMS,
    ):
        response = client.get(path, params={"known_at": instant}, headers=IDENTITY)
        assert response.status_code == 200, path
        assert response.headers["cache-control"].endswith("immutable"), path


def test_an_answer_of_now_must_be_revalidated_and_changes_with_a_write(
    client: Client, project: Callable[[], int]
) -> None:
    _past(client, project)
    first = client.get(CLAIMS, params={"as_of": "2025-11-30"}, headers=IDENTITY)
    assert first.headers["cache-control"] == "no-cache"
    etag = first.headers["etag"]
    future = client.get(CLAIMS, params={"as_of": "2025-11-30", "known_at": "2999-01-01T00:00:00Z"})
    assert future.headers["cache-control"] == "no-cache"  # past the watermark: not settled
    more = article(url="https://example.test/news/3", published_on="2025-11-21")
    assert client.post("/articles", json=more).status_code == 201
    project()
    changed = client.get(
        CLAIMS, params={"as_of": "2025-11-30"}, headers={**IDENTITY, "if-none-match": etag}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_gzip_when_asked_for_and_the_same_validators(
    client: Client, project: Callable[[], int]
) -> None:
    instant = _past(client, project)
    params = {"as_of": "2025-11-30", "known_at": instant}
    plain = client.get(CLAIMS, params=params, headers=IDENTITY)
    assert len(plain.content) > 1024 and "content-encoding" not in plain.headers
    # The client would undo the compression; read the bytes as they were sent.
    with client.stream("GET", CLAIMS, params=params, headers={"accept-encoding": "gzip"}) as sent:
        raw = b"".join(sent.iter_raw())
        headers = sent.headers
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    assert int(headers["content-length"]) == len(raw) < len(plain.content)
    assert gzip.decompress(raw) == plain.content
    assert headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    revalidated = client.get(
        CLAIMS,
        params=params,
        headers={"accept-encoding": "gzip", "if-none-match": plain.headers["etag"]},
    )
    assert revalidated.status_code == 304
    refused = client.get(CLAIMS, params=params, headers={"accept-encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_head_gives_the_same_validators(client: Client, project: Callable[[], int]) -> None:
    instant = _past(client, project)
    params = {"as_of": "2025-11-30", "known_at": instant}
    got = client.get(CLAIMS, params=params, headers=IDENTITY)
    head = client.head(CLAIMS, params=params, headers=IDENTITY)
    assert head.status_code == 200 and head.content == b""
    for name in ("etag", "cache-control", "content-length"):
        assert head.headers[name] == got.headers[name]


def test_health_is_never_stored_and_keyed_answers_are_private(
    client: Client, project: Callable[[], int]
) -> None:
    instant = _past(client, project)
    assert client.get("/health").headers["cache-control"] == "no-store"
    with anonymous(client):
        keyed = client.get(
            CLAIMS,
            params={"known_at": instant},
            headers={"authorization": f"Bearer {READER_KEY}"},
        )
        public = client.get(CLAIMS, params={"known_at": instant})
    assert keyed.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert public.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_errors_carry_no_validators(client: Client) -> None:
    response = client.get("/places/Atlantis/claims")
    assert response.status_code == 404
    assert "etag" not in response.headers


def test_each_representation_has_its_own_validator(
    client: Client, project: Callable[[], int]
) -> None:
    instant = _past(client, project)
    params = {"as_of": "2025-11-30", "known_at": instant}
    shapes = {
        kind: client.get(CLAIMS, params=params, headers={**IDENTITY, "accept": kind})
        for kind in ("application/json", "text/csv")
    }
    assert shapes["application/json"].headers["etag"] != shapes["text/csv"].headers["etag"]
    again = client.get(CLAIMS, params=params, headers={**IDENTITY, "accept": "text/csv"})
    assert again.headers["etag"] == shapes["text/csv"].headers["etag"]
    assert again.content == shapes["text/csv"].content
