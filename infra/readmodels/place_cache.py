"""Places' claims held in memory, to answer the core query, what was claimed about a place
as of a date as the ledger knows it now, without asking the database.

A place is read whole on its first such request (`_PLACE`: the claims that still stand,
oldest first, each with its stored document and its contestations' dates and sides) and
kept, the least recently asked for going first once the memory's size in bytes is reached.
An answer as of any date is then cut from it: the claims made by that date, a page of
their documents, and the summary.

What is held is kept current by the claims projection, which announces, in the transaction
that changes them, the places whose claims changed (`PLACES_CHANNEL`). A connection of the
memory's own listens, and forgets those places when the announcement arrives, just after
the commit. A place read while anything was announced is used for that answer and not
kept. While the memory is not listening (before it starts, or while the database is away)
it holds nothing and answers nothing, so every answer is read from the database.

Answers "as known at" an earlier instant are not cut from memory: they need what was
withdrawn since, which the stored documents no longer hold.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import accumulate
from typing import Any

import msgspec
from psycopg import AsyncConnection
from psycopg.rows import tuple_row
from psycopg_pool import AsyncConnectionPool

from domain.summary import ClaimState, PlaceSummary, summarise
from domain.vocabulary import ClaimKind, Side
from infra.postgres.listening import listen
from infra.postgres.pools import read
from infra.readmodels.documents import WATERMARK, standing_claim
from infra.readmodels.projections import EVERY_PLACE, PLACES_CHANNEL
from infra.readmodels.queries import ClaimsQuery

_IDLE_SECONDS = 10.0
"""How long the listening connection may stay quiet before it is checked."""
_CLAIM_OVERHEAD = 400
"""Bytes a held claim takes besides its document (its object, id, dates and sides)."""

# The watermark, then the place's claims standing now (none: one row of NULLs), read in
# one statement so that the claims are exactly those recorded by the watermark.
_PLACE = f"""SELECT {WATERMARK}, p.* FROM (SELECT 1) AS one LEFT JOIN LATERAL (
    SELECT c.id, c.claimant_side, c.actor_side, c.kind, c.claimed_on, c.position,
           d.document, d.contested_until,
           ARRAY(SELECT k.contested_on FROM claim_contestations k WHERE k.claim_id = c.id),
           ARRAY(SELECT k.by_side FROM claim_contestations k WHERE k.claim_id = c.id)
    FROM claims c LEFT JOIN claim_documents d ON d.claim_id = c.id
    WHERE c.place_id = %s AND {standing_claim("c", now=True)}
) AS p ON true
ORDER BY p.claimed_on, p.position"""


@dataclass(frozen=True, slots=True)
class HeldClaim:
    """A standing claim: what the listing and the summary need (`state`, with no
    contesting side), and its stored document (everything recorded about it, every
    contestation whatever its date)."""

    state: ClaimState
    document: memoryview
    """The stored document, where it lies in its place's `HeldPlace.documents`."""
    contested_until: date | None
    contestations: tuple[tuple[date, Side], ...]

    def document_as_of(self, as_of: date) -> bytes | memoryview:
        """The claim's JSON as of a date: the stored document, less the contestations
        made after that date (and the status and positions they made)."""
        if self.contested_until is None or self.contested_until <= as_of:
            return self.document
        return _without_later_contestations(self.document, as_of)

    def contested_by(self, as_of: date) -> frozenset[Side]:
        """The sides that had contested the claim by a date."""
        return frozenset(side for day, side in self.contestations if day <= as_of)


