"""The live event feed, over a real HTTP server: a subscriber gets the events after its
position, then each new one as it is recorded, and resumes where it left off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from service.app.services import Services
from service.bootstrap import served_app
from tests.e2e.live import serving
from tests.helpers import article, keyed_access, writer_headers


@dataclass
class Message:
    id: int
    event: str
    data: str


@pytest.fixture
def base_url(clean_database: str) -> Iterator[str]:
    app = served_app(
        lambda: Services.build(clean_database), run_projector=False, access=keyed_access()
    )
    with serving(app) as url:
        yield url


def next_message(lines: Iterator[str]) -> Message:
    fields: dict[str, str] = {}
    for line in lines:
        if not line:
            if "id" in fields:
                return Message(int(fields["id"]), fields["event"], fields["data"])
            fields = {}
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        fields[name] = value.removeprefix(" ")
    raise AssertionError("the stream ended")


def test_a_subscriber_gets_past_events_then_new_ones_live(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=20, headers=writer_headers()) as http:
        assert http.post("/articles", json=article()).status_code == 201
        params = {"type": "ArticleIngested"}
        with http.stream("GET", "/events/stream", params=params) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.iter_lines()
            first = next_message(lines)
            assert first.event == "ArticleIngested"

            second_article = article(url="https://example.test/news/2")
            assert http.post("/articles", json=second_article).status_code == 201
            second = next_message(lines)
            assert second.event == "ArticleIngested" and second.id > first.id

        headers = {"Last-Event-ID": str(first.id)}
        with http.stream("GET", "/events/stream", params=params, headers=headers) as resumed:
            assert next_message(resumed.iter_lines()).id == second.id


def test_the_stream_withholds_bodies_from_callers_without_a_key(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=20) as http:
        posted = http.post("/articles", json=article(), headers=writer_headers())
        assert posted.status_code == 201
        params = {"type": "ArticleIngested"}
        with http.stream("GET", "/events/stream", params=params) as response:
            anonymous = next_message(response.iter_lines())
        with http.stream(
            "GET", "/events/stream", params=params, headers=writer_headers()
        ) as response:
            keyed = next_message(response.iter_lines())
    assert '"body":null' in anonymous.data
    assert '"body":"The defence ministry' in keyed.data
