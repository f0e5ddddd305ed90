"""Projections: read models built from the event feed, each batch written in one transaction
together with the projection's tracking position, so no event is lost or applied twice."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from psycopg import Connection, Copy, Cursor
from psycopg.copy import FileWriter
from psycopg.rows import tuple_row

from domain.claim import ANALYST
from domain.events import (
    ArticleIngested,
    ClaimContested,
    ClaimCorroborated,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    DateWindow,
    Evidence,
)
from infra.eventstore.store import RecordedEvent
from infra.readmodels.documents import STORE, STORE_ALL

Rows = list[tuple[Any, ...]]

PLACES_CHANNEL = "claimledger_places"
"""Announces, as each projection batch commits, the places whose claims it changed: their
ids separated by spaces, or `*` for every place (a rebuild, a reset). Servers holding
places in memory (infra.readmodels.place_cache) listen to it."""
EVERY_PLACE = "*"

# The places of the claims a batch touched, in notifications of at most about 7,000 bytes
# (PostgreSQL refuses payloads of 8,000 or more). Sent when the transaction commits.
_ANNOUNCE = f"""SELECT pg_notify('{PLACES_CHANNEL}', string_agg(place_id, ' '))
FROM (SELECT place_id, sum(length(place_id) + 1) OVER (ORDER BY place_id) / 7000 AS part
      FROM (SELECT DISTINCT place_id FROM claims WHERE id = ANY(%(claims)s::uuid[])) ids) parts
