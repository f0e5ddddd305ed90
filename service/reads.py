"""The read side: answers built from the read models, shaped as response Structs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import aclosing
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

import msgspec
import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from domain.places import Gazetteer, Place
from domain.summary import ClaimState, contradictions, summarise
from domain.vocabulary import ClaimKind, Side
from infra import queries
from infra.eventstore import NOTIFY_CHANNEL
from infra.pools import CONNECT_TIMEOUT
from service.errors import NotFound
from service.http.schemas import (
    ArticleOut,
    ClaimOut,
    ContestationOut,
    ContradictionOut,
    EventOut,
    EventPage,
    EvidenceOut,
    LatestClaim,
    PlaceClaims,
    PlaceOut,
    PlaceTimeline,
    RetractionOut,
    Summary,
)

Row = dict[str, Any]
_RECONNECT_SECONDS = 1.0


class Readings:
    """Queries over the read models; never touches the event store's write path."""

    def __init__(self, pool: AsyncConnectionPool[Any], gazetteer: Gazetteer, conninfo: str) -> None:
        self.pool = pool
        self.gazetteer = gazetteer
        self.conninfo = conninfo

    def place(self, place_id: str) -> Place:
        """The gazetteer's place for an id (or, leniently, a name)."""
        place = self.gazetteer.get(place_id) or self.gazetteer.resolve(place_id)
        if place is None:
            raise NotFound("place", place_id)
        return place

    async def place_claims(
        self,
        place: Place,
        as_of: date,
        known_at: datetime | None,
        *,
        sides: list[Side],
        kinds: list[ClaimKind],
        descendants: bool,
        limit: int,
        offset: int,
    ) -> PlaceClaims:
        """What was claimed about the place (and, if asked, the places in it) by `as_of`, as
        the ledger knew it at `known_at`."""
        place_ids = self.gazetteer.descendants(place.id) if descendants else [place.id]
        async with self.pool.connection() as conn:
            known_at = known_at or await queries.database_now(conn)
            rows = await queries.place_claims(conn, place_ids, as_of, known_at, sides, kinds)
            ids = [row["id"] for row in rows]
            rejections = await queries.contestations(conn, ids, as_of, known_at)
            page = await _claims_out(conn, rows[offset : offset + limit], rejections, known_at)
        states = [_state(row, rejections.get(row["id"], [])) for row in rows]
        return PlaceClaims(
            place=place_out(place),
            as_of=as_of,
            known_at=known_at,
            total=len(rows),
            limit=limit,
            offset=offset,
            claims=page,
            summary=_summary(states),
        )

    async def timeline(
        self,
        place: Place,
        start: date | None,
        end: date,
        known_at: datetime | None,
        *,
        descendants: bool,
    ) -> PlaceTimeline:
        """The place's claims made from `start` to `end`, per claimant side in claim-time
        order, and the contradiction periods within, as known at `known_at`."""
        place_ids = self.gazetteer.descendants(place.id) if descendants else [place.id]
        async with self.pool.connection() as conn:
            known_at = known_at or await queries.database_now(conn)
            rows = await queries.place_claims(conn, place_ids, end, known_at)
            listed = [r for r in rows if start is None or r["claimed_on"] >= start]
            ids = [r["id"] for r in listed]
            rejections = await queries.contestations(conn, ids, end, known_at)
            claims = await _claims_out(conn, listed, rejections, known_at)
        sides: dict[str, list[ClaimOut]] = {}
        for claim in claims:
            sides.setdefault(claim.claimant_side.value, []).append(claim)
        periods = [
            ContradictionOut(
                start=max(p.start, start) if start else p.start, end=p.end, reasons=p.reasons
            )
            for p in contradictions(_state(row, []) for row in rows)
            if start is None or p.end is None or p.end > start
        ]
        return PlaceTimeline(
            place=place_out(place),
            from_=start,
            to=end,
            known_at=known_at,
            sides=sides,
            contradictions=periods,
        )

    async def claim(self, claim_id: UUID, known_at: datetime | None) -> ClaimOut:
        """A claim as known at `known_at`: its standing evidence, every contestation and
        every retraction recorded by then."""
        async with self.pool.connection() as conn:
            known_at = known_at or await queries.database_now(conn)
            rows = await queries.claims_by_id(conn, [claim_id], known_at)
            if not rows:
                raise NotFound("claim", claim_id)
            rejections = await queries.contestations(conn, [claim_id], date.max, known_at)
            return (await _claims_out(conn, rows, rejections, known_at))[0]

    async def article(self, article_id: UUID) -> ArticleOut:
        """A stored article."""
        async with self.pool.connection() as conn:
            row = await queries.article(conn, article_id)
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
    ) -> EventPage:
        """A page of the event feed, payloads as stored JSON."""
        async with self.pool.connection() as conn:
            rows = await queries.events(
                conn, after=after, limit=limit, until=until, types=types, positions=positions
            )
        events = [_event_out(r) for r in rows]
        return EventPage(events=events, next_after=events[-1].position if events else after)

    async def follow(
        self, after: int, types: Sequence[str], idle_seconds: float = 15.0
    ) -> AsyncIterator[EventOut | None]:
        """Every event after a position, then each new one as it is recorded, for as long
        as the caller reads; None after each quiet spell (for keep-alives). New events are
        announced by the store's notifications, so nothing polls. While the database is
        unreachable the feed waits (with keep-alives) and then goes on where it stopped."""
        while True:
            try:
                async with aclosing(self._listening(after, types, idle_seconds)) as feed:
                    async for event in feed:
                        after = event.position if event else after
                        yield event
            except psycopg.OperationalError:
                yield None
                await asyncio.sleep(_RECONNECT_SECONDS)

    async def _listening(
        self, after: int, types: Sequence[str], idle_seconds: float
    ) -> AsyncGenerator[EventOut | None, None]:
        """The feed over one LISTEN connection, until the database fails it."""
        async with await AsyncConnection.connect(
            self.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT
        ) as listener:
            await listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
            while True:
                async with self.pool.connection() as conn:
                    rows = await queries.events(conn, after=after, limit=500, types=types)
                for row in rows:
                    event = _event_out(row)
                    after = event.position
                    yield event
                if len(rows) == 500:
                    continue
                heard = [n async for n in listener.notifies(timeout=idle_seconds, stop_after=1)]
                if not heard:
                    yield None


