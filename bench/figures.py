"""The headline numbers of a run, each beside its baseline, with the ratio and whether its
goal was met."""

from __future__ import annotations

from typing import Any

from bench.rebuild import GOAL as REBUILD_GOAL

INGEST_ARTICLES_GOAL = 2_000
INGEST_RATIO_GOAL = 0.3
P99_GOAL_MS = 20.0
QUERY_RATIO_GOAL = 0.5
GROWTH_GOAL = 2.0


def figures(results: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers, their baselines, ratios and whether each goal was met."""
    return {
        "ingest": _ingest(results["ingest"]),
        "asof": _asof(results),
        "growth": _growth(results),
        "rebuild": _rebuild(results["rebuild"]),
        "feed": _feed(results["feed"]),
        "extraction": _extraction(results["extraction"]),
        "memory": _memory(results["server"]),
    }


def _ingest(ingest: dict[str, Any]) -> dict[str, Any]:
    http = ingest["http"]
    events = ingest["events"] / http["seconds"] if http["seconds"] else 0.0
    copy = ingest["raw"]["copy"]["rows_per_s"]
    ratio = events / copy if copy else 0.0
    return {
        "articles_per_s": http["unit_rate"],
        "events_per_s": events,
        "raw_copy_rows_per_s": copy,
        "raw_executemany_rows_per_s": ingest["raw"]["executemany"]["rows_per_s"],
        "raw_runs": len(ingest["raw"]["copy"]["runs_rows_per_s"]),
        "ratio_to_raw": ratio,
        "errors": http["errors"],
        "retried_batches": http.get("retries", 0),
        "goals": {
            f"articles_per_s >= {INGEST_ARTICLES_GOAL}": http["unit_rate"] >= INGEST_ARTICLES_GOAL,
            f"ratio_to_raw >= {INGEST_RATIO_GOAL}": ratio >= INGEST_RATIO_GOAL,
        },
    }


def _asof(results: dict[str, Any]) -> dict[str, Any]:
    large = results["asof_large"]
    http, sql, service = large["http"], large["sql"], large["service"]
    ratio = http["rate"] / sql["rate"] if sql["rate"] else 0.0
    return {
        "claims": results["history"]["large"]["claims"],
        "concurrency": results["plan"]["concurrency"],
        "p50_ms": http["latency"]["p50"],
        "p99_ms": http["latency"]["p99"],
        "requests_per_s": http["rate"],
        "sql_p50_ms": sql["latency"]["p50"],
        "sql_p99_ms": sql["latency"]["p99"],
        "sql_requests_per_s": sql["rate"],
        "service_requests_per_s": service["rate"],
        "ratio_to_sql": ratio,
        "errors": http["errors"] + sql["errors"] + service["errors"],
        "goals": {
            f"p99_ms <= {P99_GOAL_MS:g}": http["latency"]["p99"] <= P99_GOAL_MS,
            f"ratio_to_sql >= {QUERY_RATIO_GOAL}": ratio >= QUERY_RATIO_GOAL,
        },
    }


def _growth(results: dict[str, Any]) -> dict[str, Any]:
    small = results["asof_small"]["http"]["latency"]["p50"]
    large = results["asof_large"]["http"]["latency"]["p50"]
    factor = large / small if small else 0.0
    cost_small = cpu_per_request(results["asof_small"]["http"])
    cost_large = cpu_per_request(results["asof_large"]["http"])
    return {
        "small_claims": results["history"]["small"]["claims"],
        "large_claims": results["history"]["large"]["claims"],
        "p50_small_ms": small,
        "p50_large_ms": large,
        "factor": factor,
        "cpu_ms_per_request_small": cost_small,
        "cpu_ms_per_request_large": cost_large,
        "cpu_factor": ratio(
            (cost_large["server"] or 0) + (cost_large["database"] or 0),
            (cost_small["server"] or 0) + (cost_small["database"] or 0),
        ),
        "sql_factor": ratio(
            results["asof_large"]["sql"]["latency"]["p50"],
            results["asof_small"]["sql"]["latency"]["p50"],
        ),
        "goals": {f"factor < {GROWTH_GOAL:g}": factor < GROWTH_GOAL},
    }


def _rebuild(rebuild: dict[str, Any]) -> dict[str, Any]:
    rate, raw = rebuild["rebuild"]["events_per_s"], rebuild["raw"]["events_per_s"]
    return {
        "events": rebuild["events"],
        "events_per_s": rate,
        "raw_events_per_s": raw,
        "ratio_to_raw": ratio(rate, raw),
        "goals": {f"events_per_s >= {REBUILD_GOAL}": rate >= REBUILD_GOAL},
    }


def _feed(feed: dict[str, Any]) -> dict[str, Any]:
    http, sql = feed["http"]["unit_rate"], feed["sql"]["unit_rate"]
    return {
        "events_per_s": http,
        "sql_events_per_s": sql,
        "ratio_to_sql": ratio(http, sql),
        "errors": feed["http"]["errors"] + feed["sql"]["errors"],
    }


def _extraction(extraction: dict[str, Any]) -> dict[str, Any]:
    rate, tokenising = (
        extraction["extraction_articles_per_s"],
        extraction["tokenising_articles_per_s"],
    )
    return {
        "articles_per_s_per_core": rate,
        "tokenising_articles_per_s": tokenising,
        "ratio_to_tokenising": ratio(rate, tokenising),
    }


def _memory(server: dict[str, Any]) -> dict[str, Any]:
    after = server.get("memory_after_queries_kib", {})
    start = server.get("memory_at_start_kib", {})
    return {
        "processes": after.get("processes", 1),
        "peak_rss_mib_under_queries": after.get("VmHWM", 0) / 1024,
        "largest_peak_rss_mib_under_queries": after.get("largest_VmHWM", 0) / 1024,
        "rss_mib_at_start": start.get("VmRSS", 0) / 1024,
        "peak_rss_mib_at_end": server.get("memory_at_end_kib", {}).get("VmHWM", 0) / 1024,
    }


def ratio(value: float, base: float) -> float:
    """value / base, 0 when there is no base."""
    return value / base if base else 0.0


def cpu_per_request(result: dict[str, Any]) -> dict[str, float | None]:
    """Milliseconds of CPU each request cost the server, the database and the load
    generator: unlike a rate, this holds when other work shares the machine."""
    usage, rate = result["usage"], result["rate"]

    def cost(cores: float | None) -> float | None:
        return None if cores is None or not rate else 1000 * cores / rate

    return {part: cost(usage[part]) for part in ("server", "database", "generator")}
