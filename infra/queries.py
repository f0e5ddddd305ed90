"""Read-model queries, asynchronous, on a psycopg connection pool."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from infra.eventstore import SELECT_AFTER

Row = dict[str, Any]

_CLAIM_COLUMNS = (
    "id, place_id, claimant_side, actor_side, kind, extent, claimed_on, window_start,"
    " window_end, recorded_by, confidence, position, recorded_at"
)
# Evidence standing at a record time: recorded by then and not yet withdrawn.
_STANDING = (
    "e.recorded_at <= %(known_at)s AND (e.retracted_at IS NULL OR e.retracted_at > %(known_at)s)"
)
_EVIDENCE = (
    "SELECT e.claim_id, e.seq, e.article_id, a.outlet, a.published_on, e.claimant, e.quote,"
    " e.start_offset, e.end_offset, e.recorded_by, e.recorded_at, e.position"
    " FROM claim_evidence e LEFT JOIN articles a ON a.id = e.article_id"
    f" WHERE e.claim_id = ANY(%(ids)s) AND {_STANDING} ORDER BY e.claim_id, e.seq"
)
_CONTESTATIONS = (
    "SELECT claim_id, seq, by_name, by_side, contested_on, window_start, window_end,"
    " article_id, quote, note, recorded_at, position FROM claim_contestations"
    " WHERE claim_id = ANY(%(ids)s) AND contested_on <= %(as_of)s"
    " AND recorded_at <= %(known_at)s ORDER BY claim_id, seq"
)
_RETRACTIONS = (
    "SELECT claim_id, seq, article_id, reason, by_name, recorded_by, recorded_at, position"
    " FROM claim_retractions WHERE claim_id = ANY(%(ids)s) AND recorded_at <= %(known_at)s"
    " ORDER BY claim_id, seq"
)


async def place_claims(
    conn: AsyncConnection[Row],
    place_ids: Sequence[str],
    as_of: date,
    known_at: datetime,
    sides: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[Row]:
    """Claims about any of the places made on or before `as_of`, as the store knew them at
    `known_at` (recorded by then, with evidence standing then), oldest first."""
    query = (
        f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE place_id = ANY(%(places)s)"
        " AND claimed_on <= %(as_of)s AND recorded_at <= %(known_at)s"
        f" AND EXISTS (SELECT 1 FROM claim_evidence e WHERE e.claim_id = c.id AND {_STANDING})"
    )
    if sides:
        query += " AND claimant_side = ANY(%(sides)s)"
    if kinds:
        query += " AND kind = ANY(%(kinds)s)"
    query += " ORDER BY claimed_on, position"
    cur = await conn.execute(
        query,
        {
            "places": list(place_ids),
            "as_of": as_of,
            "known_at": known_at,
            "sides": list(sides),
            "kinds": list(kinds),
        },
    )
    return await cur.fetchall()


async def claims_by_id(
    conn: AsyncConnection[Row], claim_ids: Sequence[UUID], known_at: datetime
) -> list[Row]:
    """The claims with these ids that were recorded by `known_at`."""
    cur = await conn.execute(
        f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE id = ANY(%(ids)s)"
        " AND recorded_at <= %(known_at)s",
        {"ids": list(claim_ids), "known_at": known_at},
    )
    return await cur.fetchall()


async def evidence(
    conn: AsyncConnection[Row], claim_ids: Sequence[UUID], known_at: datetime
) -> dict[UUID, list[Row]]:
    """The evidence of each claim standing at `known_at`, with its article's outlet and date."""
    cur = await conn.execute(_EVIDENCE, {"ids": list(claim_ids), "known_at": known_at})
    return _group(await cur.fetchall())


async def contestations(
    conn: AsyncConnection[Row], claim_ids: Sequence[UUID], as_of: date, known_at: datetime
) -> dict[UUID, list[Row]]:
    """The contestations of each claim made by `as_of` and recorded by `known_at`."""
    cur = await conn.execute(
        _CONTESTATIONS, {"ids": list(claim_ids), "as_of": as_of, "known_at": known_at}
    )
    return _group(await cur.fetchall())


async def retractions(
    conn: AsyncConnection[Row], claim_ids: Sequence[UUID], known_at: datetime
) -> dict[UUID, list[Row]]:
    """The retractions of each claim recorded by `known_at`."""
    cur = await conn.execute(_RETRACTIONS, {"ids": list(claim_ids), "known_at": known_at})
    return _group(await cur.fetchall())


async def article(conn: AsyncConnection[Row], article_id: UUID) -> Row | None:
    """One stored article."""
    cur = await conn.execute("SELECT * FROM articles WHERE id = %s", (article_id,))
    return await cur.fetchone()


async def events(
    conn: AsyncConnection[Row],
    *,
    after: int = 0,
    limit: int = 100,
    until: datetime | None = None,
    types: Sequence[str] = (),
    positions: Sequence[int] = (),
) -> list[Row]:
    """A page of the event feed after a position: recorded by `until` when given, of the
    given types when given, at the given positions when given."""
    query = SELECT_AFTER
    if until is not None:
        query += " AND recorded_at <= %(until)s"
    if types:
        query += " AND topic = ANY(%(types)s)"
    if positions:
        query += " AND notification_id = ANY(%(positions)s)"
    query += " ORDER BY notification_id LIMIT %(limit)s"
    params = {
        "after": after,
        "limit": limit,
        "until": until,
        "types": list(types),
        "positions": list(positions),
    }
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def positions(conn: AsyncConnection[Row]) -> tuple[int, dict[str, int]]:
    """The newest event's position and each projection's tracked position."""
    cur = await conn.execute("SELECT coalesce(max(notification_id), 0) AS last FROM stored_events")
    row = await cur.fetchone()
    cur = await conn.execute("SELECT projection, position FROM projection_tracking")
    tracked = {r["projection"]: int(r["position"]) for r in await cur.fetchall()}
    return (int(row["last"]) if row else 0), tracked


async def database_now(conn: AsyncConnection[Row]) -> datetime:
    """The database's clock now: the one that stamps every event's record time."""
    cur = await conn.execute("SELECT clock_timestamp() AS now")
    row = await cur.fetchone()
    assert row is not None
    now: datetime = row["now"]
    return now


async def current_revision(conn: AsyncConnection[Row]) -> str | None:
    """The database's migration revision (the table exists once anything was migrated)."""
    cur = await conn.execute("SELECT version_num FROM alembic_version")
    row = await cur.fetchone()
    return str(row["version_num"]) if row else None


def _group(rows: list[Row]) -> dict[UUID, list[Row]]:
    grouped: dict[UUID, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["claim_id"], []).append(row)
    return grouped
