"""Generated ledger histories for the benchmarks, written straight into a scratch database.

Events come from the domain's own aggregates (articles ingested; claims recorded,
corroborated and contested), for the articles tests.synthetic.chronicle specifies, encoded by the
store's codec and loaded with COPY, so a large history takes a minute rather than the hours
a request at a time would.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.article import Article, ArticleDraft
from domain.claim import ANALYST, Claim, Contestation
from domain.events import Evidence
from infra.eventstore import codec
from infra.postgres.database import psycopg_conninfo, with_database
from infra.postgres.migrate import upgrade
from infra.reference.gazetteer import default_gazetteer
from tests.synthetic.chronicle import ArticleSpec, Chronicle

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
_COPY_ROWS = 20_000

Row = tuple[UUID, int, str, bytes]


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new, migrated database on DATABASE_URL's server, the local one, or an embedded one;
    dropped afterwards."""
    server = os.environ.get("DATABASE_URL") or LOCAL_SERVER
    embedded = None
    try:
        psycopg.connect(psycopg_conninfo(server), connect_timeout=3).close()
    except psycopg.OperationalError:
        from infra.postgres.embedded import EmbeddedPostgres

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


class HistoryWriter:
    """Writes a chronicle's articles into a database as events, keeping the claims later
    articles may still repeat, so that a history can be grown in steps."""

    def __init__(self, url: str, chronicle: Chronicle) -> None:
        self.url = url
        self.chronicle = chronicle
        self.events = 0
        self._live: dict[UUID, Claim] = {}

    def probes(self, claims: int, on_claims: Callable[[int], None] | None = None) -> int:
        """Write articles about the probe places until they hold `claims` claims."""
        target = self.chronicle.claims + claims
        return self._write("probe", lambda _: self.chronicle.claims < target, on_claims)

    def grow_to(self, claims: int, on_claims: Callable[[int], None] | None = None) -> int:
        """Write articles about the other places until the history holds `claims` claims;
        return how many events were written."""
        return self._write("history", lambda _: self.chronicle.claims < claims, on_claims)

    def articles(self, count: int) -> int:
        """Write `count` articles about the other places; return how many events."""
        return self._write("history", lambda written: written < count, None)

    def _write(
        self,
        section: str,
        more: Callable[[int], bool],
        on_claims: Callable[[int], None] | None,
    ) -> int:
        pool = self.chronicle.probe if section == "probe" else self.chronicle.background
        specs = self.chronicle.articles(pool, section)
        articles = 0
        rows: list[Row] = []
        with _Loader(self.url) as loader:
            while more(articles):
                spec = next(specs)
                articles += 1
                rows.extend(self._events(spec))
                if on_claims:
                    on_claims(spec.new_claims)
                if len(rows) >= _COPY_ROWS:
                    loader.put(rows)
                    rows = []
            loader.put(rows)
        self.events += loader.written
        return loader.written

    def _events(self, spec: ArticleSpec) -> list[Row]:
        """The events an analyst's ingest of the article appends, as the ledger makes them."""
        article = Article.ingest(
            ArticleDraft(spec.url, spec.outlet, "en", spec.published_on, spec.title, spec.body)
        )
        touched: dict[UUID, Any] = {article.id: article}
        for mention in spec.mentions:
            evidence = _evidence(spec.body, mention.claimant, article.id, mention.quote)
            claim = self._live.get(mention.claim_id)
            if claim is None:
                claim = Claim.record(mention.proposition, evidence, ANALYST)
                self._live[claim.id] = claim
            else:
                claim.corroborate(evidence, ANALYST)
            touched[claim.id] = claim
        for rejection in spec.rejections:
            claim = self._live[spec.mentions[rejection.target].claim_id]
            evidence = _evidence(spec.body, rejection.by, article.id, rejection.quote)
            claim.contest(
                Contestation(
                    rejection.by, rejection.by_side, rejection.contested_on, None, evidence, None
                ),
                ANALYST,
            )
        for claim_id in spec.retired:
            self._live.pop(claim_id, None)
        return [
            (aggregate.id, version, codec.topic_of(event), codec.encode(event))
            for aggregate in touched.values()
            for version, event in aggregate.collect_events()
        ]


class _Loader:
    """COPYs batches of rows on a thread of its own, so that the database takes one batch
    in while the next is generated."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.written = 0
        self._queue: queue.Queue[list[Row] | None] = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._run, name="history-copy")
        self._failure: BaseException | None = None

    def __enter__(self) -> _Loader:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._failure is not None:
            raise self._failure

    def put(self, rows: list[Row]) -> None:
        """Hand a batch over (waiting while two are queued)."""
        if self._failure is not None:
            raise self._failure
        self._queue.put(rows)

    def _run(self) -> None:
        try:
            with psycopg.connect(psycopg_conninfo(self.url)) as conn:
                while (rows := self._queue.get()) is not None:
                    self.written += copy_events(conn, rows)
        except BaseException as error:  # noqa: BLE001 - re-raised in the generating thread
            self._failure = error
            while self._queue.get() is not None:
                pass


def _evidence(body: str, claimant: str, article_id: UUID, quote: str) -> Evidence:
    start = body.find(quote)
    return Evidence(claimant, article_id, quote, start, start + len(quote))


def copy_events(
    conn: psycopg.Connection[Any], rows: list[Row], table: str = "stored_events"
) -> int:
    """COPY (aggregate id, version, topic, state) rows into an events table and commit."""
    with (
        conn.cursor() as cur,
        cur.copy(
            sql.SQL("COPY {} (originator_id, originator_version, topic, state) FROM STDIN").format(
                sql.Identifier(table)
            )
        ) as stream,
    ):
        for row in rows:
            stream.write_row(row)
    conn.commit()
    return len(rows)


def generate(url: str, articles: int, seed: int = 7) -> int:
    """Write `articles` articles about the gazetteer's populated places; return how many
    events were written."""
    return HistoryWriter(url, Chronicle(default_gazetteer(), seed)).articles(articles)
