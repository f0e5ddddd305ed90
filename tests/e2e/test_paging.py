"""Paging by `Link` headers: following a page's next link gives every claim once, however
the ledger changes between pages, since the link's cursor pins the first page's record time;
full pages of the feed link on by position; a cursor is opaque and stands alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from litestar.testing import TestClient

from tests.helpers import article

Client = TestClient  # type: ignore[type-arg]
KUPIANSK = "geonames:703656"
_NEXT = re.compile(r'<([^>]+)>; rel="next"')


def _dated(number: int, day: str) -> dict[str, Any]:
    """An article whose two claims about Kupiansk are made on `day`."""
    made = article(url=f"https://example.test/news/{number}", published_on="2025-11-28")
    for claim in made["claims"]:
        claim["claimed_on"] = day
    return made


def _next(response: Any) -> str | None:
    found = _NEXT.fullmatch(response.headers.get("link", ""))
    return found.group(1) if found else None


def _follow(client: Client, path: str, between: Callable[[], None]) -> list[str]:
    """Every claim id the pages give, following next links; `between` runs after the first."""
    ids: list[str] = []
    response = client.get(path)
    while True:
        assert response.status_code == 200, response.text
        ids += [c["id"] for c in response.json()["claims"]]
        link = _next(response)
        if link is None:
            return ids
        if len(ids) <= 2:
            between()
        response = client.get(link)


def test_following_links_gives_every_claim_once_despite_a_write_between_pages(
    client: Client, project: Callable[[], int]
) -> None:
    for number, day in enumerate(["2025-11-20", "2025-11-22", "2025-11-24"], 1):
        assert client.post("/articles", json=_dated(number, day)).status_code == 201
    project()
    path = f"/places/{KUPIANSK}/claims?as_of=2025-11-30&limit=2"
    before = [c["id"] for c in client.get(path.replace("limit=2", "limit=100")).json()["claims"]]
    assert len(before) == 6

    def earlier_claims() -> None:
        # Claims made before every other: without a pinned record time they would shift
        # the later pages by two.
        assert client.post("/articles", json=_dated(9, "2025-11-01")).status_code == 201
        project()

    followed = _follow(client, path, earlier_claims)
    assert followed == before
    assert len(client.get(path.replace("limit=2", "limit=100")).json()["claims"]) == 8


def test_every_place_pages_link_on_with_a_cursor(
    client: Client, project: Callable[[], int]
) -> None:
    assert client.post("/articles", json=article()).status_code == 201
    izium = article(url="https://example.test/news/izium")
    for claim in izium["claims"]:
        claim["place"] = "Izium"
    assert client.post("/articles", json=izium).status_code == 201
    project()
    first = client.get("/claims", params={"as_of": "2025-11-30", "limit": 1})
    link = _next(first)
    assert link is not None and "cursor=" in link and "as_of=2025-11-30" in link
    second = client.get(link)
    assert _next(second) is None
    places = [p["place"]["id"] for p in first.json()["places"] + second.json()["places"]]
    assert len(set(places)) == 2
    assert second.json()["known_at"] == first.json()["known_at"]


def test_a_full_page_of_the_feed_links_to_the_next(
    client: Client, project: Callable[[], int]
) -> None:
    assert client.post("/articles", json=article()).status_code == 201
    first = client.get("/events", params={"limit": 2})
    link = _next(first)
    assert link is not None
    rest = client.get(link).json()["events"]
    positions = [e["position"] for e in first.json()["events"] + rest]
    assert positions == sorted(set(positions)) and len(positions) > 2
    last = client.get("/events", params={"limit": 1000})
    assert _next(last) is None


def test_a_cursor_is_checked_and_stands_alone(client: Client, project: Callable[[], int]) -> None:
    path = f"/places/{KUPIANSK}/claims"
    for bad in ("nonsense", "W10", "WyIyMDI1LTExLTIxVDAwOjAwOjAwWiIsLTFd", "x" * 201):
        response = client.get(path, params={"cursor": bad})
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["field"] == "cursor"
    for _ in range(2):
        assert client.post("/articles", json=_dated(_ + 1, f"2025-11-2{_}")).status_code == 201
    project()
    link = _next(client.get(path, params={"limit": 1}))
    assert link is not None
    both = client.get(link + "&known_at=2025-11-21T00:00:00Z")
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "cursor"
