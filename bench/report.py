"""A run's figures as a table, where the CPU went during each load, and what that says
about each load's limit."""

from __future__ import annotations

import shutil
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.figures import (
    GROWTH_GOAL,
    INGEST_ARTICLES_GOAL,
    INGEST_RATIO_GOAL,
    P99_GOAL_MS,
    QUERY_RATIO_GOAL,
    cpu_per_request,
)
from bench.machine import LOOP_STEPS
from bench.rebuild import GOAL as REBUILD_GOAL


def print_report(results: dict[str, Any]) -> None:
    """The figures table, the CPU table, and what limited each load."""
    console = Console(width=max(140, shutil.get_terminal_size().columns))
    run, history = results["run"], results["history"]
    console.print(
        f"claimledger bench, {run['mode']} run (seed {run['seed']}), {run['seconds']:.0f} s;"
        f" history {history['small']['claims']:,} then {history['large']['claims']:,} claims"
        f" ({history['large']['events']:,} events)"
    )
    console.print(_machine_line(results["machine"]))
    console.print(_figures_table(results))
    console.print(_cpu_table(results))
    for line in _limits(results):
        console.print(f"- {line}")
    if "profile" in results:
        for line in _profile_lines(results["profile"]):
            console.print(line)


def _profile_lines(profile: dict[str, Any]) -> list[str]:
    if "error" in profile:
        return [f"profile: {profile['error']}"]
    lines = [
        f"profile of the API server under the as-of load (py-spy, {profile['samples']:,} samples"
        f" holding the interpreter lock; stacks in {profile['collapsed_stacks']}):",
        "  on top of the stack, by package: "
        + ", ".join(f"{name} {share:.0%}" for name, share in profile["self_by_package"][:8]),
        "  on top of the stack:",
    ]
    lines += [f"    {share:5.1%} {frame}" for frame, share in profile["self"][:10]]
    lines.append("  anywhere in the stack, the project's functions:")
    lines += [f"    {share:5.1%} {frame}" for frame, share in profile["inclusive_project"][:10]]
    return lines


def _machine_line(machine: dict[str, Any]) -> str:
    postgres = machine.get("postgresql", {})
    load = machine.get("load_average") or []
    return (
        f"machine: {machine.get('cores')} cores, {machine.get('cpu')}, "
        f"{machine.get('memory_mib')} MiB; PostgreSQL {postgres.get('server_version')}; "
        f"Python {machine.get('python')}; commit {machine.get('commit')}; "
        f"load average at start {', '.join(f'{v:.2f}' for v in load)}; "
        f"{LOOP_STEPS:,} Python additions {machine.get('python_loop_s')} s at start, "
        f"{machine.get('python_loop_s_at_end')} s at end"
    )


def _figures_table(results: dict[str, Any]) -> Table:
    found = results["figures"]
    plan = results["plan"]
    table = Table(title="figures, each beside its baseline from the same run")
    for column in ("figure", "measured", "baseline (same run)", "ratio", "goal", "met"):
        table.add_column(column)
    ingest, asof, growth = found["ingest"], found["asof"], found["growth"]
    rebuild, feed, extraction, memory = (
        found["rebuild"],
        found["feed"],
        found["extraction"],
        found["memory"],
    )
    table.add_row(
        f"1. ingest, POST /articles/batch ({plan['batch_size']} a batch,"
        f" {plan['ingest_concurrency']} at once)",
        f"{ingest['articles_per_s']:,.0f} articles/s\n{ingest['events_per_s']:,.0f} events/s",
        f"COPY {ingest['raw_copy_rows_per_s']:,.0f} rows/s\n"
        f"executemany {ingest['raw_executemany_rows_per_s']:,.0f} rows/s\n"
        f"(medians of {ingest['raw_runs']} runs)",
        f"{ingest['ratio_to_raw']:.2f} of COPY",
        f">= {INGEST_ARTICLES_GOAL:,} articles/s\n>= {INGEST_RATIO_GOAL} of raw",
        _met(ingest["goals"]),
    )
    table.add_row(
        f"2. as-of query at {asof['claims']:,} claims, {asof['concurrency']} at once",
        f"p50 {asof['p50_ms']:.1f} ms, p99 {asof['p99_ms']:.1f} ms\n"
        f"{asof['requests_per_s']:,.0f} requests/s",
        f"its SQL: p50 {asof['sql_p50_ms']:.1f} ms, p99 {asof['sql_p99_ms']:.1f} ms,"
        f" {asof['sql_requests_per_s']:,.0f}/s\n"
        f"service without HTTP: {asof['service_requests_per_s']:,.0f}/s",
        f"{asof['ratio_to_sql']:.2f} of SQL",
        f"p99 <= {P99_GOAL_MS:g} ms\n>= {QUERY_RATIO_GOAL} of SQL",
        _met(asof["goals"]),
    )
    small, large = growth["cpu_ms_per_request_small"], growth["cpu_ms_per_request_large"]
    table.add_row(
        f"3. growth, {growth['small_claims']:,} -> {growth['large_claims']:,} claims",
        f"p50 {growth['p50_small_ms']:.1f} -> {growth['p50_large_ms']:.1f} ms\n"
        f"CPU a request {_ms(small)} -> {_ms(large)} ms (x{growth['cpu_factor']:.2f})",
        f"its SQL: x{growth['sql_factor']:.2f}",
        f"x{growth['factor']:.2f}",
        f"< x{GROWTH_GOAL:g}",
        _met(growth["goals"]),
    )
    table.add_row(
        f"4. projection rebuild, {rebuild['events']:,} events",
        f"{rebuild['events_per_s']:,.0f} events/s",
        f"read and decode {rebuild['raw_events_per_s']:,.0f} events/s",
        f"{rebuild['ratio_to_raw']:.2f}",
        f">= {REBUILD_GOAL:,} events/s",
        _met(rebuild["goals"]),
    )
    table.add_row(
        f"5. event feed, GET /events, pages of {plan['feed_page']:,}",
        f"{feed['events_per_s']:,.0f} events/s",
        f"its SQL {feed['sql_events_per_s']:,.0f} events/s",
        f"{feed['ratio_to_sql']:.2f}",
        "",
        "",
    )
    table.add_row(
        "6. extraction, one core",
        f"{extraction['articles_per_s_per_core']:,.1f} articles/s",
        f"tokenising {extraction['tokenising_articles_per_s']:,.0f} articles/s",
        f"{extraction['ratio_to_tokenising']:.3f}",
        "",
        "",
    )
    table.add_row(
        f"7. API server memory under the query load ({memory['processes']} processes)",
        f"peak {memory['peak_rss_mib_under_queries']:,.0f} MiB (VmHWM, summed);"
        f" largest process {memory['largest_peak_rss_mib_under_queries']:,.0f} MiB",
        f"resident at start {memory['rss_mib_at_start']:,.0f} MiB",
        "",
        "",
        "",
    )
    return table