GROUP BY part"""


@dataclass
class Changes:
    """What some events do to a read model: rows to insert, table by table in order of
    dependency, then statements to run over them (each with its list of parameters), then
    the claims whose documents to render again."""

    inserts: list[tuple[str, str, Rows]] = field(default_factory=list)
    statements: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)


class Projection(Protocol):
    """A read model fed by events of some topics."""

    name: str
    topics: frozenset[str]
    tables: tuple[str, ...]
    settled: tuple[str, ...]
    """The tables `settle` fills; the others hold all their rows before it runs."""

    def changes(self, events: Sequence[RecordedEvent]) -> Changes:
        """The effect of these events (all of this projection's topics) on the model."""

    def settle(self, cur: Cursor[Any]) -> None:
        """Finish a model written from the first event with `write(..., settle=False)`."""


def write(cur: Cursor[Any], changes: Changes, *, copy: bool = False, settle: bool = True) -> None:
    """Apply changes: inserts as batched INSERTs, or with binary COPY (faster for large
    batches: neither side spells values out as text or parses them back). Without `settle`,
    claim documents are left for the projection's `settle` to render, all at once: a
    rebuild renders each claim once rather than after every batch touching it."""
    for table, columns, rows in changes.inserts:
        if not rows:
            continue
        if copy:
            send_copy(cur, table, columns, copy_data(cur, table, columns, rows))
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    for statement, params in changes.statements:
        if params:
            cur.executemany(statement, params)
    if settle and changes.documents:
        cur.execute(STORE, {"claims": changes.documents})
        cur.execute(_ANNOUNCE, {"claims": changes.documents})


def announce_every_place(cur: Cursor[Any] | Connection[Any]) -> None:
    """Tell the servers holding places in memory, when the transaction commits, that every
    place may have changed."""
    cur.execute("SELECT pg_notify(%s, %s)", (PLACES_CHANNEL, EVERY_PLACE))


def copy_data(cur: Cursor[Any], table: str, columns: str, rows: Rows) -> bytes:
    """Rows as a whole binary COPY stream for some columns of a table, made on any
    connection to the database (only the columns' types are looked up)."""
    types = _column_types(cur, table, columns)
    buffer = io.BytesIO()
    # A cursor that has run nothing: Copy takes a used one for the end of a COPY statement.
    with (
        cur.connection.cursor() as fresh,
        Copy(fresh, binary=True, writer=FileWriter(buffer)) as stream,
    ):
        stream.set_types(types)
        for row in rows:
            stream.write_row(row)
    return buffer.getvalue()


def send_copy(
    cur: Cursor[Any], table: str, columns: str, data: bytes, *, freeze: bool = False
) -> None:
    """Load a binary COPY stream (from `copy_data`) into a table, its rows frozen when asked
    (only into a table made in the same transaction)."""
    options = "FORMAT BINARY, FREEZE" if freeze else "FORMAT BINARY"
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN ({options})") as stream:
        stream.write(data)


_TYPES: dict[tuple[str, str], list[int]] = {}


def _column_types(cur: Cursor[Any], table: str, columns: str) -> list[int]:
    """The type of each column (as listed, comma-separated), as binary COPY must be told."""
    key = (table, columns)
    if key not in _TYPES:
        names = [name.strip() for name in columns.split(",")]
        with cur.connection.cursor(row_factory=tuple_row) as look:
            row = look.execute(
                "SELECT array_agg(a.atttypid::int ORDER BY c.n)"
                " FROM unnest(%s::text[]) WITH ORDINALITY AS c(name, n)"
                " JOIN pg_attribute a ON a.attrelid = %s::regclass AND a.attname = c.name",
                (names, table),
            ).fetchone()
        types = list(row[0]) if row and row[0] else []
        if len(types) != len(names):
            raise LookupError(f"{table} has no column among some of: {columns}")
        _TYPES[key] = types
    return _TYPES[key]


def apply(projection: Projection, cur: Cursor[Any], events: Sequence[RecordedEvent]) -> None:
    """Write the effect of events on one projection's model."""
    write(cur, projection.changes(events))


class ArticlesProjection:
    """One row per ingested article."""

    name = "articles"
    topics = frozenset({"ArticleIngested"})
    tables: tuple[str, ...] = ("articles",)
    settled: tuple[str, ...] = ()

    def changes(self, events: Sequence[RecordedEvent]) -> Changes:
        """The ingested articles as rows."""
        rows: Rows = []
        for recorded in events:
            event: ArticleIngested = recorded.decode()
            rows.append(
                (
                    event.article_id,
                    event.url,
                    event.outlet,
                    event.language,
                    event.published_on,
                    event.title,
                    event.body,
                    event.body_sha256,
                    recorded.position,
                    recorded.recorded_at,
                )
            )
        columns = (
            "id, url, outlet, language, published_on, title, body, body_sha256, position,"
            " recorded_at"
        )
        return Changes(inserts=[("articles", columns, rows)])

    def settle(self, cur: Cursor[Any]) -> None:
        """Nothing is left to do once every article's row is written."""


@dataclass
class _ClaimRows:
    """The rows a batch of events adds to the claims projection's tables, and the claims
    it touched."""

    claims: Rows = field(default_factory=list)
    evidence: Rows = field(default_factory=list)
    contestations: Rows = field(default_factory=list)
    retractions: Rows = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    sources: Rows = field(default_factory=list)
    touched: dict[Any, None] = field(default_factory=dict)


def _article_source(rows: _ClaimRows, event: ArticleIngested, recorded: RecordedEvent) -> None:
    rows.sources.append(
        (
            event.article_id,
            event.outlet,
            event.published_on,
            event.url,
            event.title,
            astral_positions(event.body),
        )
    )


def astral_positions(body: str) -> list[int] | None:
    """The code point offsets of the body's characters beyond the Basic Multilingual Plane
    (emoji, say), which UTF-16 writes as two units; None when there is none, as in most
    articles. A quote's UTF-16 offset is its code point offset plus how many come before."""
    if body.isascii():
        return None
    found = [i for i, c in enumerate(body) if ord(c) > 0xFFFF]
    return found or None


def _claim_recorded(rows: _ClaimRows, event: ClaimRecorded, recorded: RecordedEvent) -> None:
    rows.touched[event.claim_id] = None
    rows.claims.append(
        (
            event.claim_id,
            event.place_id,
            event.claimant_side.value,
            event.actor_side.value,
            event.kind.value,
            event.extent,
            event.claimed_on,
            *_window(event.claimed_window),
            event.recorded_by,
            event.confidence,
            recorded.position,
            recorded.recorded_at,
        )
    )
    rows.evidence.append(_evidence_row(event, recorded))


def _claim_corroborated(
    rows: _ClaimRows, event: ClaimCorroborated, recorded: RecordedEvent
) -> None:
    rows.touched[event.claim_id] = None
    rows.evidence.append(_evidence_row(event, recorded))


def _claim_contested(rows: _ClaimRows, event: ClaimContested, recorded: RecordedEvent) -> None:
    rows.touched[event.claim_id] = None
    rows.contestations.append(
        (
            event.claim_id,
            recorded.version,
            event.by,
            event.by_side.value,
            event.contested_on,
            *_window(event.contested_window),
            *_quote(event.evidence),
            event.note,
            event.recorded_by,
            recorded.position,
            recorded.recorded_at,
        )
    )


def _claim_retracted(rows: _ClaimRows, event: ClaimRetracted, recorded: RecordedEvent) -> None:
    rows.touched[event.claim_id] = None
    rows.retractions.append(
        (
            event.claim_id,
            recorded.version,
            event.article_id,
            event.reason,
            event.by,
            event.recorded_by,
            recorded.position,
            recorded.recorded_at,
        )
    )


def _claim_reviewed(rows: _ClaimRows, event: ClaimReviewed, recorded: RecordedEvent) -> None:
    rows.touched[event.claim_id] = None
    rows.reviews.append(
        {
            "claim": event.claim_id,
            "article": event.article_id,
            "by": event.by,
            "pos": recorded.position,
            "at": recorded.recorded_at,
        }
    )


_CLAIM_ROWS: dict[type, Callable[[_ClaimRows, Any, RecordedEvent], None]] = {
    ArticleIngested: _article_source,
    ClaimRecorded: _claim_recorded,
    ClaimCorroborated: _claim_corroborated,
    ClaimContested: _claim_contested,
    ClaimRetracted: _claim_retracted,
    ClaimReviewed: _claim_reviewed,
}
"""The claims projection's handler of each event type it takes in."""


class ClaimsProjection:
    """Claims by place and claimed date, with every piece of evidence (and when it was
    confirmed, when it was withdrawn), every contestation and every retraction, and each
    claim's current JSON document. The outlet and date of each article that gives evidence
    are kept here too (`claim_sources`): documents are rendered from this projection's
    tables alone, so they never depend on how far another projection has got."""

    name = "claims"
    topics = frozenset(kind.__name__ for kind in _CLAIM_ROWS)
    tables: tuple[str, ...] = (
        "claim_documents",
        "claim_sources",
        "claim_retractions",
        "claim_contestations",
        "claim_evidence",
        "claims",
    )
    settled: tuple[str, ...] = ("claim_documents",)

    def changes(self, events: Sequence[RecordedEvent]) -> Changes:
        """Claims, evidence, contestations and retractions, in that order of dependency,
        then the marking of the evidence each retraction withdrew and each review confirmed,
        then the documents of every claim the events touched. Each event type has its
        handler (`_CLAIM_ROWS`). The markings hold whatever order they run in: each names
        the evidence standing at its own position."""
        rows = _ClaimRows()
        for recorded in events:
            event = recorded.decode()
            _CLAIM_ROWS[type(event)](rows, event, recorded)
        return Changes(
            inserts=[
                (
                    "claim_sources",
                    "article_id, outlet, published_on, url, title, astral",
                    rows.sources,
                ),
                (
                    "claims",
                    "id, place_id, claimant_side, actor_side, kind, extent, claimed_on,"
                    " window_start, window_end, recorded_by, confidence, position, recorded_at",
                    rows.claims,
                ),
                (
                    "claim_evidence",
                    "claim_id, seq, article_id, claimant, quote, start_offset, end_offset,"
                    " recorded_by, confidence, position, recorded_at, reviewed_at,"
                    " reviewed_position",
                    rows.evidence,
                ),
                (
                    "claim_contestations",
                    "claim_id, seq, by_name, by_side, contested_on, window_start, window_end,"
                    " article_id, quote, start_offset, end_offset, note, recorded_by, position,"
                    " recorded_at",
                    rows.contestations,
                ),
                (
                    "claim_retractions",
                    "claim_id, seq, article_id, reason, by_name, recorded_by, position,"
                    " recorded_at",
                    rows.retractions,
                ),
            ],
            statements=[
                (
                    "UPDATE claim_evidence SET retracted_at = %(at)s,"
                    " retracted_position = %(pos)s WHERE claim_id = %(claim)s"
                    " AND retracted_at IS NULL AND position < %(pos)s"
                    " AND (%(article)s::uuid IS NULL OR article_id = %(article)s::uuid)",
                    [
                        {"claim": r[0], "article": r[2], "pos": r[6], "at": r[7]}
                        for r in rows.retractions
                    ],
                ),
                (
                    "UPDATE claim_evidence SET reviewed_at = %(at)s,"
                    " reviewed_position = %(pos)s, reviewed_by = %(by)s"
                    " WHERE claim_id = %(claim)s AND article_id = %(article)s"
                    " AND reviewed_at IS NULL AND position < %(pos)s"
                    " AND (retracted_position IS NULL OR retracted_position > %(pos)s)",
                    rows.reviews,
                ),
            ],
            documents=list(rows.touched),
        )

    def settle(self, cur: Cursor[Any]) -> None:
        """Render every claim's document, once all events are written."""
        cur.execute(STORE_ALL)


def all_projections() -> list[Projection]:
    """Every read model the service answers from."""
    return [ArticlesProjection(), ClaimsProjection()]


def _window(window: DateWindow | None) -> tuple[Any, Any]:
    return (window.start, window.end) if window else (None, None)


def _quote(evidence: Evidence | None) -> tuple[Any, ...]:
    if evidence is None:
        return (None, None, None, None)
    return (evidence.article_id, evidence.quote, evidence.start, evidence.end)


def _evidence_row(
    event: ClaimRecorded | ClaimCorroborated, recorded: RecordedEvent
) -> tuple[Any, ...]:
    found = event.evidence
    # What an analyst recorded needs no review: it is confirmed as it is recorded.
    by_analyst = event.recorded_by == ANALYST
    return (
        event.claim_id,
        recorded.version,
        found.article_id,
        found.claimant,
        found.quote,
        found.start,
        found.end,
        event.recorded_by,
        event.confidence,
        recorded.position,
        recorded.recorded_at,
        recorded.recorded_at if by_analyst else None,
        recorded.position if by_analyst else None,
    )
