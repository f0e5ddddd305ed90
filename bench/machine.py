"""The facts about the machine and the code a run's figures belong to."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg

from infra.postgres.database import psycopg_conninfo

ROOT = Path(__file__).resolve().parents[1]
LOOP_STEPS = 10_000_000


def machine(database_url: str) -> dict[str, Any]:
    """Cores, CPU model, memory, load, the time of a plain Python loop, operating system,
    Python, PostgreSQL and commit."""
    return {
        "cores": os.cpu_count(),
        "python_loop_s": python_loop(),
        "cpu": _cpu_model(),
        "memory_mib": _memory_mib(),
        "load_average": load_average(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": _postgres(database_url),
        "commit": _commit(),
    }


def python_loop(steps: int = LOOP_STEPS) -> float:
    """Seconds a plain Python loop of `steps` additions takes: how fast the machine runs
    right now, which varies from one run to the next and within a run."""
    started = time.perf_counter()
    total = 0
    for step in range(steps):
        total += step
    return round(time.perf_counter() - started, 3)


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages."""
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else None


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or None


def _memory_mib() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _postgres(database_url: str) -> dict[str, Any]:
    settings = ("server_version", "shared_buffers", "synchronous_commit", "max_connections")
    try:
        with psycopg.connect(psycopg_conninfo(database_url), connect_timeout=5) as conn:
            return {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in settings}  # type: ignore[index]
    except psycopg.Error as error:
        return {"error": str(error).strip()}


def _commit() -> str | None:
    try:
        found = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None
