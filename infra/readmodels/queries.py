"""Read-model queries, asynchronous, on a psycopg connection pool.

Each answer is one statement: one round trip, one snapshot. The claims of an answer come
back as one JSON array built by PostgreSQL (infra.readmodels.documents), in the shape of the
API's `ClaimOut`, so the service decodes it once instead of assembling rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID

from psycopg import AsyncConnection, AsyncRawCursor
from psycopg.rows import dict_row, tuple_row

from infra.eventstore.store import SELECT_AFTER
from infra.readmodels.documents import (
    CLAIM,
    EVERY_PLACE_AS_OF,
    PLACE_CLAIMS,
    TIMELINE,
    Statement,
)
from infra.readmodels.projector import FOLLOWING_LOCK

Row = dict[str, Any]


@dataclass(frozen=True)
class ClaimsQuery:
    """The core query as the read models take it, from the database or from the place
    cache alike: the claims about any of the places made by `as_of`, as the ledger knew
    them at `known_at` (now when None), of the given sides and kinds (all when none are
    given) and confidence, one page; with `reviewed`, of the evidence confirmed by then
    alone."""

    place_ids: tuple[str, ...]
    as_of: date
    known_at: datetime | None = None
    sides: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    limit: int = 100
    offset: int = 0
    min_confidence: float = 0.0
    reviewed: bool = False

    @property
    def of_now(self) -> bool:
        """Whether it asks what the ledger knows now about one place, at any confidence,
        of all its standing evidence: the questions the place cache answers."""
        return (
            self.known_at is None
            and len(self.place_ids) == 1
            and not self.min_confidence
            and not self.reviewed
        )


@dataclass(frozen=True)
class PlaceClaimsAnswer:
    """A page of a place's claims as JSON, with what the summary needs."""

    known_at: datetime
    total: int
    latest: str
    """JSON: the claims made on each claimant side's last day, as
    [id, claimant_side, actor_side, kind, claimed_on, position, [contesting sides]]."""
    claims: str
    """JSON: the page's claims, oldest first."""


@dataclass(frozen=True)
class EveryPlaceAnswer:
    """Every place's claims as of a date, as JSON, with what each place's summary needs."""

    known_at: datetime
    places: str
    """JSON: [place id, claims, the summary's candidates as `PlaceClaimsAnswer.latest`]
    for each place with standing claims, by place id."""
    withdrawn: str
    """JSON: the ids of the places whose claims were all withdrawn."""


@dataclass(frozen=True)
class TimelineAnswer:
    """A place's claims by a date as JSON, with every claim's state for the contradictions."""

    known_at: datetime
    states: str
    """JSON: every claim by the end date as [id, claimant_side, actor_side, kind,
    claimed_on, position], oldest first."""
    claims: str
    """JSON: the claims from the start date on, oldest first."""


async def place_claims(conn: AsyncConnection[Any], query: ClaimsQuery) -> PlaceClaimsAnswer:
    """The query's answer from the database (recorded by `known_at`, with evidence
    standing then; the database's clock now when None): how many, the summary's
    candidates, and the page `offset`..`offset+limit`."""
    params = {
        "places": list(query.place_ids),
        "as_of": query.as_of,
        "known_at": query.known_at,
        "sides": list(query.sides),
        "kinds": list(query.kinds),
        "limit": query.limit,
        "offset": query.offset,
        "min_confidence": query.min_confidence,
    }
    row = await _one(conn, PLACE_CLAIMS[query.reviewed], params)
    return PlaceClaimsAnswer(*row)


async def every_place(
    conn: AsyncConnection[Any],
    as_of: date,
    known_at: datetime | None,
    *,
    sides: Sequence[str] = (),
    kinds: Sequence[str] = (),
    min_confidence: float = 0.0,
    reviewed: bool = False,
) -> EveryPlaceAnswer:
    """Every place's claims made by `as_of` as known at `known_at`, of the sides, kinds and
    confidence asked (with `reviewed`, of the confirmed evidence alone)."""
    params = {
        "as_of": as_of,
        "known_at": known_at,
        "sides": list(sides),
        "kinds": list(kinds),
        "min_confidence": min_confidence,
    }
    row = await _one(conn, EVERY_PLACE_AS_OF[reviewed], params)
    return EveryPlaceAnswer(*row)