def _ms(cost: dict[str, float | None]) -> str:
    """Server plus database CPU milliseconds of a request."""
    return f"{(cost['server'] or 0) + (cost['database'] or 0):.1f}"


def _met(goals: dict[str, bool]) -> str:
    return "\n".join("yes" if met else "NO" for met in goals.values())


# Each load, where its result is, and whether it runs its work in the load process (the
# SQL-only and in-process service baselines: there the generator's CPU is the work measured).
_LOADS = (
    ("/health over HTTP", ("health",), False),
    ("as-of, small, HTTP", ("asof_small", "http"), False),
    ("as-of, small, SQL only", ("asof_small", "sql"), True),
    ("as-of, small, service", ("asof_small", "service"), True),
    ("as-of, large, HTTP", ("asof_large", "http"), False),
    ("as-of, large, SQL only", ("asof_large", "sql"), True),
    ("as-of, large, service", ("asof_large", "service"), True),
    ("event feed, HTTP", ("feed", "http"), False),
    ("event feed, SQL only", ("feed", "sql"), True),
    ("ingest, HTTP", ("ingest", "http"), False),
)


def loads(results: dict[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
    """Every load run: its name, its result, whether its work ran in the load process."""
    found = []
    for name, path, in_process in _LOADS:
        value: Any = results
        for key in path:
            value = value.get(key, {}) if isinstance(value, dict) else {}
        if value:
            found.append((name, value, in_process))
    return found


def _cpu_table(results: dict[str, Any]) -> Table:
    table = Table(title="CPU during each load, in cores (this machine has "
                  f"{results['machine'].get('cores')})")  # fmt: skip
    columns = ("load", "requests/s", "API server", "database", "load generator", "other")
    for column in (*columns, "ms CPU a request: server", "database", "generator"):
        table.add_column(column)
    for name, result, _ in loads(results):
        usage, cost = result["usage"], cpu_per_request(result)
        table.add_row(
            name,
            f"{result['rate']:,.0f}",
            _cores(usage["server"]),
            _cores(usage["database"]),
            _cores(usage["generator"]),
            _cores(usage["other"]),
            *(_cores(cost[part]) for part in ("server", "database", "generator")),
        )
    return table


def _cores(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _limits(results: dict[str, Any]) -> list[str]:
    """What the CPU figures say about each load's limit."""
    lines = []
    cores = results["machine"].get("cores") or 1
    workers = results["server"].get("workers", 1)
    for name, result, in_process in loads(results):
        usage = result["usage"]
        if result["errors"]:
            lines.append(f"{name}: {result['errors']} failed requests ({result['first_error']})")
        if result.get("retries"):
            lines.append(
                f"{name}: {result['retries']} times a batch was answered 409 (concurrent writes"
                " to the same claims collided) and was sent again"
            )
        if in_process and usage["generator"] >= 0.8:
            lines.append(
                f"{name}: its Python (the driver decoding rows, the service building answers)"
                f" ran in the load process and took {usage['generator']:.2f} cores: one"
                " process's CPU is its limit, as it is the server's"
            )
        elif usage["generator"] >= 0.8:
            lines.append(
                f"{name}: the load generator used {usage['generator']:.2f} cores and may be"
                " what limits this figure"
            )
        if (usage["server"] or 0) >= 0.85 * min(workers, cores):
            lines.append(
                f"{name}: the API server was CPU-bound ({usage['server']:.2f} cores; each of"
                f" its {workers} Python processes runs on one core at a time)"
            )
        if (usage["other"] or 0) >= 0.25 * cores:
            lines.append(
                f"{name}: other work on the machine took {usage['other']:.2f} cores meanwhile;"
                " the figure is lower than an idle machine would give"
            )
    generators = [r["usage"]["generator"] for _, r, in_process in loads(results) if not in_process]
    if generators and max(generators) < 0.8:
        lines.append(
            "the load generator was not the limit of any HTTP load: it used at most"
            f" {max(generators):.2f} cores"
        )
    return lines
