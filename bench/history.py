"""Generated ledger histories for the benchmarks, written straight into a scratch database.

Events come from the domain's own aggregates (articles ingested; claims recorded,
corroborated and contested), encoded by the store's codec and loaded with COPY, so a large
history takes seconds rather than the hours a request at a time would.
"""

from __future__ import annotations

import os
import random
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from domain.article import Article, ArticleDraft
from domain.claim import Claim, Contestation, Proposition
from domain.events import Evidence
from domain.vocabulary import ClaimKind, PlaceKind, Side
from infra import codec
from infra.database import psycopg_conninfo, with_database
from infra.gazetteer import default_gazetteer
from infra.migrate import upgrade

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
_CLAIMANTS = {Side.RUSSIA: "Russian Ministry of Defence", Side.UKRAINE: "General Staff"}


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new, migrated database on DATABASE_URL's server, the local one, or an embedded one;
    dropped afterwards."""
    server = os.environ.get("DATABASE_URL") or LOCAL_SERVER
    embedded = None
    try:
        psycopg.connect(psycopg_conninfo(server), connect_timeout=3).close()
    except psycopg.OperationalError:
        from infra.embedded import EmbeddedPostgres

        embedded = EmbeddedPostgres(Path(tempfile.mkdtemp()) / "pgdata")
        server = embedded.start()
    name = f"claimledger_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(psycopg_conninfo(server), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_database(server, name)
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(psycopg_conninfo(server), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if embedded is not None:
            embedded.stop()


def generate(url: str, articles: int, claims_per_article: int = 3, seed: int = 7) -> int:
    """Write a history of `articles` articles, each carrying claims about places drawn from
    the gazetteer (a share of them already recorded, so corroborated) and now and then a
    contestation; return how many events were written."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
    places = [p.id for p in default_gazetteer().places() if p.kind is PlaceKind.POPULATED_PLACE]
    places = rng.sample(places, min(len(places), 2_000))
    claims: dict[Any, Claim] = {}
    written = 0
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        rows: list[tuple[Any, ...]] = []
        for number in range(articles):
            rows.extend(_article(rng, number, places, claims, claims_per_article))
            if len(rows) >= 20_000:
                written += _copy(conn, rows)
                rows = []
        written += _copy(conn, rows)
    return written


def _article(
    rng: random.Random,
    number: int,
    places: list[str],
    claims: dict[Any, Claim],
    claims_per_article: int,
) -> list[tuple[Any, ...]]:
    published = date(2022, 2, 24) + timedelta(days=rng.randrange(1_400))
    body = f"Article {number}. " + " ".join(
        f"Forces said they hold place {rng.randrange(10**6)}." for _ in range(claims_per_article)
    )
    article = Article.ingest(
        ArticleDraft(f"https://bench.test/{number}", "bench", "en", published, None, body)
    )
    touched: list[Any] = [article]
    for index in range(claims_per_article):
        side = rng.choice((Side.RUSSIA, Side.UKRAINE))
        proposition = Proposition(
            place_id=rng.choice(places),
            claimant_side=side,
            actor_side=side,
            kind=rng.choice((ClaimKind.CONTROL, ClaimKind.ADVANCE, ClaimKind.REPELLED)),
            extent=None,
            claimed_on=published - timedelta(days=rng.randrange(3)),
        )
        evidence = Evidence(_CLAIMANTS[side], article.id, f"place {index}", 0, 9)
        claim = claims.get(proposition.claim_id)
        if claim is None:
            claim = claims[proposition.claim_id] = Claim.record(proposition, evidence, "bench")
        else:
            claim.corroborate(evidence, "bench")
        if rng.random() < 0.2:
            other = side.opponent() or Side.UKRAINE
            claim.contest(
                Contestation(_CLAIMANTS[other], other, published, None, None, "denied"), "bench"
            )
        touched.append(claim)
    return [
        (aggregate.id, version, codec.topic_of(event), codec.encode(event))
        for aggregate in dict.fromkeys(touched)
        for version, event in aggregate.collect_events()
    ]


def _copy(conn: psycopg.Connection[Any], rows: list[tuple[Any, ...]]) -> int:
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY stored_events (originator_id, originator_version, topic, state) FROM STDIN"
        ) as stream,
    ):
        for row in rows:
            stream.write_row(row)
    conn.commit()
    return len(rows)
