"""Rebuilding the read models beside the served ones: readers see the old rows until the
new ones are complete, events recorded meanwhile are taken in, and the result is exactly
what projecting event by event gives; a failure midway leaves the old models."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import psycopg
import pytest

from infra.database import psycopg_conninfo
from infra.eventstore import RecordedEvent
from infra.projections import ArticlesProjection, Changes, ClaimsProjection
from infra.projector import Projector
from infra.rebuild import rebuild
from service.bootstrap import Services
from tests.helpers import article
from tests.integration.test_projector import ingest, snapshot


@pytest.fixture
def services(clean_database: str) -> Iterator[Services]:
    services = Services.build(clean_database)
    yield services
    services.close()


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

    read = rebuild(url, batch_size=100, on_batch=during)

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
    assert services.ledger.retract(row[0], "wrong place", "analyst A")
    Projector(url, batch_size=1).catch_up()
    one_by_one = snapshot(url)
    rebuild(url, batch_size=100)
    assert snapshot(url) == one_by_one
    assert any(r[-2] is not None for r in one_by_one["claim_evidence"])  # a withdrawal


def test_a_projection_that_fails_midway_leaves_the_old_models(services: Services) -> None:
    url = services.database_url
    ingest(services, *(article(url=f"https://example.test/f/{i}") for i in range(6)))
    Projector(url).catch_up()
    before = snapshot(url)

    class Failing(ClaimsProjection):
        def changes(self, events: Sequence[RecordedEvent]) -> Changes:
            if any(e.position > 20 for e in events):
                raise RuntimeError("cannot apply")
            return super().changes(events)

    with pytest.raises(RuntimeError, match="cannot apply"):
        rebuild(url, projections=[ArticlesProjection(), Failing()], batch_size=5)

    assert snapshot(url) == before
    assert Projector(url).catch_up() == 0
