"""`claimledger bench`: every figure of the benchmark, each beside its baseline, measured in
one run against a real server process on a seeded history in a scratch database.

The order: extraction (no database); a small history and the as-of query on it; the same
history grown to the large size, read raw and rebuilt; the as-of query again, the server's
memory, the event feed; then analysts' articles ingested over HTTP on top of it all, and the
same rows inserted raw.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console

from bench import jobs
from bench.cpu import memory
from bench.extraction import FIXTURE_CORPUS, corpus_texts, measure
from bench.figures import figures
from bench.ingest import Batches, RawInsert, appended_rows, batches, median_run, raw_inserts
from bench.load import LoadProcess, LoadResult
from bench.machine import load_average, machine, python_loop
from bench.profile import sampling, top_frames
from bench.rebuild import raw_read, timed_rebuild
from bench.report import print_report
from bench.server import WORKERS, api_server
from infra.postgres.database import psycopg_conninfo
from infra.readmodels import BATCH_SIZE
from infra.reference.gazetteer import default_gazetteer
from service.cli.render import progress_bar
from tests.synthetic.chronicle import Chronicle
from tests.synthetic.history import HistoryWriter, scratch_database

console = Console(stderr=True)


@dataclass(frozen=True)
class Plan:
    """The sizes and durations of one kind of run (the defaults are the full run's)."""

    name: str = "full"
    small_claims: int = 10_000  # the as-of query is timed at this size and at the large one
    large_claims: int = 1_000_000
    probe_places: int = 24  # places the as-of query asks about, the same claims at any size
    probe_claims: int = 160  # claims per probe place: the mean over all places at 1,000,000
    ingest_articles: int = 40_000
    ingest_warmup: int = 2_000  # articles sent first, unmeasured, as the query loads warm up
    batch_size: int = 250
    ingest_concurrency: int = 2  # batches in flight: one is read while another is written
    concurrency: int = 32
    warmup: float = 2.0  # seconds of unmeasured load before each measured one
    http_seconds: float = 15.0
    baseline_seconds: float = 10.0
    rebuild_batch: int = BATCH_SIZE
    feed_page: int = 1_000
    extraction_rounds: int = 40


PLANS = {
    "full": Plan(),
    "quick": Plan(
        name="quick",
        large_claims=40_000,
        ingest_articles=5_000,
        ingest_warmup=500,
        warmup=0.3,
        http_seconds=2.0,
        baseline_seconds=1.5,
        extraction_rounds=4,
    ),
    "tiny": Plan(
        name="tiny",
        small_claims=200,
        large_claims=600,
        probe_places=4,
        probe_claims=10,
        ingest_articles=40,
        ingest_warmup=20,
        batch_size=20,
        concurrency=8,
        warmup=0.05,
        http_seconds=0.3,
        baseline_seconds=0.2,
        rebuild_batch=1_000,
        feed_page=200,
        extraction_rounds=1,
    ),
}


def run(plan: Plan, output: Path, *, seed: int = 7, profile: Path | None = None) -> dict[str, Any]:
    """Run every step, print the table, write the JSON; return the results."""
    started = time.perf_counter()
    results: dict[str, Any] = {
        "run": {
            "mode": plan.name,
            "seed": seed,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "plan": asdict(plan),
    }
    results["extraction"] = _extraction(plan)
    chronicle = Chronicle(default_gazetteer(), seed, plan.probe_places)
    load = LoadProcess()
    try:
        with scratch_database() as url:
            results["machine"] = machine(url)
            _database_steps(results, plan, chronicle, load, url, profile)
    finally:
        load.close()
    results["machine"]["python_loop_s_at_end"] = python_loop()
    results["run"]["seconds"] = round(time.perf_counter() - started, 1)
    results["figures"] = figures(results)
    output.write_text(_json(results))
    print_report(results)
    console.print(f"results written to {output}")
    return results


def _database_steps(
    results: dict[str, Any],
    plan: Plan,
    chronicle: Chronicle,
    load: LoadProcess,
    url: str,
    profile: Path | None,
) -> None:
    conninfo = psycopg_conninfo(url)
    writer = HistoryWriter(url, chronicle)
    queries = chronicle.queries(2_000)
    with api_server(url) as started:
        with progress_bar("history (probe places)", plan.probe_places * plan.probe_claims) as bar:
            writer.probes(plan.probe_places * plan.probe_claims, bar)
        _grow(writer, plan.small_claims)
        timed_rebuild(url, plan.rebuild_batch)
        _settle(url)
        results["history"] = {"small": {"claims": chronicle.claims, "events": writer.events}}
        endpoint = started()
        results["server"] = {"workers": WORKERS, "memory_at_start_kib": memory(endpoint.pid)}
        results["health"] = _query(load, plan, "health", queries, conninfo, endpoint)
        results["asof_small"] = _queries(load, plan, queries, conninfo, endpoint)
        _grow(writer, plan.large_claims)
        results["history"]["large"] = {"claims": chronicle.claims, "events": writer.events}
        results["rebuild"] = _rebuild(url, plan, writer.events)
        results["asof_large"] = _queries(load, plan, queries, conninfo, endpoint)
        results["server"]["memory_after_queries_kib"] = memory(endpoint.pid)
        if profile is not None:
            results["profile"] = _profile(load, plan, queries, conninfo, endpoint, profile)
        results["feed"] = {
            target: _feed(load, plan, target, conninfo, endpoint, writer.events)
            for target in ("http", "sql")
        }
        results["ingest"] = _ingest(load, plan, chronicle, url, endpoint)
        results["server"]["memory_at_end_kib"] = memory(endpoint.pid)


def _grow(writer: HistoryWriter, claims: int) -> None:
    missing = claims - writer.chronicle.claims
    if missing > 0:
        with progress_bar(f"history to {claims:,} claims", missing) as bar:
            writer.grow_to(claims, bar)


def _settle(url: str) -> None:
    """VACUUM and ANALYZE everything, as autovacuum would have by the time a history this
    size had been written, so the planner knows the tables."""
    with psycopg.connect(psycopg_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def _rebuild(url: str, plan: Plan, events: int) -> dict[str, Any]:
    with progress_bar("raw read and decode", events) as bar:
        raw = raw_read(url, plan.rebuild_batch, bar)
    with progress_bar("rebuild", events) as bar:
        rebuilt = timed_rebuild(url, plan.rebuild_batch, bar)
    with _step("vacuum and analyze"):
        _settle(url)
    return {
        "events": rebuilt.events,
        "rebuild": {"seconds": rebuilt.seconds, "events_per_s": rebuilt.rate},
        "raw": {"seconds": raw.seconds, "events_per_s": raw.rate},
    }


def _queries(
    load: LoadProcess,
    plan: Plan,
    queries: list[Any],
    conninfo: str,
    endpoint: jobs.Endpoint,
) -> dict[str, Any]:
    return {
        target: _query(load, plan, target, queries, conninfo, endpoint)
        for target in ("http", "sql", "service")
    }


def _query(
    load: LoadProcess,
    plan: Plan,
    target: Any,
    queries: list[Any],
    conninfo: str,
    endpoint: jobs.Endpoint,
) -> dict[str, Any]:
    seconds = plan.http_seconds if target == "http" else plan.baseline_seconds
    job = jobs.QueryJob(target, queries, plan.concurrency, plan.warmup, seconds, conninfo, endpoint)
    label = {
        "health": "GET /health",
        "http": "as-of query, HTTP",
        "sql": "as-of query, SQL only",
        "service": "as-of query, service without HTTP",
    }[target]
    with progress_bar(label, int(10 * (plan.warmup + seconds))) as bar:
        result = load.run(jobs.query_load, job, on_progress=bar, seconds=plan.warmup + seconds)
    return _loaded(result)


def _feed(
    load: LoadProcess,
    plan: Plan,
    target: Any,
    conninfo: str,
    endpoint: jobs.Endpoint,
    events: int,
) -> dict[str, Any]:
    job = jobs.FeedJob(target, events, plan.feed_page, conninfo, endpoint)
    label = "event feed, HTTP" if target == "http" else "event feed, SQL only"
    with progress_bar(label, events) as bar:
        return _loaded(load.run(jobs.feed, job, on_progress=bar))


def _ingest(
    load: LoadProcess,
    plan: Plan,
    chronicle: Chronicle,
    url: str,
    endpoint: jobs.Endpoint,
) -> dict[str, Any]:
    conninfo = psycopg_conninfo(url)
    warmup = batches(chronicle, plan.ingest_warmup, plan.batch_size)
    work = batches(chronicle, plan.ingest_articles, plan.batch_size)

    def ingest(label: str, sent: Batches) -> LoadResult:
        job = jobs.IngestJob(
            endpoint, sent.bodies, sent.articles, plan.ingest_concurrency, conninfo
        )
        with progress_bar(label, sent.total) as bar:
            return load.run(jobs.ingest, job, on_progress=bar)

    # The writers' first batches open their connections and prepare their statements.
    warmed = ingest("ingest over HTTP, warm-up", warmup)
    before = _last_position(url)
    result = ingest("ingest over HTTP", work)
    rows = appended_rows(url, before)
    with _step("the same rows inserted raw"):
        raw = raw_inserts(url, rows, len(work.bodies))
    return {
        "articles": work.total,
        "batches": len(work.bodies),
        "mean_request_bytes": work.mean_bytes,
        "events": len(rows),
        "warmup": {"articles": warmup.total, "errors": warmed.errors},
        "http": _loaded(result),
        "raw": {name: _raw(runs) for name, runs in raw.items()},
    }


def _raw(runs: list[RawInsert]) -> dict[str, Any]:
    """The median run, beside every run's rate."""
    median = median_run(runs)
    return {
        "rows": median.rows,
        "seconds": median.seconds,
        "rows_per_s": median.rate,
        "runs_rows_per_s": [run.rate for run in runs],
    }


def _profile(
    load: LoadProcess,
    plan: Plan,
    queries: list[Any],
    conninfo: str,
    endpoint: jobs.Endpoint,
    directory: Path,
) -> dict[str, Any]:
    """A further HTTP as-of load, unmeasured, with py-spy sampling the server."""
    output = directory / "asof-http.collapsed.txt"
    seconds = max(plan.http_seconds, 5.0)
    with sampling(endpoint.pid, seconds, output) as problems:
        job = jobs.QueryJob("http", queries, plan.concurrency, 0.0, seconds, conninfo, endpoint)
        with progress_bar("as-of query, HTTP, profiled", int(10 * seconds)) as bar:
            load.run(jobs.query_load, job, on_progress=bar, seconds=seconds)
    if problems or not output.is_file():
        return {"error": "; ".join(problems) or "no profile written"}
    return {"collapsed_stacks": str(output), **top_frames(output)}


def _extraction(plan: Plan) -> dict[str, Any]:
    corpora = [Path("../shared/corpus"), FIXTURE_CORPUS]
    used = [c for c in corpora if (c / "articles").is_dir()]
    texts = [t for corpus in used for t in corpus_texts(corpus)]
    with _step("extraction on one core"):
        speed = measure(texts, plan.extraction_rounds)
    return {
        "corpora": [str(c) for c in used],
        "articles": speed.articles,
        "mean_characters": speed.characters,
        "extraction_articles_per_s": speed.extraction_rate,
        "tokenising_articles_per_s": speed.tokenising_rate,
    }


def _loaded(result: LoadResult) -> dict[str, Any]:
    found = asdict(result)
    found["rate"] = result.rate
    found["unit_rate"] = result.unit_rate
    found["usage"]["other"] = result.usage.other
    found["load_average"] = load_average()
    return found


def _last_position(url: str) -> int:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        row = conn.execute("SELECT coalesce(max(notification_id), 0) FROM stored_events").fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _step(label: str) -> Iterator[None]:
    started = time.perf_counter()
    with console.status(label):
        yield
    console.print(f"{label}: {time.perf_counter() - started:.1f} s")


def _json(results: dict[str, Any]) -> str:
    import json

    return json.dumps(results, indent=2, default=str) + "\n"


def plan_for(quick: bool, tiny: bool) -> Plan:
    """The plan for the command line's choice."""
    return PLANS["tiny" if tiny else "quick" if quick else "full"]
