"""The core query for a place held in memory, answered before the framework sees it.

`GET /places/{id}/claims` answered from memory costs the server little: the answer is a
slice of bytes held ready. Under load most of a request's CPU went to the framework around
it (routing, middleware, parameter parsing, the response object). `HeldAnswers` sits in
front of the app and answers that one request itself when everything about it is plain:

It also refuses, with 414, any request whose path and query are longer than MAX_TARGET
characters, before the framework routes it.

- a GET whose path is exactly `/places/{id}/claims`, with no `Origin` header (CORS is the
  app's) and no `Accept` that prefers another shape than JSON (CSV is the route's);
- a query string holding at most `as_of` (`YYYY-MM-DD`), `limit` and `offset`, each once,
  as canonical decimal integers within the endpoint's bounds;
- a caller the access policy lets read (asked first, before any other work);
- a place the gazetteer knows, held in memory now.

Anything else, a refusal included, goes to the app unchanged, which answers it as it
always does (an error as problem+json). The access policy's decision goes with it
(`guards.DECISION`), so the request is counted against the rate limit once. The answer
is the read service's (`Readings.place_claims_now`: the same `PlaceQuery`, the same cache
rule and answer as the route's `place_claims`) encoded by the route's `encoded`, with the
route's `Link` to the next page (`claims_link`), so the two answers match byte for byte
(bar the `known_at` instant).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from litestar import Litestar

from service.access import Access
from service.app.reads import PlaceQuery, Readings
from service.http.caching import answered_at
from service.http.formats import CSV, JSON, preferred_by
from service.http.guards import DECISION, caller
from service.http.observing import ROUTE, STATS
from service.http.places import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, claims_link, encoded
from service.http.problems import MAX_TARGET, PROBLEM_JSON, too_long

log = logging.getLogger(__name__)
PLACE_CLAIMS_ROUTE = "/places/{place_id}/claims"
"""The route the shortcut answers for, named as the framework names it."""
_PLAIN_ACCEPT = frozenset({b"", b"*/*", b"application/json"})
_PATH = re.compile(r"/places/([^/]+)/claims")
_DAY = re.compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(rb"0|[1-9][0-9]{0,6}")
# The endpoint's integer parameters: their bounds and defaults.
_BOUNDS = {b"limit": (1, MAX_LIMIT), b"offset": (0, MAX_OFFSET)}
_DEFAULTS = {b"limit": DEFAULT_LIMIT, b"offset": 0}


class HeldAnswers:
    """An ASGI app: the core query for held places, and the app for everything else."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.answered = 0
        """How many requests it answered itself; the rest went to the app."""

    # The scope and messages are plain ASGI dicts, as the server makes them.
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _too_long(scope):
            # Refused before the framework, which remembers the last paths it routed.
            await _send(send, 414, too_long(scope), PROBLEM_JSON.encode())
            return
        if scope["type"] == "http" and scope["method"] == "GET":
            try:
                body = self._answer(scope)
            except Exception:  # the app answers instead: as it always does, or as problem+json
                log.exception("the held answer failed; the app answers instead")
                body = None
            if body is not None:
                await _send(send, 200, body[0], more=body[1])
                self.answered += 1
                return
        await self.app(scope, receive, send)

    def _answer(self, scope: Any) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
        """The encoded answer and its further headers (the route's `Link`), or None when the
        app should answer."""
        path = _PATH.fullmatch(scope["path"])
        if path is None or any(name == b"origin" for name, _ in scope["headers"]):
            return None
        accept = next((v for name, v in scope["headers"] if name == b"accept"), b"")
        # The Accept headers most callers send name JSON or anything: no parsing for those.
        if accept not in _PLAIN_ACCEPT and preferred_by(accept.decode("latin-1"), CSV) != JSON:
            return None  # another shape than JSON: the route makes it
        query = _query(scope["query_string"])
        readings: Readings | None = getattr(self.app.state, "readings", None)
        if query is None or readings is None or not self._admitted(scope):
            return None
        place = readings.find_place(path.group(1))
        if place is None:
            return None
        as_of, limit, offset = query
        held = PlaceQuery(place, as_of or date.today(), limit=limit, offset=offset)
        answer = readings.place_claims_now(held)
        if answer is None:
            STATS.held["miss"] += 1
            return None
        STATS.held["hit"] += 1
        scope[ROUTE] = PLACE_CLAIMS_ROUTE
        answered_at(scope, answer.known_at)
        link = claims_link(scope["path"], scope["query_string"], answer)
        return encoded(answer), [(b"link", link.encode())] if link else []

    def _admitted(self, scope: Any) -> bool:
        """Whether the caller may read. The decision goes with the request, so that if the
        app answers it instead, the app's guard takes it rather than counting it again."""
        access: Access = self.app.state.access
        decision = scope[DECISION] = access.decide("read", *caller(scope))
        return decision.allowed


_JSON_TYPE = b"application/json"


async def _send(
    send: Any,
    status: int,
    body: bytes,
    media_type: bytes = _JSON_TYPE,
    more: list[tuple[bytes, bytes]] | None = None,
) -> None:
    length = (b"content-length", str(len(body)).encode())
    headers = [(b"content-type", media_type), length, *(more or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _too_long(scope: Any) -> bool:
    return len(scope["path"]) + len(scope.get("query_string", b"")) > MAX_TARGET


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
