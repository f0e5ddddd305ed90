import itertools
import threading
import time
from datetime import date
from uuid import uuid4

import psycopg
import pytest

from domain.article import Article, ArticleDraft
from infra.eventstore.recorder import WriteTimeouts
from infra.eventstore.store import ConcurrentWrite, EventStore, StoreBusy
from infra.postgres.database import psycopg_conninfo


def draft(body: str) -> ArticleDraft:
    return ArticleDraft(None, "test outlet", "en", date(2025, 1, 2), None, body)


@pytest.fixture
def store(clean_database: str):  # type: ignore[no-untyped-def]
    store = EventStore(clean_database)
    yield store
    store.close()


def test_appended_events_load_back_equal(store: EventStore) -> None:
    article = Article.ingest(draft("Body one."))
    events = article.collect_events()
    positions = store.append([(article.id, v, e) for v, e in events])
    assert len(positions) == 1
    assert store.load([article.id, uuid4()]) == {article.id: [events[0][1]]}


def test_versions_are_each_aggregates_latest_without_reading_events(store: EventStore) -> None:
    article = Article.ingest(draft("Body one."))
    store.append([(article.id, v, e) for v, e in article.collect_events()])
    events = [(article.id, 2, article.ingested), (article.id, 3, article.ingested)]
    store.append(events)
    single = Article.ingest(draft("Body two."))
    store.append([(single.id, v, e) for v, e in single.collect_events()])
    absent = uuid4()
    assert store.versions([article.id, absent, single.id, article.id]) == {
        article.id: 3,
        single.id: 1,
    }
    assert store.versions([]) == {}


def test_second_writer_of_the_same_version_is_refused_and_nothing_is_written(
    store: EventStore,
) -> None:
    first, second = Article.ingest(draft("Body A.")), Article.ingest(draft("Body B."))
    store.append([(first.id, v, e) for v, e in first.collect_events()])
    with pytest.raises(ConcurrentWrite):
        store.append([(second.id, 1, second.ingested), (first.id, 1, first.ingested)])
    assert second.id not in store.load([second.id])
    assert store.last_position() == 1


def test_feed_is_in_order_with_record_times_that_never_go_back(store: EventStore) -> None:
    for n in range(5):
        article = Article.ingest(draft(f"Body {n}."))
        store.append([(article.id, v, e) for v, e in article.collect_events()])
    feed = store.read(after=0, limit=10)
    assert [e.position for e in feed] == sorted(e.position for e in feed)
    assert all(a.recorded_at <= b.recorded_at for a, b in itertools.pairwise(feed))
    assert [e.position for e in store.read(after=feed[1].position, limit=2)] == [
        feed[2].position,
        feed[3].position,
    ]
    assert feed[0].decode().body == "Body 0."


def events_of(*articles: Article) -> list[tuple[object, int, object]]:
    return [(a.id, v, e) for a in articles for v, e in a.collect_events()]


def test_a_24_megabyte_append_completes_and_a_writer_beside_it_gets_its_turn(
    store: EventStore,
) -> None:
    # 24 bodies of 1 MB: well past the 10-20 MB at which a pipelined insert never completes.
    large = [Article.ingest(draft(f"{n} " + "x" * 1_000_000)) for n in range(24)]
    small = Article.ingest(draft("Beside the large write."))
    outcomes: dict[str, object] = {}

    def append(name: str, events: list[tuple[object, int, object]]) -> None:
        try:
            outcomes[name] = store.append(events)  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001 - the assertion below names it
            outcomes[name] = error

    writers = [
        threading.Thread(target=append, args=("large", events_of(*large)), daemon=True),
        threading.Thread(target=append, args=("small", events_of(small)), daemon=True),
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert not any(w.is_alive() for w in writers), "an append did not complete in 60 s"
    assert isinstance(outcomes["large"], list) and len(outcomes["large"]) == 24, outcomes
    assert isinstance(outcomes["small"], list) and len(outcomes["small"]) == 1, outcomes
    loaded = store.load([large[11].id])[large[11].id]
    assert len(loaded[0].body) == len("11 ") + 1_000_000


def test_a_write_that_cannot_get_its_turn_in_time_is_busy_and_writes_nothing(
    clean_database: str,
) -> None:
    store = EventStore(clean_database, timeouts=WriteTimeouts(lock_wait=0.3, statement=5))
    events = events_of(Article.ingest(draft("Waiting for the lock.")))
    try:
        with psycopg.connect(psycopg_conninfo(clean_database)) as holder:
            holder.execute("LOCK TABLE stored_events IN EXCLUSIVE MODE")
            started = time.monotonic()
            with pytest.raises(StoreBusy, match=r"waited over 0.3 s for its turn"):
                store.append(events)  # type: ignore[arg-type]
            assert time.monotonic() - started < 3
        assert store.last_position() == 0
        # With the lock released the same write goes through: the pool is still sound.
        assert len(store.append(events)) == 1  # type: ignore[arg-type]
    finally:
        store.close()


def test_a_write_statement_that_runs_too_long_is_busy(clean_database: str) -> None:
    store = EventStore(clean_database, timeouts=WriteTimeouts(lock_wait=5, statement=0.3))
    article = Article.ingest(draft("A slow insert."))
    try:
        with psycopg.connect(psycopg_conninfo(clean_database), autocommit=True) as other:
            # A row lock on a row the insert must check for uniqueness holds the insert,
            # not the table lock: only the statement timeout can end the wait.
            other.execute("BEGIN")
            other.execute(
                "INSERT INTO stored_events (originator_id, originator_version, topic, state)"
                " VALUES (%s, 1, 'x', '')",
                (article.id,),
            )
            with pytest.raises(StoreBusy, match=r"statement ran over 0.3 s"):
                store.append(events_of(article))  # type: ignore[arg-type]
            other.execute("ROLLBACK")
        assert store.last_position() == 0
    finally:
        store.close()
