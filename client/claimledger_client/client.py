"""The clients, sync and async: the same methods, the same paging, retries and resume."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import quote
from uuid import UUID

import httpx
import msgspec

from claimledger_client.types import Claim, Event, PlaceClaims, PlaceStanding, ReviewItem

T = TypeVar("T")
RETRIED = frozenset({429, 503})
"""Statuses asked again: the ledger is busy or not ready yet, and says when to come back."""
_STREAM_READ_SECONDS = 60.0
"""How long a quiet stream is waited on: the server sends a keep-alive every 15 s."""


class ClaimledgerError(Exception):
    """An answer that is not a success: its status and its problem document."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        fields = "; ".join(
            f"{e.get('field')}: {e.get('message')}" for e in problem.get("errors", [])
        )
        super().__init__(f"{status}: {fields or problem.get('detail') or problem.get('title')}")
        self.status = status
        self.problem = problem


class _PlacePage(msgspec.Struct, frozen=True):
    places: list[PlaceStanding]


class _EventPage(msgspec.Struct, frozen=True):
    events: list[Event]


class _ReviewPage(msgspec.Struct, frozen=True):
    items: list[ReviewItem]


def _decode(response: httpx.Response, kind: type[T]) -> T:
    return msgspec.json.decode(response.content, type=kind)


def _checked(response: httpx.Response) -> httpx.Response:
    if response.is_success:
        return response
    try:
        problem = response.json()
    except ValueError:
        problem = {"detail": response.text[:200]}
    raise ClaimledgerError(response.status_code, problem if isinstance(problem, dict) else {})


def _pause(response: httpx.Response | None, attempt: int) -> float:
    """How long to wait before asking again: the answer's `Retry-After` (seconds or a
    date), else a pause that doubles with each attempt."""
    given = response.headers.get("retry-after") if response is not None else None
    if given:
        if given.strip().isdigit():
            return float(given)
        try:
            then = parsedate_to_datetime(given)
            return max(0.0, float((then - datetime.now(UTC)).total_seconds()))
        except (TypeError, ValueError):
            pass
    return min(0.25 * 2.0**attempt, 10.0)


def _next(response: httpx.Response) -> str | None:
    link = response.links.get("next")
    url = link.get("url") if link else None
    return str(url) if url else None


