import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import msgspec
import psycopg

from domain.claim import Claim
from infra.database import psycopg_conninfo
from infra.eventstore import EventStore
from service.bootstrap import Services
from service.http.schemas import ArticleIn
from service.ledger import Ledger, Submission
from service.submissions import to_submission
from tests.helpers import article


def test_the_same_articles_sent_at_once_are_recorded_once(clean_database: str) -> None:
    services = Services.build(clean_database)
    submissions = _submissions(services, [f"https://example.test/c/{i % 4}" for i in range(24)])
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(lambda s: services.ledger.ingest([s])[0], submissions))
    finally:
        services.close()
    assert sum(o.created for o in outcomes) == 4
    # Four articles; two claims each, shared across articles: 2 recorded, 6 corroborations.
    assert _counts(clean_database) == {
        "ArticleIngested": 4,
        "ClaimRecorded": 2,
        "ClaimCorroborated": 6,
        "ClaimContested": 4,
    }


class _Paced(EventStore):
    """A store whose first append waits until a write has read ahead (loaded with nothing
    known), and which counts the loads and appends."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.appending = threading.Event()
        self.read_ahead = threading.Event()
        self.read_aheads = 0
        self.appends = 0

    def load(
        self, aggregate_ids: Sequence[UUID], known: Mapping[UUID, Sequence[Any]] | None = None
    ) -> dict[UUID, list[Any]]:
        found = super().load(aggregate_ids, known)
        if known is None:
            self.read_aheads += 1
            self.read_ahead.set()
        return found

    def append(self, events: Any) -> list[int]:
        self.appends += 1
        if self.appends == 1:
            self.appending.set()
            self.read_ahead.wait(timeout=10)
        return super().append(events)


def test_a_write_that_waits_for_its_turn_reads_ahead_and_then_what_was_appended_meanwhile(
    clean_database: str,
) -> None:
    services = Services.build(clean_database)
    urls = ["https://example.test/zero", "https://example.test/one", "https://example.test/two"]
    zeroth, first, second = _submissions(services, urls)
    services.ledger.ingest([zeroth])
    store = _Paced(clean_database)
    ledger = Ledger(store)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            earlier = pool.submit(ledger.ingest, [first])
            assert store.appending.wait(timeout=10)
            # The first write holds the turn at both claims until it has appended, which it
            # does once this one has read ahead.
            (outcome,) = ledger.ingest([second])
            assert earlier.result()[0].created
    finally:
        store.close()
        services.close()
    # This write read the claims before its turn, before the first write corroborated them;
    # in its turn it took in that evidence too, and appended at its first try.
    assert outcome.created and store.read_aheads == 1 and store.appends == 2
    assert _counts(clean_database) == {
        "ArticleIngested": 3,
        "ClaimRecorded": 2,
        "ClaimCorroborated": 4,
        "ClaimContested": 3,
    }


def test_a_write_that_need_not_wait_reads_once(clean_database: str) -> None:
    services = Services.build(clean_database)
    store = _Paced(clean_database)
    store.read_ahead.set()
    (submission,) = _submissions(services, ["https://example.test/alone"])
    try:
        (outcome,) = Ledger(store).ingest([submission])
    finally:
        store.close()
        services.close()
    assert outcome.created and store.read_aheads == 0 and store.appends == 1


class _Counting(EventStore):
    """A store that keeps the ids of every aggregate whose events it was asked for."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.loaded: list[UUID] = []

    def load(
        self, aggregate_ids: Sequence[UUID], known: Mapping[UUID, Sequence[Any]] | None = None
    ) -> dict[UUID, list[Any]]:
        self.loaded.extend(aggregate_ids)
        return super().load(aggregate_ids, known)


def test_a_new_article_adds_to_stored_claims_knowing_only_their_versions(
    clean_database: str,
) -> None:
    services = Services.build(clean_database)
    first, second = _submissions(services, ["https://example.test/a", "https://example.test/b"])
    services.ledger.ingest([first])
    store = _Counting(clean_database)
    try:
        (outcome,) = Ledger(store).ingest([second])
        (again,) = Ledger(store).ingest([second])
        loaded = list(store.loaded)
        russian, ukrainian = outcome.claim_ids
        claim = Claim.replay(russian, store.load([russian])[russian])
        versions = store.versions(outcome.claim_ids)
    finally:
        store.close()
        services.close()
    assert outcome.created and not again.created and loaded == []
    # Recorded and contested by the first article, corroborated and contested by this one.
    assert versions == {russian: 4, ukrainian: 2}
    assert claim.articles() == {first.article.id, second.article.id}
    assert len(claim.contestations) == 2


def _submissions(services: Services, urls: list[str]) -> list[Submission]:
    return [
        to_submission(msgspec.convert(article(url=u), ArticleIn), services.gazetteer) for u in urls
    ]


def _counts(database_url: str) -> dict[str, int]:
    """How many events of each type the store holds."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        rows = conn.execute("SELECT topic, count(*) FROM stored_events GROUP BY topic").fetchall()
    return dict(rows)
