"""Projections: read models built from the event feed, each batch written in one transaction
together with the projection's tracking position, so no event is lost or applied twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from psycopg import Cursor

from domain.events import (
    ArticleIngested,
    ClaimContested,
    ClaimCorroborated,
    ClaimRecorded,
    ClaimRetracted,
    DateWindow,
    Evidence,
)
from infra.eventstore import RecordedEvent


class Projection(Protocol):
    """A read model fed by events of some topics."""

    name: str
    topics: frozenset[str]
    tables: tuple[str, ...]

    def apply(self, cur: Cursor[Any], events: Sequence[RecordedEvent]) -> None:
        """Write the effect of these events (all of this projection's topics) to the model."""


class ArticlesProjection:
    """One row per ingested article."""

    name = "articles"
    topics = frozenset({"ArticleIngested"})
    tables: tuple[str, ...] = ("articles",)

    def apply(self, cur: Cursor[Any], events: Sequence[RecordedEvent]) -> None:
        """Insert the ingested articles."""
        rows = []
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
        cur.executemany(
            "INSERT INTO articles (id, url, outlet, language, published_on, title, body,"
            " body_sha256, position, recorded_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            rows,
        )


class ClaimsProjection:
    """Claims by place and claimed date, with every piece of evidence (and when it was
    withdrawn), every contestation and every retraction."""

    name = "claims"
    topics = frozenset({"ClaimRecorded", "ClaimCorroborated", "ClaimContested", "ClaimRetracted"})
    tables: tuple[str, ...] = (
        "claim_retractions",
        "claim_contestations",
        "claim_evidence",
        "claims",
    )

    def apply(self, cur: Cursor[Any], events: Sequence[RecordedEvent]) -> None:
        """Insert claims, evidence, contestations and retractions, in that order of
        dependency, then mark the evidence each retraction withdrew."""
        claims: list[tuple[Any, ...]] = []
        evidence: list[tuple[Any, ...]] = []
        contestations: list[tuple[Any, ...]] = []
        retractions: list[tuple[Any, ...]] = []
        for recorded in events:
            event = recorded.decode()
            stamp = (recorded.position, recorded.recorded_at)
            if isinstance(event, ClaimRecorded):
                claims.append(
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
                        *stamp,
                    )
                )
                evidence.append(_evidence_row(event, recorded.version, stamp))
            elif isinstance(event, ClaimCorroborated):
                evidence.append(_evidence_row(event, recorded.version, stamp))
            elif isinstance(event, ClaimContested):
                contestations.append(
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
                        *stamp,
                    )
                )
            elif isinstance(event, ClaimRetracted):
                retractions.append(
                    (
                        event.claim_id,
                        recorded.version,
                        event.article_id,
                        event.reason,
                        event.by,
                        event.recorded_by,
                        *stamp,
                    )
                )
        _insert(
            cur,
            "claims",
            "id, place_id, claimant_side, actor_side, kind, extent,"
            " claimed_on, window_start, window_end, recorded_by, confidence, position,"
            " recorded_at",
            claims,
        )
        _insert(
            cur,
            "claim_evidence",
            "claim_id, seq, article_id, claimant, quote,"
            " start_offset, end_offset, recorded_by, confidence, position, recorded_at",
            evidence,
        )
        _insert(
            cur,
            "claim_contestations",
            "claim_id, seq, by_name, by_side, contested_on,"
            " window_start, window_end, article_id, quote, start_offset, end_offset,"
            " note, recorded_by, position, recorded_at",
            contestations,
        )
        _insert(
            cur,
            "claim_retractions",
            "claim_id, seq, article_id, reason, by_name, recorded_by, position, recorded_at",
            retractions,
        )
        if retractions:
            cur.executemany(
                "UPDATE claim_evidence SET retracted_at = %(at)s, retracted_position = %(pos)s"
                " WHERE claim_id = %(claim)s AND retracted_at IS NULL AND position < %(pos)s"
                " AND (%(article)s::uuid IS NULL OR article_id = %(article)s::uuid)",
                [{"claim": r[0], "article": r[2], "pos": r[6], "at": r[7]} for r in retractions],
            )


def all_projections() -> list[Projection]:
    """Every read model the service answers from."""
    return [ArticlesProjection(), ClaimsProjection()]


def _insert(cur: Cursor[Any], table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _window(window: DateWindow | None) -> tuple[Any, Any]:
    return (window.start, window.end) if window else (None, None)


def _quote(evidence: Evidence | None) -> tuple[Any, ...]:
    if evidence is None:
        return (None, None, None, None)
    return (evidence.article_id, evidence.quote, evidence.start, evidence.end)


def _evidence_row(
    event: ClaimRecorded | ClaimCorroborated, seq: int, stamp: tuple[Any, Any]
) -> tuple[Any, ...]:
    found = event.evidence
    return (
        event.claim_id,
        seq,
        found.article_id,
        found.claimant,
        found.quote,
        found.start,
        found.end,
        event.recorded_by,
        event.confidence,
        *stamp,
    )