def _text(value: date | datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _params(**given: Any) -> dict[str, Any]:
    """Query parameters without those left out (None, empty lists, False)."""
    return {
        k: (_text(v) if isinstance(v, date | datetime) else v)
        for k, v in given.items()
        if v is not None and v is not False and not (isinstance(v, list | tuple) and not v)
    }


class _Events:
    """Server-sent events, fed line by line, given back as `Event`s."""

    def __init__(self) -> None:
        self.data: list[str] = []

    def line(self, text: str) -> Event | None:
        if text.startswith(":"):
            return None
        if text == "":
            data, self.data = self.data, []
            return msgspec.json.decode("\n".join(data), type=Event) if data else None
        name, _, value = text.partition(":")
        if name == "data":
            self.data.append(value.removeprefix(" "))
        return None


class _Requests:
    """What both clients ask: paths and parameters of each call."""

    @staticmethod
    def place_claims(
        place: str,
        as_of: date | str | None,
        known_at: datetime | str | None,
        side: Sequence[str],
        kind: Sequence[str],
        reviewed: bool,
        limit: int,
    ) -> tuple[str, dict[str, Any]]:
        path = f"/places/{quote(place, safe=':')}/claims"
        given = _params(
            as_of=as_of,
            known_at=known_at,
            side=list(side),
            kind=list(kind),
            reviewed="true" if reviewed else None,
            limit=limit,
        )
        return path, given

    @staticmethod
    def stream(last: int, types: Sequence[str]) -> dict[str, Any]:
        return {
            "params": _params(after=last, type=list(types)),
            "headers": {"last-event-id": str(last)} if last else {},
            "timeout": httpx.Timeout(30.0, read=_STREAM_READ_SECONDS),
        }


class Claimledger:
    """A client of a Claimledger service, for synchronous code.

    `retries` bounds how often a request is asked again after a 429, a 503 or a failed
    connection (each after its `Retry-After`, at most `max_pause` seconds).
    """

    def __init__(
        self,
        base_url: str,
        *,
        key: str | None = None,
        timeout: float = 30.0,
        retries: int = 5,
        max_pause: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.Client(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport
        )
        self.retries, self.max_pause = retries, max_pause

    def __enter__(self) -> Claimledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        """One request, asked again after a 429, a 503 or a failed connection; the answer,
        or ClaimledgerError when it is not a success."""
        for attempt in range(self.retries + 1):
            try:
                response = self._http.request(method, url, **options)
            except httpx.TransportError:
                if attempt == self.retries:
                    raise
                time.sleep(min(_pause(None, attempt), self.max_pause))
                continue
            if response.status_code not in RETRIED or attempt == self.retries:
                return _checked(response)
            time.sleep(min(_pause(response, attempt), self.max_pause))
        raise AssertionError("unreachable")  # pragma: no cover

    def pages(self, url: str, params: dict[str, Any]) -> Iterator[httpx.Response]:
        """Every page of a paged answer, following its `Link` headers."""
        response = self.request("GET", url, params=params)
        yield response
        while (link := _next(response)) is not None:
            response = self.request("GET", link)
            yield response

    def place_claims(
        self,
        place: str,
        *,
        as_of: date | str | None = None,
        known_at: datetime | str | None = None,
        side: Sequence[str] = (),
        kind: Sequence[str] = (),
        reviewed: bool = False,
        limit: int = 100,
    ) -> Iterator[Claim]:
        """Every claim about a place made by `as_of`, as known at `known_at` (every page as
        known at the first page's instant), oldest first."""
        path, given = _Requests.place_claims(place, as_of, known_at, side, kind, reviewed, limit)
        for response in self.pages(path, given):
            yield from _decode(response, PlaceClaims).claims

    def place_page(self, place: str, **given: Any) -> PlaceClaims:
        """The first page of a place's claims, with its summary and `known_at`."""
        path = f"/places/{quote(place, safe=':')}/claims"
        return _decode(self.request("GET", path, params=_params(**given)), PlaceClaims)

    def places(self, **given: Any) -> Iterator[PlaceStanding]:
        """Every place with claims as of a date (`as_of`, `known_at`, `side`, `kind`,
        `bbox`, `limit`...), by place id, following every page."""
        for response in self.pages("/claims", _params(**given)):
            yield from _decode(response, _PlacePage).places

    def claim(self, claim_id: UUID | str, known_at: datetime | str | None = None) -> Claim:
        """One claim as known at `known_at`."""
        answer = self.request("GET", f"/claims/{claim_id}", params=_params(known_at=known_at))
        return _decode(answer, Claim)

    def events(
        self, after: int = 0, types: Sequence[str] = (), limit: int = 1000
    ) -> Iterator[Event]:
        """Every event after a position, in order, to the last one recorded."""
        given = _params(after=after, type=list(types), limit=limit)
        for response in self.pages("/events", given):
            yield from _decode(response, _EventPage).events

    def stream(self, after: int = 0, types: Sequence[str] = ()) -> Iterator[Event]:
        """Every event after a position, then each new one as it is recorded, without end.
        A dropped connection is made again (after a pause, up to `retries` times in a
        row) from the last event given, so none is lost or repeated."""
        last, failures = after, 0
        while True:
            try:
                with self._http.stream(
                    "GET", "/events/stream", **_Requests.stream(last, types)
                ) as response:
                    if response.status_code in RETRIED:
                        raise _Busy(response)
                    if not response.is_success:
                        response.read()
                        _checked(response)
                    failures = 0
                    events = _Events()
                    for line in response.iter_lines():
                        if (event := events.line(line)) is not None:
                            last = event.position
                            yield event
            except (httpx.TransportError, _Busy) as error:
                failures += 1
                if failures > self.retries:
                    raise
                time.sleep(min(_pause(getattr(error, "response", None), failures), self.max_pause))

    def ingest(self, article: dict[str, Any]) -> dict[str, Any]:
        """Record an article (with its claims, or for the reader to read)."""
        answer: dict[str, Any] = self.request("POST", "/articles", json=article).json()
        return answer

    def review(
        self,
        claim_id: UUID | str,
        verdict: str,
        by: str,
        *,
        reason: str | None = None,
        article_id: UUID | str | None = None,
    ) -> dict[str, Any]:
        """Confirm or reject what an article gave for a claim."""
        body = _params(verdict=verdict, by=by, reason=reason, article_id=_id(article_id))
        answer: dict[str, Any] = self.request(
            "POST", f"/claims/{claim_id}/reviews", json=body
        ).json()
        return answer

    def review_queue(self, **given: Any) -> Iterator[ReviewItem]:
        """Evidence awaiting review (`place`, `from_`, `to`), least confident first."""
        params = _params(**{k.rstrip("_"): v for k, v in given.items()})
        for response in self.pages("/reviews", params):
            yield from _decode(response, _ReviewPage).items


class AsyncClaimledger:
    """A client of a Claimledger service, for asyncio code: `Claimledger`'s methods,
    awaited (and iterated with `async for`)."""

    def __init__(
        self,
        base_url: str,
        *,
        key: str | None = None,
        timeout: float = 30.0,
        retries: int = 5,
        max_pause: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport
        )
        self.retries, self.max_pause = retries, max_pause

    async def __aenter__(self) -> AsyncClaimledger:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        """As `Claimledger.request`."""
        for attempt in range(self.retries + 1):
            try:
                response = await self._http.request(method, url, **options)
            except httpx.TransportError:
                if attempt == self.retries:
                    raise
                await asyncio.sleep(min(_pause(None, attempt), self.max_pause))
                continue
            if response.status_code not in RETRIED or attempt == self.retries:
                return _checked(response)
            await asyncio.sleep(min(_pause(response, attempt), self.max_pause))
        raise AssertionError("unreachable")  # pragma: no cover

    async def pages(self, url: str, params: dict[str, Any]) -> AsyncIterator[httpx.Response]:
        """As `Claimledger.pages`."""
        response = await self.request("GET", url, params=params)
        yield response
        while (link := _next(response)) is not None:
            response = await self.request("GET", link)
            yield response

    async def place_claims(
        self,
        place: str,
        *,
        as_of: date | str | None = None,
        known_at: datetime | str | None = None,
        side: Sequence[str] = (),
        kind: Sequence[str] = (),
        reviewed: bool = False,
        limit: int = 100,
    ) -> AsyncIterator[Claim]:
        """As `Claimledger.place_claims`."""
        path, given = _Requests.place_claims(place, as_of, known_at, side, kind, reviewed, limit)
        async for response in self.pages(path, given):
            for claim in _decode(response, PlaceClaims).claims:
                yield claim

    async def claim(self, claim_id: UUID | str, known_at: datetime | str | None = None) -> Claim:
        """As `Claimledger.claim`."""
        answer = await self.request("GET", f"/claims/{claim_id}", params=_params(known_at=known_at))
        return _decode(answer, Claim)

    async def events(
        self, after: int = 0, types: Sequence[str] = (), limit: int = 1000
    ) -> AsyncIterator[Event]:
        """As `Claimledger.events`."""
        given = _params(after=after, type=list(types), limit=limit)
        async for response in self.pages("/events", given):
            for event in _decode(response, _EventPage).events:
                yield event

    async def stream(self, after: int = 0, types: Sequence[str] = ()) -> AsyncIterator[Event]:
        """As `Claimledger.stream`."""
        last, failures = after, 0
        while True:
            try:
                async with self._http.stream(
                    "GET", "/events/stream", **_Requests.stream(last, types)
                ) as response:
                    if response.status_code in RETRIED:
                        raise _Busy(response)
                    if not response.is_success:
                        await response.aread()
                        _checked(response)
                    failures = 0
                    events = _Events()
                    async for line in response.aiter_lines():
                        if (event := events.line(line)) is not None:
                            last = event.position
                            yield event
            except (httpx.TransportError, _Busy) as error:
                failures += 1
                if failures > self.retries:
                    raise
                pause = _pause(getattr(error, "response", None), failures)
                await asyncio.sleep(min(pause, self.max_pause))

    async def ingest(self, article: dict[str, Any]) -> dict[str, Any]:
        """As `Claimledger.ingest`."""
        answer: dict[str, Any] = (await self.request("POST", "/articles", json=article)).json()
        return answer


class _Busy(Exception):
    """A stream refused for now (429, 503): asked again after its `Retry-After`."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _id(value: UUID | str | None) -> str | None:
    return None if value is None else str(value)
