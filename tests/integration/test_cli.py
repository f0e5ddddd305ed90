"""The command line against real databases: a schema that is not at head, or a server that
cannot be reached, stops a command with a clear message instead of failing on first use."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.cli.main import main


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


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def test_replay_prints_the_answer_as_known_at_an_instant(
    empty_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database)
    assert main(["migrate"]) == 0
    before = datetime.now(UTC).isoformat()
    articles, gold = str(FIXTURES / "articles" / "101.json"), str(FIXTURES / "gold")
    assert main(["ingest", articles, "--gold", gold]) == 0
    assert main(["project", "--once"]) == 0
    capsys.readouterr()

    assert main(["replay", "Avdiivka", "--as-of", "2024-02-17"]) == 0
    now = json.loads(capsys.readouterr().out)
    assert now["place"]["name"] == "Avdiivka" and now["total"] == 3  # two voices, one claim
    assert main(["replay", "Avdiivka", "--as-of", "2024-02-17", "--known-at", before]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
    assert main(["replay", "Avdiivka", "--known-at", "yesterday"]) == 2
    assert "--known-at" in capsys.readouterr().err


def test_replay_reads_every_page(
    empty_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database)
    monkeypatch.setattr("service.cli.ledger._PAGE", 1)
    assert main(["migrate"]) == 0
    articles, gold = str(FIXTURES / "articles" / "101.json"), str(FIXTURES / "gold")
    assert main(["ingest", articles, "--gold", gold]) == 0
    assert main(["project", "--once"]) == 0
    capsys.readouterr()
    assert main(["replay", "Avdiivka", "--as-of", "2024-02-17"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["total"] > 1 and len(answer["claims"]) == answer["total"]
    assert len({c["id"] for c in answer["claims"]}) == answer["total"]


def test_ingest_refuses_a_file_whose_text_holds_a_control_character(
    clean_database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("DATABASE_URL", clean_database)
    good = {"url": "https://example.test/a", "outlet": "example.test", "body": "Quiet day."}
    (tmp_path / "a.json").write_text(json.dumps(good))
    (tmp_path / "b.json").write_text(json.dumps({**good, "title": "bad \u0000 title"}))
    assert main(["ingest", str(tmp_path)]) == 2
    assert "b.json: title: control characters are not allowed" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "a.json")]) == 0
    assert "1 new articles" in capsys.readouterr().out


def test_eval_reports_the_untouched_articles_first_and_every_error_by_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
    listed = tmp_path / "untouched.json"
    listed.write_text(json.dumps({"untouched": ["106"]}))
    assert main(["eval", str(fixtures), "--errors", "--untouched", str(listed)]) == 0
    out = capsys.readouterr().out
    totals = [
        line.split()[:2] for line in out.splitlines() if line.startswith(("untouched", "tuned"))
    ]
    assert totals == [["untouched", "1"], ["tuned", "5"]]
    assert "missed" in out and "contestation link" in out
    # Without a list, this corpus is not the one the project's list names: one total.
    assert main(["eval", str(fixtures)]) == 0
    assert "untouched" not in capsys.readouterr().out
    listed.write_text("not json")
    assert main(["eval", str(fixtures), "--untouched", str(listed)]) == 2
    assert "not a file of untouched article ids" in capsys.readouterr().err


def test_serve_on_a_taken_port_says_so_before_announcing_anything(
    clean_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", clean_database)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--host", "127.0.0.1", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert f"cannot listen on 127.0.0.1:{port}" in captured.err
    assert "--port" in captured.err
    assert "serving on" not in captured.out


def test_query_manners_candidates_choices_columns_and_csv(
    empty_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    monkeypatch.setenv("DATABASE_URL", empty_database)
    assert main(["migrate"]) == 0
    articles, gold = str(FIXTURES / "articles" / "101.json"), str(FIXTURES / "gold")
    assert main(["ingest", articles, "--gold", gold]) == 0
    assert main(["project", "--once"]) == 0
    capsys.readouterr()

    assert main(["query", "Pokrovske"]) == 2
    listed = capsys.readouterr().err
    assert "places are called 'Pokrovske'" in listed and "geonames:696720" in listed
    assert "--first" in listed
    assert main(["query", "Pokrovske", "--first"]) == 0
    capsys.readouterr()

    with pytest.raises(SystemExit) as refused:
        main(["query", "Avdiivka", "--side", "rusia"])
    assert refused.value.code == 2
    assert "'russia', 'ukraine', 'third_party', 'media'" in capsys.readouterr().err

    assert main(["query", "Avdiivka", "--as-of", "2024-02-17"]) == 0
    table = capsys.readouterr().out
    assert "Avdiivka" in table and max(len(line) for line in table.splitlines()) <= 80

    assert main(["query", "Avdiivka", "--as-of", "2024-02-17", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and rows[0]["place_id"] == "geonames:713122"


def test_project_check_says_whether_a_projector_follows(
    clean_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from infra.readmodels.projector import Projector
    from tests.integration.served import wait_for

    monkeypatch.setenv("DATABASE_URL", clean_database)
    assert main(["project", "--check"]) == 1
    assert "no projector follows" in capsys.readouterr().err
    stop = Projector(clean_database).follow_in_background()
    try:
        wait_for(lambda: main(["project", "--check"]) == 0, 10, "the projector to follow")
    finally:
        stop()
    assert "a projector follows the store" in capsys.readouterr().out