@dataclass(frozen=True, slots=True)
class HeldPlace:
    """A place's standing claims, oldest first (by claimed date, then position), with what
    makes an answer quick to cut: their days side by side, their documents in one JSON text,
    the claims contested on a later day than their own (whose documents change with the
    date asked), and the claimant sides in the order they first spoke."""

    claims: list[HeldClaim]
    days: list[date]
    documents: bytes
    """Every claim's stored document, in order, separated by commas."""
    starts: list[int]
    """Where each claim's document starts in `documents`, and one past its end."""
    late: list[tuple[int, date]]
    """(index, date of the claim's last contestation) of each claim contested later."""
    first_spoke: list[tuple[int, Side]]
    """(index of its first claim, side) of each claimant side, in that order."""
    size: int
    latest: dict[int, list[HeldClaim]]
    """The summary's candidates among the first `end` claims, by `end`, as first asked."""
    summaries: dict[tuple[int, tuple[frozenset[Side], ...]], PlaceSummary]
    """Summaries as first made, by `end` and the sides that had contested each candidate."""
    known_at: datetime
    """The watermark it was read at: it holds every claim recorded by then, and no other."""

    @classmethod
    def of(
        cls, claims: list[HeldClaim], documents: bytes, starts: list[int], known_at: datetime
    ) -> HeldPlace:
        first: dict[Side, int] = {}
        for index, claim in enumerate(claims):
            first.setdefault(claim.state.claimant_side, index)
        return cls(
            claims,
            [c.state.claimed_on for c in claims],
            documents,
            starts,
            [
                (index, c.contested_until)
                for index, c in enumerate(claims)
                if c.contested_until is not None and c.contested_until > c.state.claimed_on
            ],
            [(index, side) for side, index in first.items()],
            len(documents) + _CLAIM_OVERHEAD * len(claims),
            {},
            {},
            known_at,
        )

    def answer(self, query: ClaimsQuery) -> HeldAnswer:
        """The query's answer (a question of now about this place, `query.of_now`): the
        claims made by `as_of` of the sides and kinds asked, how many, their summary, and
        the page as one JSON array, in the order and shape of queries.place_claims."""
        as_of, sides, kinds = query.as_of, query.sides, query.kinds
        limit, offset = query.limit, query.offset
        end = bisect_right(self.days, as_of)
        if sides or kinds:
            listed = [
                c
                for c in self.claims[:end]
                if (not sides or c.state.claimant_side.value in sides)
                and (not kinds or c.state.kind.value in kinds)
            ]
            spoke = list(dict.fromkeys(c.state.claimant_side for c in listed))
            page = [c.document_as_of(as_of) for c in listed[offset : offset + limit]]
            latest = _latest(listed, spoke)
            found = summarise(_states(latest, [c.contested_by(as_of) for c in latest]))
            return HeldAnswer(len(listed), found, _array(page), self.known_at)
        stop = min(end, offset + limit)
        if any(offset <= index < stop and until > as_of for index, until in self.late):
            text = _array([c.document_as_of(as_of) for c in self.claims[offset:stop]])
        elif offset < stop:  # the page's documents as they lie, copied once
            text = bytearray(b"[")
            text += memoryview(self.documents)[self.starts[offset] : self.starts[stop] - 1]
            text += b"]"
        else:
            text = bytearray(b"[]")
        picked = self.latest.get(end)
        if picked is None:
            spoke = [side for first, side in self.first_spoke if first < end]
            picked = self.latest[end] = _latest(self.claims[:end], spoke)
        contested = tuple(c.contested_by(as_of) for c in picked)
        summary = self.summaries.get((end, contested))
        if summary is None:
            summary = summarise(_states(picked, contested))
            self.summaries[end, contested] = summary
        return HeldAnswer(end, summary, text, self.known_at)


@dataclass(frozen=True, slots=True)
class HeldAnswer:
    """A query's answer cut from memory, as of the watermark its place was read at."""

    total: int
    summary: PlaceSummary
    claims: bytearray
    known_at: datetime


def _array(documents: list[bytes | memoryview]) -> bytearray:
    text = bytearray(b"[")
    text += b",".join(documents)
    text += b"]"
    return text


def _latest(listed: list[HeldClaim], spoke: list[Side]) -> list[HeldClaim]:
    """The claims made on each claimant side's last day, sides in the order they first
    spoke (`spoke`). Read from the newest back, until every side's last day is passed."""
    last: dict[Side, date] = {}
    picked: list[HeldClaim] = []
    for claim in reversed(listed):
        state = claim.state
        day = last.setdefault(state.claimant_side, state.claimed_on)
        if day == state.claimed_on:
            picked.append(claim)
        elif len(last) == len(spoke) and state.claimed_on < min(last.values()):
            break
    picked.reverse()
    rank = {side: number for number, side in enumerate(spoke)}
    picked.sort(key=lambda c: rank[c.state.claimant_side])
    return picked


def _states(picked: list[HeldClaim], contested: Sequence[frozenset[Side]]) -> list[ClaimState]:
    """The summary's candidates, each with the sides that had contested it."""
    return [replace(c.state, contested_by=by) for c, by in zip(picked, contested, strict=True)]


_DOCUMENT = msgspec.json.Decoder(dict[str, Any])
_ENCODE = msgspec.json.Encoder().encode


def _without_later_contestations(document: memoryview, as_of: date) -> bytes:
    claim = _DOCUMENT.decode(document)
    day = as_of.isoformat()
    kept = [k for k in claim["contestations"] if k["contested_on"] <= day]
    claim["contestations"] = kept
    if claim["status"] != "retracted":
        claim["status"] = "contested" if kept else "asserted"
    parts = (*claim["evidence"], *kept, *claim["retractions"])
    claim["positions"] = sorted({claim["position"], *(part["position"] for part in parts)})
    return _ENCODE(claim)


