"""The command line against real databases: a schema that is not at head, or a server that
cannot be reached, stops a command with a clear message instead of failing on first use."""

from __future__ import annotations

import pytest

from service.cli import main


def test_commands_refuse_an_unmigrated_database_until_it_is_migrated(
    empty_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database)
    for command in (["query", "Kupiansk"], ["project", "--once"]):
        assert main(command) == 2
        error = capsys.readouterr().err
        assert "revision none" in error and "claimledger migrate" in error, error

    assert main(["migrate"]) == 0
    assert main(["query", "Kupiansk"]) == 0
    assert "Kupiansk" in capsys.readouterr().out


def test_an_unreachable_database_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/claimledger")
    assert main(["query", "Kupiansk"]) == 2
    assert "cannot reach the database" in capsys.readouterr().err
