"""Articles written for the tests (not taken from any corpus)."""

from __future__ import annotations

from typing import Any

from service.access import Access, ApiKey, RateLimiter, digest

BODY = (
    "The defence ministry in Moscow said on Tuesday that its troops had taken full control "
    "of Kupiansk. Kyiv's general staff rejected the report as fake and said Ukrainian units "
    "still hold the town. Fighting continues near Izium, the ministry said."
)


def article(url: str | None = "https://example.test/news/1", **changes: Any) -> dict[str, Any]:
    """An article with one Russian claim and a Ukrainian contestation of it."""
    body: dict[str, Any] = {
        "url": url,
        "outlet": "example.test",
        "language": "en",
        "published_on": "2025-11-19",
        "title": "Moscow claims Kupiansk",
        "body": BODY,
        "claims": [
            {
                "id": "c1",
                "place": "Kupyansk",
                "claimant": "Russian Ministry of Defence",
                "claimant_side": "russia",
                "actor_side": "russia",
                "kind": "control",
                "claimed_on": "2025-11-18",
                "quote": "its troops had taken full control of Kupiansk",
            },
            {
                "id": "c2",
                "place": "Kupiansk",
                "claimant": "General Staff",
                "claimant_side": "ukraine",
                "actor_side": "ukraine",
                "kind": "control",
                "claimed_on": "2025-11-18",
                "quote": "Ukrainian units still hold the town",
            },
        ],
        "contestations": [
            {
                "contests": "c1",
                "by": "General Staff",
                "by_side": "ukraine",
                "contested_on": "2025-11-18",
                "quote": "rejected the report as fake",
            },
        ],
    }
    body.update(changes)
    return body


WRITER_KEY = "cl_test-writer-key"
READER_KEY = "cl_test-reader-key"


def keyed_access(*, open_reads: bool = True, limiter: RateLimiter | None = None) -> Access:
    """An access policy with one write key and one read key (WRITER_KEY, READER_KEY)."""
    return Access(
        keys=(
            ApiKey("writer", "write", digest(WRITER_KEY)),
            ApiKey("reader", "read", digest(READER_KEY)),
        ),
        open_reads=open_reads,
        limiter=limiter,
    )


def writer_headers() -> dict[str, str]:
    """Headers that authenticate as the test writer."""
    return {"Authorization": f"Bearer {WRITER_KEY}"}