async def timeline(
    conn: AsyncConnection[Any],
    place_ids: Sequence[str],
    start: date | None,
    end: date,
    known_at: datetime | None,
    min_confidence: float = 0.0,
    reviewed: bool = False,
) -> TimelineAnswer:
    """Claims about any of the places made on or before `end` as known at `known_at`: the
    state of each, and in full those made from `start` on (with `reviewed`, of the
    confirmed evidence alone)."""
    params = {
        "places": list(place_ids),
        "start": start,
        "as_of": end,
        "known_at": known_at,
        "sides": [],
        "kinds": [],
        "min_confidence": min_confidence,
    }
    row = await _one(conn, TIMELINE[reviewed], params)
    return TimelineAnswer(*row)


async def claim(
    conn: AsyncConnection[Any], claim_id: UUID, known_at: datetime | None
) -> tuple[datetime, str]:
    """The record time asked for and the claim as a one-element JSON array ("[]" when it
    was not recorded by then), with every contestation recorded by `known_at`."""
    params = {"claim_id": claim_id, "as_of": date.max, "known_at": known_at}
    found, claims = await _one(conn, CLAIM, params)
    return found, claims


# Evidence neither confirmed nor withdrawn (what a reader recorded and no analyst has looked
# at), least confident first, from the partial index `claim_evidence_unreviewed`.
_QUEUE = """SELECT e.claim_id, e.article_id, c.place_id, c.claimant_side, c.actor_side, c.kind,
       c.extent, c.claimed_on, e.claimant, e.quote, e.start_offset AS start,
       e.end_offset AS "end", e.confidence, e.recorded_by, e.recorded_at, e.position,
       s.outlet, s.published_on
FROM claim_evidence e JOIN claims c ON c.id = e.claim_id
LEFT JOIN claim_sources s ON s.article_id = e.article_id
WHERE e.reviewed_at IS NULL AND e.retracted_at IS NULL
  AND (cardinality(%(places)s::text[]) = 0 OR c.place_id = ANY(%(places)s::text[]))
  AND c.claimed_on BETWEEN %(start)s::date AND %(end)s::date
ORDER BY e.confidence, e.position
LIMIT %(limit)s OFFSET %(offset)s"""


async def review_queue(
    conn: AsyncConnection[Any],
    place_ids: Sequence[str],
    start: date,
    end: date,
    limit: int,
    offset: int,
) -> list[Row]:
    """Evidence awaiting review about any of the places (every place when none is given)
    claimed from `start` to `end`, least confident first: up to `limit` rows after
    `offset`, each row named as `ReviewItem`'s fields (but the place's name)."""
    params = {
        "places": list(place_ids),
        "start": start,
        "end": end,
        "limit": limit,
        "offset": offset,
    }
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_QUEUE, params)
        return await cur.fetchall()


async def article(conn: AsyncConnection[Row], article_id: UUID) -> Row | None:
    """One stored article."""
    cur = await conn.execute("SELECT * FROM articles WHERE id = %s", (article_id,))
    return await cur.fetchone()


@dataclass(frozen=True)
class EventsAbout:
    """Which claims' events a feed asks for: those about any of the places, by any of the
    claimant sides, of any of the kinds (each unrestricted when empty)."""

    place_ids: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.place_ids or self.sides or self.kinds)


# The claims asked about, from the claims projection's table: the feed filtered by them
# stops at the events that projection has applied, so that a later page or the live stream
# never skips an event it had not yet placed.
_CLAIMS_ABOUT = """SELECT c.id FROM claims c
    WHERE (cardinality(%(places)s::text[]) = 0 OR c.place_id = ANY(%(places)s::text[]))
      AND (cardinality(%(sides)s::text[]) = 0 OR c.claimant_side = ANY(%(sides)s::text[]))
      AND (cardinality(%(kinds)s::text[]) = 0 OR c.kind = ANY(%(kinds)s::text[]))"""
_ABOUT = f""" AND notification_id <= coalesce(
        (SELECT position FROM projection_tracking WHERE projection = 'claims'), 0)
    AND (originator_id IN ({_CLAIMS_ABOUT})
         OR originator_id IN (SELECT e.article_id FROM claim_evidence e
                              WHERE e.claim_id IN ({_CLAIMS_ABOUT})))"""


