"""Verifying the read models against a fresh replay of the events: identical after
projecting, a tampered row reported in its table, events not yet projected left out, and
nothing written or locked on the way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import psycopg
import pytest

from infra.postgres.database import psycopg_conninfo, with_user
from infra.readmodels.projections import ArticlesProjection
from infra.readmodels.projector import Projector
from infra.readmodels.rebuild import rebuild
from infra.readmodels.verify import ModelsReplaced, replay_snapshot, verify
from service.app.services import Services
from service.cli.main import main
from tests.helpers import article
from tests.integration.test_projector import ingest, snapshot


@pytest.fixture
def services(clean_database: str) -> Iterator[Services]:
    services = Services.build(clean_database)
    yield services
    services.close()


@pytest.fixture
def projected(services: Services) -> str:
    """Six articles sharing two claims, one of them withdrawn, all projected."""
    url = services.database_url
    ingest(services, *(article(url=f"https://example.test/v/{i}") for i in range(6)))
    claim = _scalar(
        url, "SELECT originator_id FROM stored_events WHERE topic = 'ClaimRecorded' LIMIT 1"
    )
    assert services.ledger.retract(claim, "wrong place", "analyst A").created
    Projector(url).catch_up()
    return url


def _scalar(url: str, query: str) -> Any:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def _tamper(url: str, statement: str) -> None:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        assert conn.execute(statement).rowcount == 1


def _state(url: str) -> dict[str, Any]:
    """Every read-model row, the tracking rows as stored and the number of events."""
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        tracking = conn.execute("SELECT * FROM projection_tracking ORDER BY 1").fetchall()
        events = conn.execute("SELECT count(*) FROM stored_events").fetchone()
    return {**snapshot(url), "projection_tracking": tracking, "events": events}


def test_read_models_projected_from_the_events_equal_their_replay(projected: str) -> None:
    result = verify(projected)

    assert result.identical
    assert result.replayed == result.last_position > 0
    assert all(t.behind == 0 for t in result.projections)
    rows = {t.table: t.rows for t in result.tables}
    assert rows == {
        "articles": 6,
        "claims": 2,
        "claim_documents": 2,
        "claim_sources": 6,
        "claim_evidence": 12,
        "claim_contestations": 6,
        "claim_retractions": 1,
    }
    assert all(t.replayed == t.rows for t in result.tables)


TAMPERING = [
    pytest.param(
        "UPDATE claim_evidence SET quote = 'a quote never reported'"
        " WHERE (claim_id, seq) = (SELECT claim_id, seq FROM claim_evidence"
        " ORDER BY claim_id, seq LIMIT 1)",
        "claim_evidence",
        "SELECT json_build_object('claim_id', claim_id, 'seq', seq) FROM claim_evidence"
        " ORDER BY claim_id, seq LIMIT 1",
        (1, 1),
        id="changed-row",
    ),
    pytest.param(
        "DELETE FROM claims WHERE id = (SELECT min(id::text)::uuid FROM claims)",
        "claims",
        "SELECT json_build_object('id', min(id::text)) FROM claims",
        (1, 0),
        id="deleted-row",
    ),
    pytest.param(
        "INSERT INTO articles (id, language, body, body_sha256, position, recorded_at)"
        " VALUES ('00000000-0000-0000-0000-00000000000a', 'en', 'never ingested', 'x', 1, now())",
        "articles",
        "SELECT json_build_object('id', '00000000-0000-0000-0000-00000000000a')",
        (0, 1),
        id="extra-row",
    ),
]


@pytest.mark.parametrize(("statement", "table", "key_query", "counts"), TAMPERING)
def test_a_tampered_row_is_reported_in_its_table_with_its_key(
    projected: str,
    statement: str,
    table: str,
    key_query: str,
    counts: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = _scalar(projected, key_query)  # before a deleted row is gone
    _tamper(projected, statement)
    monkeypatch.setenv("DATABASE_URL", projected)

    assert main(["verify", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["identical"] is False
    differing = {t["table"]: t for t in report["tables"] if t["missing"] or t["unexpected"]}
    assert list(differing) == [table]
    found = differing[table]
    assert (found["missing"], found["unexpected"]) == counts
    assert key in found["missing_keys"] + found["unexpected_keys"]

    assert main(["verify"]) == 1
    printed = capsys.readouterr().out
    assert f"differ from the replay in {table}" in printed
    assert next(iter(key.values())) in printed


def test_identical_read_models_exit_zero_with_a_report(
    projected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", projected)
    assert main(["verify"]) == 0
    printed = capsys.readouterr().out
    assert "claim_evidence" in printed
    assert "equal a replay of the events" in printed


def test_verify_writes_nothing(projected: str) -> None:
    before = _state(projected)
    assert verify(projected).identical
    _tamper(projected, "DELETE FROM claims WHERE id = (SELECT min(id::text)::uuid FROM claims)")
    tampered = _state(projected)
    assert not verify(projected).identical
    assert _state(projected) == tampered
    assert {k: v for k, v in tampered.items() if k != "claims"} == {
        k: v for k, v in before.items() if k != "claims"
    }


def test_events_not_yet_projected_are_not_a_difference(projected: str, services: Services) -> None:
    before = services.store.last_position()
    ingest(services, article(url="https://example.test/v/late"))
    Projector(projected, projections=[ArticlesProjection()]).catch_up()
    added = services.store.last_position() - before

    result = verify(projected)

    assert result.identical
    behind = {t.projection: t.behind for t in result.projections}
    assert behind == {"articles": 0, "claims": added}
    assert result.replayed == result.last_position


def test_verify_holds_no_lock_that_stops_the_projector_or_a_rebuild(
    projected: str, services: Services
) -> None:
    impatient = projected + "?options=" + quote("-c lock_timeout=2000")
    with replay_snapshot(projected) as replay:
        ingest(services, article(url="https://example.test/v/during"))
        assert Projector(impatient).catch_up() > 0
        rebuild(impatient)
        # The owner's rebuild put new tables in place: the snapshot cannot see them as they were.
        with pytest.raises(ModelsReplaced):
            replay.run()
    assert verify(projected).identical


def test_verify_starts_again_when_a_rebuild_replaces_the_models(
    projected: str, services: Services
) -> None:
    rebuilt: list[int] = []

    def during(_: int) -> None:
        if not rebuilt:
            ingest(services, article(url="https://example.test/v/again"))
            rebuilt.append(rebuild(projected))

    result = verify(projected, on_batch=during)

    assert rebuilt == [services.store.last_position()]
    assert result.identical
    assert result.replayed == result.last_position == rebuilt[0]


def test_the_service_role_may_verify(
    empty_database: str, service_role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", with_user(empty_database, service_role))
    monkeypatch.setenv("CLAIMLEDGER_MIGRATION_DATABASE_URL", empty_database)
    monkeypatch.setenv("CLAIMLEDGER_SERVICE_ROLE", service_role)
    assert main(["migrate"]) == 0
    services = Services.build(with_user(empty_database, service_role))
    try:
        ingest(services, article())
    finally:
        services.close()
    assert main(["project", "--once"]) == 0
    assert main(["verify"]) == 0
