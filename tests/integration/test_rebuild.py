"""Rebuilding the read models beside the served ones: readers see the old rows until the
new ones are complete, events recorded meanwhile are taken in, and the result is exactly
what projecting event by event gives; a failure midway leaves the old models. As the
tables' owner the new models are new tables, swapped in with the old ones' definitions and
privileges; a role that owns no table rebuilds in place."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

import psycopg
import pytest

from infra.eventstore.store import RecordedEvent
from infra.postgres.database import psycopg_conninfo, with_user
from infra.postgres.migrate import upgrade
from infra.postgres.roles import grant_service_role
from infra.readmodels.projections import ArticlesProjection, Changes, ClaimsProjection
from infra.readmodels.projector import Projector
from infra.readmodels.rebuild import rebuild, swaps
from infra.readmodels.shadow import SCHEMA
from service.app.services import Services
from tests.helpers import article
from tests.integration.test_projector import ingest, snapshot


@pytest.fixture
def services(clean_database: str) -> Iterator[Services]:
    services = Services.build(clean_database)
    yield services
    services.close()


CATALOG = """
SELECT c.relname::text, c.oid::bigint, pg_get_userbyid(c.relowner), c.relacl::text,
       c.reloptions::text,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = c.oid
             ORDER BY 1),
       ARRAY(SELECT k.conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k
             WHERE k.conrelid = c.oid ORDER BY 1),
       ARRAY(SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                    || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
             FROM pg_attribute a
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum)
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 'S')
ORDER BY 1
"""


def catalog(url: str) -> tuple[dict[str, int], list[tuple[object, ...]]]:
    """Each table's, index's and sequence's relation id, and everything else the catalog
    says of it."""
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        rows = conn.execute(CATALOG).fetchall()
        assert conn.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (SCHEMA,)
        ).fetchone() == (0,)
    return {r[0]: r[1] for r in rows}, [r[:1] + r[2:] for r in rows]


def test_the_owner_swaps_in_new_tables_defined_as_the_old_ones(
    empty_database: str, service_role: str
) -> None:
    url = empty_database
    upgrade(url)
    grant_service_role(url, service_role)
    service_url = with_user(url, service_role)
    services = Services.build(url)
    try:
        ingest(services, *(article(url=f"https://example.test/o/{i}") for i in range(8)))
    finally:
        services.close()
    Projector(url).catch_up()
    models = snapshot(url)
    relations, definitions = catalog(url)
    assert swaps(url) and not swaps(service_url)

    rebuild(url, batch_size=100)

    rebuilt_relations, rebuilt_definitions = catalog(url)
    assert rebuilt_definitions == definitions  # owner, privileges, indexes, constraints
    assert rebuilt_relations["claims"] != relations["claims"]
    assert rebuilt_relations["stored_events"] == relations["stored_events"]
    assert snapshot(url) == models
    # The service role keeps its privileges on the new tables: it reads, writes and
    # rebuilds them, in place.
    assert rebuild(service_url, batch_size=100) > 0
    assert catalog(url)[0] == rebuilt_relations
    assert snapshot(url) == models


def claim_count(url: str) -> int:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        row = conn.execute("SELECT count(*) FROM claim_evidence").fetchone()
        return int(row[0]) if row else 0


def test_readers_keep_the_old_models_until_the_rebuild_commits(services: Services) -> None:
    url = services.database_url
    ingest(services, *(article(url=f"https://example.test/r/{i}") for i in range(30)))
    Projector(url).catch_up()
    before = snapshot(url)
    seen_during: list[int] = []
    late = article(url="https://example.test/r/late")

    def during(_: int) -> None:
        if not seen_during:
            ingest(services, late)  # a writer is not held up by the rebuild
        seen_during.append(claim_count(url))

    read = rebuild(url, batch_size=10, on_batch=during)

    assert read == services.store.last_position()
    assert set(seen_during) == {len(before["claim_evidence"])}
    after = snapshot(url)
    assert len(after["articles"]) == len(before["articles"]) + 1
    assert Projector(url).positions() == {"articles": read, "claims": read}
    assert Projector(url).catch_up() == 0


def test_a_rebuild_equals_projecting_event_by_event(services: Services) -> None:
    url = services.database_url
    ingest(services, *(article(url=f"https://example.test/e/{i}") for i in range(12)))
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        row = conn.execute(
            "SELECT originator_id FROM stored_events WHERE topic = 'ClaimRecorded' LIMIT 1"
        ).fetchone()
    assert row is not None
    assert services.ledger.retract(row[0], "wrong place", "analyst A").created
    Projector(url, batch_size=1).catch_up()
    one_by_one = snapshot(url)
    rebuild(url, batch_size=100)
    assert snapshot(url) == one_by_one
    assert any(r[-2] is not None for r in one_by_one["claim_evidence"])  # a withdrawal


class Failing(ClaimsProjection):
    """Fails on the events after position 20 (at module level: the rebuild's worker
    processes are handed their projections)."""

    def changes(self, events: Sequence[RecordedEvent]) -> Changes:
        if any(e.position > 20 for e in events):
            raise RuntimeError("cannot apply")
        return super().changes(events)


def test_a_projection_that_fails_midway_leaves_the_old_models(services: Services) -> None:
    url = services.database_url
    ingest(services, *(article(url=f"https://example.test/f/{i}") for i in range(6)))
    Projector(url).catch_up()
    before = snapshot(url)

    with pytest.raises(RuntimeError, match="cannot apply"):
        rebuild(url, projections=[ArticlesProjection(), Failing()], batch_size=2)

    assert snapshot(url) == before
    assert Projector(url).catch_up() == 0


def test_a_long_reader_holds_the_swap_back_without_queueing_other_readers(
    services: Services,
) -> None:
    url = services.database_url
    ingest(services, *(article(url=f"https://example.test/l/{i}") for i in range(6)))
    Projector(url).catch_up()
    models = snapshot(url)
    rebuilt: list[int] = []
    with psycopg.connect(psycopg_conninfo(url)) as long_reader:
        long_reader.execute("SELECT count(*) FROM claims")  # its lock lasts to its rollback
        swapping = threading.Thread(target=lambda: rebuilt.append(rebuild(url, batch_size=100)))
        swapping.start()
        with psycopg.connect(psycopg_conninfo(url), autocommit=True) as watcher:
            for _ in range(300):
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND mode = %s"
                    " AND relation = 'public.claims'::regclass",
                    ("AccessExclusiveLock",),
                ).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.1)
            else:
                pytest.fail("the rebuild never asked for the served tables")
        for _ in range(5):  # other readers still get through, each within a second
            with psycopg.connect(psycopg_conninfo(url), options="-c lock_timeout=1000") as reader:
                assert reader.execute("SELECT count(*) FROM claims").fetchone() == (
                    len(models["claims"]),
                )
            time.sleep(0.2)
        assert swapping.is_alive() and not rebuilt
        long_reader.rollback()
        swapping.join(timeout=60)
    assert rebuilt == [services.store.last_position()]
    assert snapshot(url) == models
