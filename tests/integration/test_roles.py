"""The service's role reads and writes through the ledger and cannot change the schema;
stored events cannot be changed by anyone."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from infra.postgres.database import psycopg_conninfo, with_user
from infra.postgres.roles import privileges
from service.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
SCHEMA_CHANGES = [
    "CREATE TABLE intruder (id int)",
    "ALTER TABLE claims ADD COLUMN intruder int",
    "DROP TABLE claims",
    "CREATE INDEX intruder ON claims (id)",
    "TRUNCATE stored_events",
    "DROP TRIGGER stored_events_append_only ON stored_events",
    "ALTER TABLE stored_events DISABLE TRIGGER ALL",
    "COMMENT ON TABLE claims IS 'intruder'",
]
EVENT_CHANGES = [
    "UPDATE stored_events SET topic = 'Forged'",
    "DELETE FROM stored_events",
]


def refused(url: str, statement: str) -> bool:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            return True
    return False


def test_the_service_role_runs_the_ledger_but_cannot_change_the_schema(
    empty_database: str,
    service_role: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    service_url = with_user(empty_database, service_role)
    monkeypatch.setenv("DATABASE_URL", service_url)
    monkeypatch.setenv("CLAIMLEDGER_MIGRATION_DATABASE_URL", empty_database)
    monkeypatch.setenv("CLAIMLEDGER_SERVICE_ROLE", service_role)
    assert main(["migrate"]) == 0
    assert f"role {service_role} may read and write" in capsys.readouterr().out
    assert main(["migrate"]) == 0  # a second run changes nothing and still succeeds

    article, gold = str(FIXTURES / "articles" / "101.json"), str(FIXTURES / "gold")
    for command in (
        ["ingest", article, "--gold", gold],
        ["project", "--once"],
        ["projections", "rebuild"],
        ["query", "Avdiivka", "--as-of", "2024-02-17"],
    ):
        assert main(command) == 0, command
    printed = capsys.readouterr().out
    assert "Avdiivka" in printed
    assert "rebuilt the read models in new tables, swapped in" in printed  # as the owner

    monkeypatch.delenv("CLAIMLEDGER_MIGRATION_DATABASE_URL")
    assert main(["projections", "rebuild"]) == 0
    assert "rebuilt the read models in place" in capsys.readouterr().out

    powers = privileges(service_url)
    assert (powers.role, powers.superuser, powers.can_create) == (service_role, False, False)
    for statement in SCHEMA_CHANGES + EVENT_CHANGES:
        assert refused(service_url, statement), statement


def test_no_one_changes_a_stored_event(
    empty_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database)
    assert main(["migrate"]) == 0
    assert main(["ingest", str(FIXTURES / "articles" / "101.json")]) == 0
    assert privileges(empty_database).superuser
    for statement in EVENT_CHANGES:
        assert refused(empty_database, statement), statement