async def events(
    conn: AsyncConnection[Any],
    *,
    after: int = 0,
    limit: int = 100,
    until: datetime | None = None,
    types: Sequence[str] = (),
    positions: Sequence[int] = (),
    about: EventsAbout | None = None,
) -> list[tuple[Any, ...]]:
    """A page of the event feed after a position: recorded by `until` when given, of the
    given types when given, at the given positions when given, and `about` some claims
    when given (their events and the articles that gave evidence for them, up to the
    position the claims projection has reached). Rows of (position, aggregate id,
    version, type, state, record time)."""
    query = SELECT_AFTER
    if until is not None:
        query += " AND recorded_at <= %(until)s"
    if types:
        query += " AND topic = ANY(%(types)s)"
    if positions:
        query += " AND notification_id = ANY(%(positions)s)"
    if about:
        query += _ABOUT
    query += " ORDER BY notification_id LIMIT %(limit)s"
    about = about or EventsAbout()
    params = {
        "after": after,
        "limit": limit,
        "until": until,
        "types": list(types),
        "positions": list(positions),
        "places": list(about.place_ids),
        "sides": list(about.sides),
        "kinds": list(about.kinds),
    }
    async with conn.cursor(row_factory=tuple_row, binary=True) as cur:
        await cur.execute(query, params)
        return await cur.fetchall()


async def positions(conn: AsyncConnection[Row]) -> tuple[int, dict[str, int]]:
    """The newest event's position and each projection's tracked position."""
    cur = await conn.execute("SELECT coalesce(max(notification_id), 0) AS last FROM stored_events")
    row = await cur.fetchone()
    cur = await conn.execute("SELECT projection, position FROM projection_tracking")
    tracked = {r["projection"]: int(r["position"]) for r in await cur.fetchall()}
    return (int(row["last"]) if row else 0), tracked


class Progress(NamedTuple):
    """How far the claims projection has come, and how far the store."""

    applied: int
    """The position of the last event the claims projection applied (0 before any)."""
    last: int
    """The position of the last event recorded (0 before any)."""


async def claims_progress(conn: AsyncConnection[Any]) -> Progress:
    """The claims projection's position and the store's last."""
    async with conn.cursor(row_factory=tuple_row) as cur:
        await cur.execute(
            "SELECT coalesce((SELECT position FROM projection_tracking"
            " WHERE projection = 'claims'), 0), coalesce(max(notification_id), 0)"
            " FROM stored_events",
            prepare=True,
        )
        row = await cur.fetchone()
    return Progress(*row) if row else Progress(0, 0)


async def projector_following(conn: AsyncConnection[Row]) -> bool:
    """Whether a projector follows the store of this database (`FOLLOWING_LOCK` is held)."""
    cur = await conn.execute(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = %s AND objid = %s AND objsubid = 2",
        FOLLOWING_LOCK,
    )
    row = await cur.fetchone()
    return bool(row and row["n"])


async def lag_seconds(conn: AsyncConnection[Row], position: int) -> float:
    """How long ago the first event after `position` was recorded (0 when none is)."""
    cur = await conn.execute(
        "SELECT extract(epoch FROM clock_timestamp() - recorded_at)::float8 AS lag"
        " FROM stored_events WHERE notification_id > %s ORDER BY notification_id LIMIT 1",
        (position,),
    )
    row = await cur.fetchone()
    return max(0.0, float(row["lag"])) if row else 0.0


async def current_revision(conn: AsyncConnection[Row]) -> str | None:
    """The database's migration revision (the table exists once anything was migrated)."""
    cur = await conn.execute("SELECT version_num FROM alembic_version")
    row = await cur.fetchone()
    return str(row["version_num"]) if row else None


async def _one(
    conn: AsyncConnection[Any], statement: Statement, params: dict[str, Any]
) -> tuple[Any, ...]:
    async with AsyncRawCursor(conn, row_factory=tuple_row) as cur:
        await cur.execute(statement.sql, [params[name] for name in statement.names])
        row = await cur.fetchone()
    assert row is not None  # each of these statements answers exactly one row
    return row