def _held(found: list[tuple[Any, ...]]) -> HeldPlace | None:
    """The place from its rows (see `_PLACE`); None when a claim has no stored document
    yet."""
    known_at = found[0][0]
    rows = [row[1:] for row in found if row[1] is not None]
    texts = [row[6].encode() for row in rows if row[6] is not None]
    if len(texts) < len(rows):
        return None
    documents = b",".join(texts)
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    view = memoryview(documents)
    claims = [
        HeldClaim(
            ClaimState(id_, Side(claimant), Side(actor), ClaimKind(kind), day, position),
            view[start : end - 1], until, tuple(zip(days, map(Side, sides), strict=True)),
        )
        for (id_, claimant, actor, kind, day, position, _, until, days, sides), start, end
        in zip(rows, starts, starts[1:], strict=False)
    ]  # fmt: skip
    return HeldPlace.of(claims, documents, starts, known_at)


class PlaceMemory:
    """Places held in memory, at most `max_bytes` of them, kept current by listening to
    the claims projection's announcements (see the module's docstring)."""

    APPLICATION = "claimledger-place-memory"
    """The listening connection's application_name, as pg_stat_activity shows it."""

    def __init__(self, pool: AsyncConnectionPool[Any], conninfo: str, max_bytes: int) -> None:
        self._pool = pool
        self._conninfo = conninfo
        self.max_bytes = max_bytes
        self._places: OrderedDict[str, HeldPlace] = OrderedDict()
        self.bytes = 0
        self._reading: dict[str, asyncio.Future[HeldPlace | None]] = {}
        self.listening = False
        self._heard = 0  # announcements heard so far: a place read meanwhile is not kept
        self._task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._places)

    def start(self) -> None:
        """Start listening (in the running event loop); places are held from then on."""
        if self.max_bytes > 0 and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._listen())

    async def stop(self) -> None:
        """Stop listening and forget every place."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def answer(self, query: ClaimsQuery) -> HeldAnswer | None:
        """The query's answer from memory, its place read into memory first if need be;
        None when the query is not one of now about one place (`ClaimsQuery.of_now`) or
        the memory cannot answer: ask the database."""
        held = await self.place(query.place_ids[0]) if query.of_now else None
        return None if held is None else held.answer(query)

    def answer_now(self, query: ClaimsQuery) -> HeldAnswer | None:
        """The same answer as `answer`, at once and without I/O, when the place is held;
        None otherwise."""
        held = self.held(query.place_ids[0]) if query.of_now else None
        return None if held is None else held.answer(query)

    async def place(self, place_id: str) -> HeldPlace | None:
        """The place as the ledger knows it now, read if it is not held; None when the
        memory is not listening (or a claim has no document yet): ask the database."""
        if not self.listening:
            return None
        held = self.held(place_id)
        if held is not None:
            return held
        reading = self._reading.get(place_id)
        if reading is None:
            reading = asyncio.ensure_future(self._read(place_id))
            self._reading[place_id] = reading
            reading.add_done_callback(lambda _: self._reading.pop(place_id, None))
        # One reading serves every request for the place that arrives meanwhile; a request
        # that is cancelled does not cancel it for the others.
        return await asyncio.shield(reading)

    def held(self, place_id: str) -> HeldPlace | None:
        """The place as the ledger knows it now if it is held, without reading it."""
        held = self._places.get(place_id) if self.listening else None
        if held is not None:
            self._places.move_to_end(place_id)
        return held

    async def _read(self, place_id: str) -> HeldPlace | None:
        heard = self._heard
        rows = await read(self._pool, lambda conn: _rows(conn, place_id))
        held = _held(rows)
        if held is not None and self.listening and self._heard == heard:
            self._keep(place_id, held)
        return held

    def _keep(self, place_id: str, held: HeldPlace) -> None:
        if held.size > self.max_bytes:
            return
        self._places[place_id] = held
        self.bytes += held.size
        while self.bytes > self.max_bytes:
            _, oldest = self._places.popitem(last=False)
            self.bytes -= oldest.size

    def forget(self, announced: str) -> None:
        """Forget the places an announcement names (every place for `*`)."""
        self._heard += 1
        if announced == EVERY_PLACE:
            self._places.clear()
            self.bytes = 0
            return
        for place_id in announced.split(" "):
            held = self._places.pop(place_id, None)
            if held is not None:
                self.bytes -= held.size

    async def _listen(self) -> None:
        async def started(_: AsyncConnection[Any]) -> None:
            self.forget(EVERY_PLACE)  # nothing was heard while not listening
            self.listening = True

        def stopped() -> None:
            # Not listening is safe: every answer is read from the database meanwhile.
            self.listening = False
            self.forget(EVERY_PLACE)

        await listen(
            self._conninfo,
            PLACES_CHANNEL,
            self.APPLICATION,
            started=started,
            heard=self.forget,
            stopped=stopped,
            idle_seconds=_IDLE_SECONDS,
        )


async def _rows(conn: AsyncConnection[Any], place_id: str) -> list[tuple[Any, ...]]:
    async with conn.cursor(row_factory=tuple_row) as cur:
        await cur.execute(_PLACE, (place_id,))
        return await cur.fetchall()