async def _claims_out(
    conn: AsyncConnection[Row],
    rows: list[Row],
    rejections: dict[UUID, list[Row]],
    known_at: datetime,
) -> list[ClaimOut]:
    """Claim rows as answers, with their standing evidence and retractions fetched."""
    ids = [row["id"] for row in rows]
    found = await queries.evidence(conn, ids, known_at)
    withdrawn = await queries.retractions(conn, ids, known_at)
    return [
        claim_out(
            row,
            found.get(row["id"], []),
            rejections.get(row["id"], []),
            withdrawn.get(row["id"], []),
        )
        for row in rows
    ]


def _event_out(row: Row) -> EventOut:
    return EventOut(
        position=row["notification_id"],
        type=row["topic"],
        aggregate_id=row["originator_id"],
        version=row["originator_version"],
        recorded_at=row["recorded_at"],
        payload=msgspec.Raw(bytes(row["state"])),
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


def claim_out(row: Row, found: list[Row], rejections: list[Row], withdrawn: list[Row]) -> ClaimOut:
    """The response shape of a claim with its evidence, contestations and retractions."""
    claimants = list(dict.fromkeys(e["claimant"] for e in found))
    status: Literal["asserted", "contested", "retracted"] = (
        "retracted" if not found else "contested" if rejections else "asserted"
    )
    positions = {row["position"], *(r["position"] for r in (*found, *rejections, *withdrawn))}
    return ClaimOut(
        id=row["id"],
        place_id=row["place_id"],
        claimant_side=Side(row["claimant_side"]),
        actor_side=Side(row["actor_side"]),
        kind=ClaimKind(row["kind"]),
        extent=row["extent"],
        claimed_on=row["claimed_on"],
        claimed_window=_window(row),
        claimants=claimants,
        sources=len({e["article_id"] for e in found}),
        status=status,
        confidence=row["confidence"],
        evidence=[
            EvidenceOut(
                article_id=e["article_id"],
                outlet=e["outlet"],
                published_on=e["published_on"],
                claimant=e["claimant"],
                quote=e["quote"],
                start=e["start_offset"],
                end=e["end_offset"],
                recorded_by=e["recorded_by"],
                recorded_at=e["recorded_at"],
                position=e["position"],
            )
            for e in found
        ],
        contestations=[
            ContestationOut(
                by=k["by_name"],
                side=Side(k["by_side"]),
                contested_on=k["contested_on"],
                contested_window=_window(k),
                quote=k["quote"],
                article_id=k["article_id"],
                note=k["note"],
                recorded_at=k["recorded_at"],
                position=k["position"],
            )
            for k in rejections
        ],
        retractions=[
            RetractionOut(
                article_id=r["article_id"],
                reason=r["reason"],
                by=r["by_name"],
                recorded_by=r["recorded_by"],
                recorded_at=r["recorded_at"],
                position=r["position"],
            )
            for r in withdrawn
        ],
        recorded_at=row["recorded_at"],
        position=row["position"],
        positions=sorted(positions),
    )


def _window(row: Row) -> tuple[date, date] | None:
    start, end = row["window_start"], row["window_end"]
    return (start, end) if start is not None and end is not None else None


def _state(row: Row, rejections: list[Row]) -> ClaimState:
    return ClaimState(
        id=row["id"],
        claimant_side=Side(row["claimant_side"]),
        actor_side=Side(row["actor_side"]),
        kind=ClaimKind(row["kind"]),
        claimed_on=row["claimed_on"],
        position=row["position"],
        contested_by=frozenset(Side(k["by_side"]) for k in rejections),
    )


def _summary(states: list[ClaimState]) -> Summary:
    found = summarise(states)
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
