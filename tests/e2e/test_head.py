"""HEAD for every GET, as production serves it: the GET's status and headers, no body."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.e2e.test_kupiansk import KUPIANSK

Client = TestClient  # type: ignore[type-arg]


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/",
        f"/places/{KUPIANSK}/claims?as_of=2025-11-30",
        f"/places/{KUPIANSK}/timeline",
        "/claims?as_of=2025-11-21",
        "/events?limit=5",
        "/static/vendor/leaflet-1.9.4/leaflet.css",
        "/places/Atlantis",
    ],
)
def test_head_answers_as_get_without_the_body(ingested: Client, path: str) -> None:
    got = ingested.get(path)
    head = ingested.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "content-length" in got.headers:
        assert head.headers["content-length"] == got.headers["content-length"]


def test_head_of_a_write_or_of_the_endless_stream_is_refused(client: Client) -> None:
    assert client.head("/articles/batch").status_code == 405
    assert client.head("/events/stream").status_code == 405
