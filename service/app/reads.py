"""The read side: answers built from the read models, shaped as response Structs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from uuid import UUID

import msgspec
import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from domain.places import Gazetteer, Place
from domain.summary import (
    ClaimState,
    PlaceState,
    PlaceSummary,
    contradictions,
    place_state,
    summarise,
)
from domain.vocabulary import ClaimKind, Side
from infra.eventstore.hub import PAGE, EventHub
from infra.postgres.pools import read
from infra.readmodels import queries
from infra.readmodels.place_cache import HeldAnswer, PlaceMemory
from infra.readmodels.queries import ClaimsQuery, EventsAbout
from service.app.errors import InvalidInput, NotFound, NotYetRead
from service.app.schemas import (
    ArticleOut,
    ClaimOut,
    ContradictionOut,
    EventOut,
    EventPage,
    LatestClaim,
    PlaceClaimsText,
    PlaceOut,
    PlacesAsOf,
    PlaceStanding,
    PlaceTimeline,
    ReviewItem,
    ReviewQueue,
    Summary,
)

_RECONNECT_SECONDS = 1.0
_ABOUT_RECHECK = 0.2
"""Seconds between looks of a quiet feed about some claims (see `Readings._follow_about`)."""
MAX_WAIT = 5.0
"""Seconds a read waits at most for the read models to reach a position it names."""
# The database renders claims in the response's shape (infra.readmodels.documents). A page of a
# place's claims is sent as rendered; the other answers decode them, which checks the shape.
_CLAIMS = msgspec.json.Decoder(list[ClaimOut])
# A claim's state: id, claimant side, actor side, kind, claimed on, position, and, for
# the summary's candidates, the sides that had contested it.
_CANDIDATES = msgspec.json.Decoder(
    list[tuple[UUID, Side, Side, ClaimKind, date, int, frozenset[Side]]]
)
_EVERY = msgspec.json.Decoder(
    list[tuple[str, int, list[tuple[UUID, Side, Side, ClaimKind, date, int, frozenset[Side]]]]]
)
_WITHDRAWN = msgspec.json.Decoder(list[str])
_STATES = msgspec.json.Decoder(list[tuple[UUID, Side, Side, ClaimKind, date, int]])


@dataclass(frozen=True)
class PlaceQuery:
    """The core query: what was claimed about a place (and, with `descendants`, the places
    in it) by `as_of`, as the ledger knew it at `known_at` (now when None), one page; with
    `reviewed`, of the evidence confirmed by then alone."""

    place: Place
    as_of: date
    known_at: datetime | None = None
    sides: Sequence[Side] = ()
    kinds: Sequence[ClaimKind] = ()
    descendants: bool = False
    limit: int = 100
    offset: int = 0
    min_confidence: float = 0.0
    reviewed: bool = False


@dataclass(frozen=True)
class PlacesQuery:
    """Every place's standing as of a date, as known at `known_at` (now when None), of the
    claims of the given sides and kinds (all when none are given), within a bounding box
    (west, south, east, north in degrees) when given, one page; with `reviewed`, of the
    evidence confirmed by then alone."""

    as_of: date
    known_at: datetime | None = None
    sides: Sequence[Side] = ()
    kinds: Sequence[ClaimKind] = ()
    min_confidence: float = 0.0
    reviewed: bool = False
    bbox: tuple[float, float, float, float] | None = None
    limit: int = 1000
    offset: int = 0

    def within(self, place: Place) -> bool:
        """Whether the place lies in the box (every place does when none is given; a place
        with no coordinates lies in none)."""
        if self.bbox is None:
            return True
        if place.lat is None or place.lon is None:
            return False
        west, south, east, north = self.bbox
        return south <= place.lat <= north and west <= place.lon <= east


class Readings:
    """Queries over the read models; never touches the event store's write path."""

    def __init__(
        self,
        pool: AsyncConnectionPool[Any],
        gazetteer: Gazetteer,
        conninfo: str,
        memory: PlaceMemory | None = None,
    ) -> None:
        self.pool = pool
        self.gazetteer = gazetteer
        self.conninfo = conninfo
        self.memory = memory
        self.hub = EventHub(pool, conninfo)

    async def reached(self, position: int | None, seconds: float | None = None) -> None:
        """Return once the claims' read models hold the event at `position` (at once for
        None); InvalidInput when no event is recorded there yet, NotYetRead when they do
        not hold it within `seconds` (MAX_WAIT when not given)."""
        if position is None:
            return
        seconds = MAX_WAIT if seconds is None else seconds
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + seconds, 0.005
        while (progress := await read(self.pool, queries.claims_progress)).applied < position:
            reached, last = progress
            if last < position:
                raise InvalidInput.at(
                    "min_position", f"no event is recorded at {position} yet (the last is {last})"
                )
            if loop.time() >= deadline:
                raise NotYetRead(position, reached, seconds)
            await asyncio.sleep(min(pause, max(0.0, deadline - loop.time())))
            pause = min(pause * 2, 0.1)

    def place(self, place_id: str) -> Place:
        """The gazetteer's place for an id (or, leniently, a name)."""
        place = self.find_place(place_id)
        if place is None:
            raise NotFound("place", place_id)
        return place

    def find_place(self, place_id: str) -> Place | None:
        """The gazetteer's place for an id (or, leniently, a name), None when none fits."""
        return self.gazetteer.get(place_id) or self.gazetteer.resolve(place_id)

    async def place_claims(self, query: PlaceQuery) -> PlaceClaimsText:
        """The core query's answer, with the claims as the database rendered them: from the
        place cache when it can answer (a question of now about one place), else from one
        SQL statement. Both take the same `ClaimsQuery`."""
        asked = self._claims_query(query)
        if self.memory is not None and (held := await self.memory.answer(asked)) is not None:
            return _held_answer(query, held)
        answer = await read(self.pool, lambda conn: queries.place_claims(conn, asked))
        summary = summarise(ClaimState(*c) for c in _CANDIDATES.decode(answer.latest))
        return _claims_page(query, answer.known_at, answer.total, answer.claims, summary)

    def place_claims_now(self, query: PlaceQuery) -> PlaceClaimsText | None:
        """The same answer as `place_claims`, at once and without I/O, when the place cache
        holds the place now; None when it does not (or cannot answer the query)."""
        held = self.memory.answer_now(self._claims_query(query)) if self.memory else None
        return None if held is None else _held_answer(query, held)

    async def every_place(self, query: PlacesQuery) -> PlacesAsOf:
        """Every place with claims made by `as_of` as the ledger knew them at `known_at`
        (of the sides, kinds and confidence asked; within `bbox` when given), how it stands
        and its summary, ordered by place id, one page."""
        answer = await read(
            self.pool,
            lambda conn: queries.every_place(
                conn,
                query.as_of,
                query.known_at,
                sides=[side.value for side in query.sides],
                kinds=[kind.value for kind in query.kinds],
                min_confidence=query.min_confidence,
                reviewed=query.reviewed,
            ),
        )
        empty = PlaceSummary({}, False, [])
        found = [
            (place_id, claims, summarise(ClaimState(*c) for c in candidates))
            for place_id, claims, candidates in _EVERY.decode(answer.places)
        ] + [(place_id, 0, empty) for place_id in _WITHDRAWN.decode(answer.withdrawn)]
        standing = []
        for place_id, claims, summary in sorted(found, key=lambda f: f[0]):
            place = self.gazetteer.get(place_id)
            if place is None or not query.within(place):
                continue
            state: PlaceState = place_state(summary) if claims else "withdrawn"
            standing.append((place, claims, state, summary))
        page = standing[query.offset : query.offset + query.limit]
        return PlacesAsOf(
            as_of=query.as_of,
            known_at=answer.known_at,
            total=len(standing),
            limit=query.limit,
            offset=query.offset,
            places=[
                PlaceStanding(
                    place=place_out(place), claims=claims, state=state, summary=_summary(summary)
                )
                for place, claims, state, summary in page
            ],
        )

    async def claims_behind(
        self, page: PlacesAsOf, query: PlacesQuery, most: int
    ) -> list[ClaimOut]:
        """Every standing claim behind a page of places' standings (`every_place`'s answer
        to `query`), at the same date and record time, by place then claim time;
        InvalidInput at `limit` when they number more than `most`."""
        asked = ClaimsQuery(
            tuple(p.place.id for p in page.places),
            query.as_of,
            page.known_at,
            sides=tuple(side.value for side in query.sides),
            kinds=tuple(kind.value for kind in query.kinds),
            limit=most,
            min_confidence=query.min_confidence,
            reviewed=query.reviewed,
        )
        if not asked.place_ids:
            return []
        answer = await read(self.pool, lambda conn: queries.place_claims(conn, asked))
        if answer.total > most:
            raise InvalidInput.at(
                "limit",
                f"the page's places hold {answer.total} claims, more than the {most} one"
                " answer holds: ask for fewer places",
            )
        claims = _CLAIMS.decode(answer.claims)
        return sorted(claims, key=lambda c: (c.place_id, c.claimed_on, c.position))

    def _claims_query(self, query: PlaceQuery) -> ClaimsQuery:
        place = query.place.id
        return ClaimsQuery(
            tuple(self.gazetteer.descendants(place)) if query.descendants else (place,),
            query.as_of,
            query.known_at,
            sides=tuple(side.value for side in query.sides),
            kinds=tuple(kind.value for kind in query.kinds),
            limit=query.limit,
            offset=query.offset,
            min_confidence=query.min_confidence,
            reviewed=query.reviewed,
        )

    async def timeline(
        self,
        place: Place,
        start: date | None,
        end: date,
        known_at: datetime | None,
        *,
        descendants: bool,
        min_confidence: float = 0.0,
        reviewed: bool = False,
    ) -> PlaceTimeline:
        """The place's claims made from `start` to `end`, per claimant side in claim-time
        order, and the contradiction periods within, as known at `known_at`."""
        place_ids = self.gazetteer.descendants(place.id) if descendants else [place.id]
        answer = await read(
            self.pool,
            lambda conn: queries.timeline(
                conn, place_ids, start, end, known_at, min_confidence, reviewed
            ),
        )
        sides: dict[str, list[ClaimOut]] = {}
        for claim in _CLAIMS.decode(answer.claims):
            sides.setdefault(claim.claimant_side.value, []).append(claim)
        states = (ClaimState(*state) for state in _STATES.decode(answer.states))
        periods = [
            ContradictionOut(
                start=max(p.start, start) if start else p.start, end=p.end, reasons=p.reasons
            )
            for p in contradictions(states)
            if start is None or p.end is None or p.end > start
        ]
        return PlaceTimeline(
            place=place_out(place),
            from_=start,
            to=end,
            known_at=answer.known_at,
            sides=sides,
            contradictions=periods,
        )

    async def claim(self, claim_id: UUID, known_at: datetime | None) -> tuple[datetime, ClaimOut]:
        """A claim as known at `known_at`: its standing evidence, every contestation and
        every retraction recorded by then; with the instant it is known at (the watermark
        when that comes first)."""
        known, found = await read(self.pool, lambda conn: queries.claim(conn, claim_id, known_at))
        claims = _CLAIMS.decode(found)
        if not claims:
            raise NotFound("claim", claim_id)
        return known, claims[0]

    async def review_queue(
        self,
        place: Place | None,
        start: date,
        end: date,
        *,
        limit: int,
        offset: int,
    ) -> ReviewQueue:
        """Evidence awaiting review about a place and the places in it (every place when
        None) claimed from `start` to `end`, least confident first, one page."""
        place_ids = self.gazetteer.descendants(place.id) if place else []
        rows = await read(
            self.pool,
            lambda conn: queries.review_queue(conn, place_ids, start, end, limit + 1, offset),
        )
        items = [
            msgspec.convert({**row, "place_name": self._place_name(row["place_id"])}, ReviewItem)
            for row in rows[:limit]
        ]
        return ReviewQueue(
            limit=limit,
            offset=offset,
            next_offset=offset + limit if len(rows) > limit else None,
            items=items,
        )

    def _place_name(self, place_id: str) -> str | None:
        found = self.gazetteer.get(place_id)
        return found.name if found else None

    async def article(self, article_id: UUID) -> ArticleOut:
        """A stored article."""
        row = await read(self.pool, lambda conn: queries.article(conn, article_id))
        if row is None:
            raise NotFound("article", article_id)
        return ArticleOut(
            id=row["id"],
            url=row["url"],
            outlet=row["outlet"],
            language=row["language"],
            published_on=row["published_on"],
            title=row["title"],
            body=row["body"],
            body_sha256=row["body_sha256"],
            recorded_at=row["recorded_at"],
            position=row["position"],
        )

    async def events(
        self,
        after: int,
        limit: int,
        *,
        until: datetime | None = None,
        types: Sequence[str] = (),
        positions: Sequence[int] = (),
        about: EventsAbout | None = None,
    ) -> EventPage:
        """A page of the event feed, payloads as stored JSON; `about` some claims when
        given (see `queries.events`)."""
        rows = await read(
            self.pool,
            lambda conn: queries.events(
                conn,
                after=after,
                limit=limit,
                until=until,
                types=types,
                positions=positions,
                about=about,
            ),
        )
        events = [_event_out(row) for row in rows]
        return EventPage(events=events, next_after=events[-1].position if events else after)

    def about(
        self, place: Place | None, sides: Sequence[Side], kinds: Sequence[ClaimKind]
    ) -> EventsAbout:
        """The claims a feed is asked about: a place and the places in it, sides, kinds."""
        return EventsAbout(
            tuple(self.gazetteer.descendants(place.id)) if place else (),
            tuple(side.value for side in sides),
            tuple(kind.value for kind in kinds),
        )

    async def follow(
        self,
        after: int,
        types: Sequence[str],
        idle_seconds: float = 15.0,
        about: EventsAbout | None = None,
    ) -> AsyncIterator[EventOut | None]:
        """Every event after a position, then each new one as it is recorded, for as long
        as the caller reads; None after each quiet spell (for keep-alives). A subscriber
        that has caught up waits on the process's one follower of the store (`EventHub`),
        which holds the only listening connection; one further behind reads pages from
        the pool first. While the database is unreachable the feed waits (with
        keep-alives) and then goes on where it stopped. A feed `about` some claims reads
        its pages from the pool, woken by the hub (see `_follow_about`)."""
        if about:
            async for found in self._follow_about(after, types, idle_seconds, about):
                yield found
            return
        hub = self.hub
        hub.start()
        while True:
            if hub.covers(after):
                rows = hub.after(after, types)
                after = max(after, hub.head)
                if not rows and not await hub.changed(idle_seconds):
                    yield None
            else:
                seen = hub.head if hub.listening else after
                try:
                    rows = await read(self.pool, partial(_page, after=after, types=types))
                except (psycopg.OperationalError, PoolTimeout):
                    yield None
                    await asyncio.sleep(_RECONNECT_SECONDS)
                    continue
                if len(rows) < PAGE:
                    # Everything the hub had read before this page was asked for is seen.
                    after = max(after, seen)
                    if not rows and not hub.covers(after) and not await hub.changed(idle_seconds):
                        yield None
            for row in rows:
                event = _event_out(row)
                after = max(after, event.position)
                yield event

    async def _follow_about(
        self, after: int, types: Sequence[str], idle_seconds: float, about: EventsAbout
    ) -> AsyncIterator[EventOut | None]:
        """`follow` for a feed about some claims. Which events are about them is known only
        once the claims projection has placed them, a few milliseconds after they are
        recorded: so each wake-up by the hub is followed by pages read until the
        projection has caught up, and a quiet feed looks again every `_ABOUT_RECHECK`."""
        hub = self.hub
        hub.start()
        quiet = 0.0
        while True:
            try:
                rows = await read(self.pool, partial(_page, after=after, types=types, about=about))
            except (psycopg.OperationalError, PoolTimeout):
                yield None
                await asyncio.sleep(_RECONNECT_SECONDS)
                continue
            for row in rows:
                event = _event_out(row)
                after = max(after, event.position)
                yield event
            if len(rows) == PAGE:
                continue
            quiet = 0.0 if rows else quiet
            if not await hub.changed(_ABOUT_RECHECK):
                quiet += _ABOUT_RECHECK
                if quiet >= idle_seconds:
                    quiet = 0.0
                    yield None


