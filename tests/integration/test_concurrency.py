import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import msgspec
import psycopg
import pytest

from domain.claim import Claim
from infra.eventstore.store import EventStore
from infra.postgres.database import psycopg_conninfo
from service.app.ledger import Ledger, Submission
from service.app.schemas import ArticleIn
from service.app.services import Services
from service.app.submissions import to_submission
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


class _Held(EventStore):
    """A store whose first append waits until another write has been started and has had
    time to reach its turn, and which counts the appends."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.other_started = threading.Event()
        self.appends = 0

    def append(self, events: Any) -> list[int]:
        self.appends += 1
        if self.appends == 1:
            self.other_started.wait(timeout=10)
            time.sleep(0.2)  # the other write meanwhile reaches its turn and waits there
        return super().append(events)


@pytest.mark.parametrize("held_before", [True, False], ids=["claims held", "claims new"])
def test_a_write_prepared_while_another_appends_to_its_claims_is_rebased_onto_it(
    clean_database: str, held_before: bool
) -> None:
    services = Services.build(clean_database)
    urls = ["https://example.test/zero", "https://example.test/one", "https://example.test/two"]
    zeroth, first, second = _submissions(services, urls)
    if held_before:
        services.ledger.ingest([zeroth])
    store = _Held(clean_database)
    ledger = Ledger(store)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            earlier = pool.submit(ledger.ingest, [first])
            store.other_started.set()
            # Made on the claims' versions before the first write's append: 2 events each
            # held before (recorded, contested) or none.
            (outcome,) = ledger.ingest([second])
            assert earlier.result()[0].created
    finally:
        store.close()
        services.close()
    articles = 3 if held_before else 2
    assert outcome.created and outcome.events == 4 and store.appends == 2
    assert _counts(clean_database) == {
        "ArticleIngested": articles,
        "ClaimRecorded": 2,
        "ClaimCorroborated": 2 * articles - 2,
        "ClaimContested": articles,
    }
    with psycopg.connect(psycopg_conninfo(clean_database)) as conn:
        spans = conn.execute(
            "SELECT count(*), min(originator_version), max(originator_version)"
            " FROM stored_events GROUP BY originator_id"
        ).fetchall()
    assert all(low == 1 and high == count for count, low, high in spans)


class _Overtaken(EventStore):
    """A store whose first append lets another process's write go first (`overtake`), and
    which counts the appends."""

    def __init__(self, url: str, overtake: Callable[[], object]) -> None:
        super().__init__(url)
        self.overtake = overtake
        self.appends = 0

    def append(self, events: Any) -> list[int]:
        self.appends += 1
        if self.appends == 1:
            self.overtake()
        return super().append(events)


def test_a_write_overtaken_by_another_process_is_rebased_onto_the_stored_versions(
    clean_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = Services.build(clean_database)
    urls = ["https://example.test/zero", "https://example.test/one", "https://example.test/two"]
    zeroth, first, second = _submissions(services, urls)
    services.ledger.ingest([zeroth])
    # Two ledgers on their own stores: two processes, each with its own journal.
    other = Ledger(EventStore(clean_database))
    store = _Overtaken(clean_database, lambda: other.ingest([first]))
    ledger = Ledger(store)
    made: list[Submission] = []
    ingest_one = ledger._ingest_one

    def counted(unit: Any, submission: Submission) -> Any:
        made.append(submission)
        return ingest_one(unit, submission)

    monkeypatch.setattr(ledger, "_ingest_one", counted)
    try:
        (outcome,) = ledger.ingest([second])
    finally:
        store.close()
        other.store.close()
        services.close()
    # The store refused the first append (the other write took its claims' versions);
    # the second went in, rebased, without the article being made again.
    assert outcome.created and outcome.events == 4
    assert store.appends == 2 and made == [second]
    assert _counts(clean_database) == {
        "ArticleIngested": 3,
        "ClaimRecorded": 2,
        "ClaimCorroborated": 4,
        "ClaimContested": 3,
    }
    with psycopg.connect(psycopg_conninfo(clean_database)) as conn:
        spans = conn.execute(
            "SELECT count(*), min(originator_version), max(originator_version)"
            " FROM stored_events GROUP BY originator_id"
        ).fetchall()
    assert all(low == 1 and high == count for count, low, high in spans)


class _Counting(EventStore):
    """A store that keeps the ids of every aggregate whose events it was asked for."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.loaded: list[UUID] = []

    def load(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
        self.loaded.extend(aggregate_ids)
        return super().load(aggregate_ids)


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
