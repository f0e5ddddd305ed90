import itertools
from datetime import date
from uuid import uuid4

import pytest

from domain.article import Article, ArticleDraft
from infra.eventstore import ConcurrentWrite, EventStore


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
