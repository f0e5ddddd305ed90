"""Evidence names its article's URL and title, and gives its quote's offsets in UTF-16 code
units beside the code point ones, so that a JavaScript caller slices the body right even
where emoji come before the quote."""

from __future__ import annotations

from collections.abc import Callable

from litestar.testing import TestClient

from tests.helpers import article

Client = TestClient  # type: ignore[type-arg]


def test_evidence_carries_its_source_and_utf16_offsets(
    client: Client, project: Callable[[], int]
) -> None:
    emoji = "\U0001f525\U0001f525 Breaking \u00e9t\u00e9 \U0001f1fa\U0001f1e6: "
    posted = article(url="https://example.test/emoji")
    posted["body"] = emoji + posted["body"]
    response = client.post("/articles", json=posted)
    assert response.status_code == 201, response.text
    project()
    claim_id = response.json()["claims"][0]["id"]
    evidence = client.get(f"/claims/{claim_id}").json()["evidence"][0]
    assert evidence["url"] == "https://example.test/emoji"
    assert evidence["title"] == posted["title"]
    body = posted["body"]
    assert body[evidence["start"] : evidence["end"]] == evidence["quote"]
    as_utf16 = body.encode("utf-16-le")
    quoted = as_utf16[2 * evidence["utf16_start"] : 2 * evidence["utf16_end"]]
    assert quoted.decode("utf-16-le") == evidence["quote"]
    assert evidence["utf16_start"] == evidence["start"] + 4  # four astral characters before


def test_a_body_of_the_basic_plane_has_the_same_offsets_in_both(
    client: Client, project: Callable[[], int]
) -> None:
    response = client.post("/articles", json=article())
    project()
    claim_id = response.json()["claims"][0]["id"]
    evidence = client.get(f"/claims/{claim_id}").json()["evidence"][0]
    assert (evidence["utf16_start"], evidence["utf16_end"]) == (evidence["start"], evidence["end"])
