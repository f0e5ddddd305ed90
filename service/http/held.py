"""The core query for a place held in memory, answered before the framework sees it.

`GET /places/{id}/claims` answered from memory costs the server little: the answer is a
slice of bytes held ready. Under load most of a request's CPU went to the framework around
it (routing, middleware, parameter parsing, the response object). `HeldAnswers` sits in
front of the app and answers that one request itself when everything about it is plain:

- a GET whose path is exactly `/places/{id}/claims`, with no `Origin` header (CORS is the
  app's);
- a query string holding at most `as_of` (`YYYY-MM-DD`), `limit` and `offset`, each once,
  as canonical decimal integers within the endpoint's bounds;
- a place the gazetteer knows, held in memory now;
- a caller the access policy lets read.

Anything else, a refusal included, goes to the app unchanged, which answers it as it
always does (an error as problem+json). The answer is built by the read service's own
code and encoded as the app encodes it, so the two answers match byte for byte (bar the
`known_at` instant).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

import msgspec
from litestar import Litestar

from service.access import Access
from service.http.guards import caller
from service.http.places import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from service.http.schemas import PlaceClaimsText
from service.reads import Readings

log = logging.getLogger(__name__)
_PATH = re.compile(r"/places/([^/]+)/claims")
_DAY = re.compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(rb"0|[1-9][0-9]{0,6}")
# The endpoint's integer parameters: their bounds and defaults.
_BOUNDS = {b"limit": (1, MAX_LIMIT), b"offset": (0, MAX_OFFSET)}
_DEFAULTS = {b"limit": DEFAULT_LIMIT, b"offset": 0}
_ENCODER = msgspec.json.Encoder()
_CONTENT_TYPE = (b"content-type", b"application/json")


class HeldAnswers:
    """An ASGI app: the core query for held places, and the app for everything else."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.answered = 0
        """How many requests it answered itself; the rest went to the app."""

    # The scope and messages are plain ASGI dicts, as the server makes them.
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            try:
                body = self._answer(scope)
            except Exception:  # the app answers instead: as it always does, or as problem+json
                log.exception("the held answer failed; the app answers instead")
                body = None
            if body is not None:
                length = (b"content-length", str(len(body)).encode())
                await send({"type": "http.response.start", "status": 200,
                            "headers": [_CONTENT_TYPE, length]})  # fmt: skip
                await send({"type": "http.response.body", "body": body})
                self.answered += 1
                return
        await self.app(scope, receive, send)

    def _answer(self, scope: Any) -> bytes | None:
        """The encoded answer, or None when the app should answer."""
        path = _PATH.fullmatch(scope["path"])
        if path is None or any(name == b"origin" for name, _ in scope["headers"]):
            return None
        query = _query(scope["query_string"])
        readings: Readings | None = getattr(self.app.state, "readings", None)
        if query is None or readings is None:
            return None
        place = readings.find_place(path.group(1))
        if place is None:
            return None
        as_of, limit, offset = query
        answer: PlaceClaimsText | None = readings.held_place_claims(
            place, as_of or date.today(), limit=limit, offset=offset
        )
        if answer is None or not self._admitted(scope):
            return None
        return _ENCODER.encode(answer)

    def _admitted(self, scope: Any) -> bool:
        """Whether the caller may read; asked last, so that a request the app answers
        instead is counted against the rate limit only once, there."""
        access: Access = self.app.state.access
        return access.decide("read", *caller(scope)).status == 200


def _query(text: bytes) -> tuple[date | None, int, int] | None:
    """(as_of, limit, offset) from a plain query string; None for anything else."""
    given: dict[bytes, bytes] = {}
    for pair in text.split(b"&") if text else ():
        name, _, value = pair.partition(b"=")
        if name in given or not (
            (name == b"as_of" and _DAY.fullmatch(value))
            or (name in _BOUNDS and _NUMBER.fullmatch(value))
        ):
            return None
        given[name] = value
    numbers = {
        name: int(given[name]) if name in given else default for name, default in _DEFAULTS.items()
    }
    if any(not low <= numbers[name] <= high for name, (low, high) in _BOUNDS.items()):
        return None
    try:
        as_of = date.fromisoformat(given[b"as_of"].decode()) if b"as_of" in given else None
    except ValueError:
        return None
    return as_of, numbers[b"limit"], numbers[b"offset"]
