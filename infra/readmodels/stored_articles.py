"""The read models a re-reading of stored articles needs: the articles, and which claims an
extractor or an analyst drew from each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from domain.claim import ANALYST
from infra.postgres.database import psycopg_conninfo


@dataclass(frozen=True)
class StoredArticle:
    """An article as the read model holds it, with the claims its standing evidence backs."""

    id: UUID
    body: str
    published_on: date | None
    language: str
    extracted: tuple[UUID, ...] = field(default=())
    annotated: bool = False


def article_batches(
    database_url: str,
    batch_size: int,
    only: Sequence[UUID] | None = None,
) -> Iterator[list[StoredArticle]]:
    """Stored articles in record order, in batches, each with the claims that evidence
    recorded by a reader (the rules or a model, any version) still backs and whether an
    analyst annotated it."""
    with psycopg.connect(psycopg_conninfo(database_url), row_factory=dict_row) as conn:
        after = -1
        while True:
            rows = conn.execute(
                "SELECT id, body, published_on, language, position FROM articles"
                " WHERE position > %s AND (%s::uuid[] IS NULL OR id = ANY(%s::uuid[]))"
                " ORDER BY position LIMIT %s",
                (after, only, only, batch_size),
            ).fetchall()
            if not rows:
                return
            after = rows[-1]["position"]
            yield _with_claims(conn, rows)


def _with_claims(conn: psycopg.Connection[Any], rows: list[dict[str, Any]]) -> list[StoredArticle]:
    evidence = conn.execute(
        "SELECT article_id, claim_id, recorded_by FROM claim_evidence"
        " WHERE article_id = ANY(%s) AND retracted_at IS NULL",
        ([r["id"] for r in rows],),
    ).fetchall()
    extracted: dict[UUID, list[UUID]] = {}
    annotated: set[UUID] = set()
    for e in evidence:
        if e["recorded_by"] == ANALYST:
            annotated.add(e["article_id"])
        else:
            extracted.setdefault(e["article_id"], []).append(e["claim_id"])
    return [
        StoredArticle(
            r["id"],
            r["body"],
            r["published_on"],
            r["language"],
            tuple(dict.fromkeys(extracted.get(r["id"], []))),
            r["id"] in annotated,
        )
        for r in rows
    ]


def article_count(database_url: str) -> int:
    """How many articles the read model holds."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        row = conn.execute("SELECT count(*) FROM articles").fetchone()
    return int(row[0]) if row else 0
