from typing import Any

import msgspec
import psycopg
import pytest

from infra.postgres.database import psycopg_conninfo
from infra.readmodels.projector import Projector
from service.app.schemas import ArticleIn
from service.app.services import Services
from service.app.submissions import to_submissions
from tests.helpers import article


def ingest(services: Services, *articles: dict[str, Any]) -> None:
    submissions = to_submissions(
        [msgspec.convert(a, ArticleIn) for a in articles], services.gazetteer
    )
    services.ledger.ingest(submissions)


def snapshot(url: str) -> dict[str, list[Any]]:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in (
                "articles",
                "claims",
                "claim_evidence",
                "claim_contestations",
                "claim_retractions",
            )
        }


@pytest.fixture
def services(clean_database: str):  # type: ignore[no-untyped-def]
    services = Services.build(clean_database)
    yield services
    services.close()


def test_catch_up_projects_every_event_once(services: Services) -> None:
    ingest(services, article(), article(url="https://example.test/news/2"))
    projector = Projector(services.database_url, batch_size=2)
    assert projector.catch_up() == services.store.last_position()
    assert projector.catch_up() == 0
    tables = snapshot(services.database_url)
    assert len(tables["articles"]) == 2
    assert len(tables["claims"]) == 2
    assert len(tables["claim_evidence"]) == 4
    assert len(tables["claim_contestations"]) == 2  # the same denial, reported twice


def test_two_projectors_at_once_apply_each_event_once(services: Services) -> None:
    ingest(services, *(article(url=f"https://example.test/n/{i}") for i in range(20)))
    first, second = (
        Projector(services.database_url, batch_size=3),
        Projector(services.database_url, batch_size=5),
    )
    import threading

    threads = [threading.Thread(target=p.catch_up) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(snapshot(services.database_url)["claim_evidence"]) == 40


def test_dropping_the_read_models_and_projecting_again_gives_the_same_rows(
    services: Services,
) -> None:
    ingest(services, article(), article(url="https://example.test/news/3"))
    projector = Projector(services.database_url)
    projector.catch_up()
    before = snapshot(services.database_url)
    projector.reset()
    assert snapshot(services.database_url)["claims"] == []
    projector.catch_up()
    assert snapshot(services.database_url) == before


def test_follow_projects_new_events_without_being_asked(services: Services) -> None:
    import threading
    import time

    stop = threading.Event()
    thread = threading.Thread(target=services.projector.follow, args=(stop, 0.2))
    thread.start()
    try:
        ingest(services, article())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not snapshot(services.database_url)["claims"]:
            time.sleep(0.05)
        assert len(snapshot(services.database_url)["claims"]) == 2
    finally:
        stop.set()
        thread.join()


def test_a_follower_has_its_tracking_rows_before_it_says_it_follows(clean_database: str) -> None:
    import threading
    import time

    from infra.readmodels.projector import FOLLOWING_LOCK

    gate = threading.Event()

    class Slow(Projector):
        def catch_up(self, on_batch: Any = None) -> int:
            gate.wait(10)
            return super().catch_up(on_batch)

    projector = Slow(clean_database)
    stop = projector.follow_in_background()
    try:
        with psycopg.connect(psycopg_conninfo(clean_database), autocommit=True) as conn:
            deadline = time.monotonic() + 10
            while not conn.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = %s AND objid = %s AND database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())",
                FOLLOWING_LOCK,
            ).fetchone():
                assert time.monotonic() < deadline, "the projector never said it follows"
                time.sleep(0.02)
            # It says so while its first catch-up has not begun: the rows are already there.
            rows = conn.execute("SELECT projection FROM projection_tracking").fetchall()
            assert {name for (name,) in rows} == {p.name for p in projector.projections}
    finally:
        gate.set()
        stop()
