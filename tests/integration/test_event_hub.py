"""The live feed over the process's one follower of the store (`EventHub`), in process on a
real database: a subscriber that read ahead of the hub from the database neither repeats
nor skips an event when the hub catches up."""

from __future__ import annotations

import asyncio
from datetime import date

from psycopg.rows import dict_row

from domain.article import Article, ArticleDraft
from infra.eventstore.store import EventStore
from infra.postgres.database import psycopg_conninfo
from infra.postgres.pools import ReadPool
from infra.reference.gazetteer import default_gazetteer
from service.app.reads import Readings


def append_articles(store: EventStore, *bodies: str) -> None:
    for body in bodies:
        article = Article.ingest(ArticleDraft(None, "outlet", "en", date(2025, 1, 2), None, body))
        store.append([(article.id, v, e) for v, e in article.collect_events()])


def test_a_subscriber_ahead_of_the_hub_gets_each_event_once(clean_database: str) -> None:
    store = EventStore(clean_database)
    append_articles(store, "one", "two", "three")

    async def scenario() -> list[int]:
        conninfo = psycopg_conninfo(clean_database)
        pool = ReadPool(conninfo, max_size=4, row_factory=dict_row)
        await pool.open(wait=True)
        readings = Readings(pool, default_gazetteer(), conninfo)
        hub = readings.hub
        try:
            hub.start()
            await until(lambda: hub.listening and hub.head == 3)
            hub.listening = False  # as while its connection is lost: it reads nothing new
            await asyncio.to_thread(append_articles, store, "four", "five")
            feed = readings.follow(0, [], idle_seconds=0.2)
            # From the database, past what the hub holds.
            seen = [(await anext(feed)).position for _ in range(5)]  # type: ignore[union-attr]
            hub.listening = True  # back: the subscriber is covered, the hub not yet current
            waiting = asyncio.ensure_future(anext(feed))
            await asyncio.sleep(0.3)
            hub._dirty.set()  # the hub now reads events four and five
            await until(lambda: hub.head == 5)
            await asyncio.to_thread(append_articles, store, "six")
            while (event := await waiting) is None:  # keep-alives while nothing is new
                waiting = asyncio.ensure_future(anext(feed))
            seen.append(event.position)
            await feed.aclose()  # type: ignore[attr-defined]
            return seen
        finally:
            await hub.stop()
            await pool.close()

    try:
        assert asyncio.run(scenario()) == [1, 2, 3, 4, 5, 6]
    finally:
        store.close()


async def until(condition: object, seconds: float = 10) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)
