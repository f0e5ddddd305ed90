"""The shape of a bad request in the corpus, and the pieces the corpus is built from.

`{article}` and `{claim}` in paths and bodies stand for a stored article and a claim of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.helpers import article as stored_article

UNKNOWN = "00000000-0000-4000-8000-000000000000"
JSON_TYPE = (("content-type", "application/json"),)
INJECTIONS = (
    "'; DROP TABLE claims; --",
    "1 OR 1=1",
    "x' UNION SELECT body FROM articles --",
    '"; SELECT pg_sleep(5); --',
)
TRAVERSALS = (
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2f",
    "..%5c..%5cwindows",
    "%252e%252e%252f",
)
BAD_INSTANTS = (
    "yesterday",
    "0.5",
    "1700000000",
    "2025-13-01T00:00:00Z",
    "2025-11-21T25:00:00Z",
    "2025-11-21",
    "0001-01-01T00:00:00+01:00",
    "",
)
BAD_DATES = ("2025-02-30", "2025-13-01", "tomorrow", "20251121", "2025-11-21T00:00:00Z", "")


@dataclass(frozen=True)
class Bad:
    """One bad request and what its answer must say: the status when only one will do,
    else any 4xx (422 or 400 when a field is named), and the field it must name."""

    label: str
    method: str
    path: str
    body: bytes | None = None
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = JSON_TYPE
    field: str | None = None
    status: int | None = None
    keyed: bool = True


def post(path: str, payload: Any, field: str | None, label: str, status: int | None = None) -> Bad:
    """A POST of a JSON body."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return Bad(f"POST {path} {label}", "POST", path, body, field=field, status=status)


def get(
    path: str,
    params: dict[str, str] | None,
    field: str | None,
    label: str,
    status: int | None = None,
) -> Bad:
    """A GET with query parameters."""
    pairs = tuple((params or {}).items())
    return Bad(f"GET {path} {label}", "GET", path, params=pairs, field=field, status=status)


def article(url: str | None = "https://example.test/bad", **changes: Any) -> dict[str, Any]:
    """The test article under an address of its own, so that it is new to the ledger: a
    held article is answered as held before its claims are looked at."""
    return stored_article(url, **changes)


def claim(**changes: Any) -> dict[str, Any]:
    """The first claim of the test article, changed."""
    return {**article()["claims"][0], **changes}


def contestation(**changes: Any) -> dict[str, Any]:
    """The test article's contestation, changed."""
    return {**article()["contestations"][0], **changes}


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """`base` with fields changed; a field given as `...` is left out."""
    return {k: v for k, v in {**base, **changes}.items() if v is not Ellipsis}
