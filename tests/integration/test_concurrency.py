from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import msgspec
import psycopg

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


class _Interleaved(EventStore):
    """A store on which another writer appends right after the first load of a write, and
    which counts the appends tried."""

    def __init__(self, url: str, meanwhile: Callable[[], object]) -> None:
        super().__init__(url)
        self.meanwhile: Callable[[], object] | None = meanwhile
        self.appends = 0

    def load(
        self, aggregate_ids: Sequence[UUID], known: Mapping[UUID, Sequence[Any]] | None = None
    ) -> dict[UUID, list[Any]]:
        found = super().load(aggregate_ids, known)
        if known is None and self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            meanwhile()
        return found

    def append(self, events: Any) -> list[int]:
        self.appends += 1
        return super().append(events)


def test_a_write_reads_what_another_writer_appended_after_its_first_load(
    clean_database: str,
) -> None:
    services = Services.build(clean_database)
    first, second = _submissions(services, ["https://example.test/one", "https://example.test/two"])
    store = _Interleaved(clean_database, lambda: services.ledger.ingest([first]))
    try:
        (outcome,) = Ledger(store).ingest([second])
    finally:
        store.close()
        services.close()
    # The other writer recorded both claims between the load and the write's turn; the
    # write found them and corroborated them, at the first try.
    assert outcome.created and store.appends == 1
    assert _counts(clean_database) == {
        "ArticleIngested": 2,
        "ClaimRecorded": 2,
        "ClaimCorroborated": 2,
        "ClaimContested": 2,
    }


def _submissions(services: Services, urls: list[str]) -> list[Submission]:
    return [
        to_submission(msgspec.convert(article(url=u), ArticleIn), services.gazetteer) for u in urls
    ]


def _counts(database_url: str) -> dict[str, int]:
    """How many events of each type the store holds."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        rows = conn.execute("SELECT topic, count(*) FROM stored_events GROUP BY topic").fetchall()
    return dict(rows)