async def _page(
    conn: AsyncConnection[Any],
    *,
    after: int,
    types: Sequence[str],
    about: EventsAbout | None = None,
) -> list[tuple[Any, ...]]:
    return await queries.events(conn, after=after, limit=PAGE, types=types, about=about)


def _event_out(row: tuple[Any, ...]) -> EventOut:
    position, aggregate_id, version, topic, state, recorded_at = row
    return EventOut(
        position=position,
        type=topic,
        aggregate_id=aggregate_id,
        version=version,
        recorded_at=recorded_at,
        payload=msgspec.Raw(state),
    )


def place_out(place: Place) -> PlaceOut:
    """The response shape of a gazetteer place."""
    return PlaceOut(
        id=place.id,
        name=place.name,
        kind=place.kind,
        parent=place.parent,
        country=place.country,
        population=place.population,
        lat=place.lat,
        lon=place.lon,
        aliases=list(place.aliases),
    )


def _held_answer(query: PlaceQuery, found: HeldAnswer) -> PlaceClaimsText:
    return _claims_page(query, found.known_at, found.total, found.claims, found.summary)


def _claims_page(
    query: PlaceQuery,
    known_at: datetime,
    total: int,
    claims: str | bytes | bytearray,
    summary: PlaceSummary,
) -> PlaceClaimsText:
    """The core query's answer: the page of claims as rendered, and the summary."""
    return PlaceClaimsText(
        place=place_out(query.place),
        as_of=query.as_of,
        known_at=known_at,
        total=total,
        limit=query.limit,
        offset=query.offset,
        claims=msgspec.Raw(claims),
        summary=_summary(summary),
    )


def _summary(found: PlaceSummary) -> Summary:
    return Summary(
        latest={
            side.value: LatestClaim(
                claim_id=c.id,
                kind=c.kind,
                actor_side=c.actor_side,
                claimed_on=c.claimed_on,
                status="contested" if c.contested else "asserted",
            )
            for side, c in found.latest.items()
        },
        disputed=found.disputed,
        reasons=found.reasons,
    )
