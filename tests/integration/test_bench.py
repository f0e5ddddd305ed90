"""The benchmark harness runs from end to end at its smallest size: a scratch database, a
real server process, every load, the table and the JSON. Nothing here is timed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.reference.gazetteer import default_gazetteer
from service.cli.main import main
from tests.synthetic.chronicle import Chronicle

FIGURES = {"ingest", "asof", "growth", "rebuild", "feed", "extraction", "memory"}


def test_a_tiny_bench_run_measures_every_figure_without_errors(
    server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", server_url)
    output = tmp_path / "bench.json"

    assert main(["bench", "--tiny", "--output", str(output)]) == 0

    results = json.loads(output.read_text())
    figures = results["figures"]
    assert set(figures) == FIGURES
    assert figures["ingest"]["errors"] == figures["asof"]["errors"] == 0
    assert figures["feed"]["errors"] == 0
    assert results["ingest"]["events"] >= results["ingest"]["articles"] > 0
    assert results["ingest"]["warmup"] == {
        "articles": results["plan"]["ingest_warmup"],
        "errors": 0,
    }
    copy = results["ingest"]["raw"]["copy"]
    assert len(copy["runs_rows_per_s"]) == figures["ingest"]["raw_runs"] == 3
    assert sorted(copy["runs_rows_per_s"])[1] == copy["rows_per_s"]  # the median run's
    assert figures["asof"]["requests_per_s"] > 0
    assert figures["asof"]["sql_requests_per_s"] > 0
    assert figures["rebuild"]["events"] == results["history"]["large"]["events"]
    assert results["history"]["large"]["claims"] >= results["plan"]["large_claims"]
    assert figures["memory"]["peak_rss_mib_under_queries"] > 0
    assert results["machine"]["python_loop_s"] > 0
    assert results["machine"]["python_loop_s_at_end"] > 0


def test_the_same_seed_gives_the_same_articles() -> None:
    def first_articles(seed: int) -> list[dict[str, object]]:
        chronicle = Chronicle(default_gazetteer(), seed, probe_places=3)
        articles = chronicle.articles(chronicle.background, "history")
        return [next(articles).payload() for _ in range(20)]

    assert first_articles(11) == first_articles(11)
    assert first_articles(11) != first_articles(12)


def test_every_quote_of_a_generated_article_occurs_in_its_body() -> None:
    chronicle = Chronicle(default_gazetteer(), 5, probe_places=3)
    articles = chronicle.articles(chronicle.probe, "probe")
    for _ in range(50):
        payload = next(articles).payload()
        body = str(payload["body"])
        quotes = [c["quote"] for c in payload["claims"]]  # type: ignore[attr-defined]
        quotes += [k["quote"] for k in payload["contestations"]]  # type: ignore[attr-defined]
        assert all(quote in body for quote in quotes)
