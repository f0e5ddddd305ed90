"""Where the CPU went during a measured window: the load generator (this process), the
API server, the database's backends for the scratch database, and everything else on the
machine; and a process's memory. Read from /proc (Linux); None where it cannot be read."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Usage:
    """CPU used during a measured window, in cores (CPU seconds per second of wall time);
    None where it could not be read."""

    seconds: float
    cores: int
    generator: float
    server: float | None
    database: float | None
    machine: float | None

    @property
    def other(self) -> float | None:
        """CPU taken by everything else on the machine meanwhile."""
        known = [self.generator, self.server or 0.0, self.database or 0.0]
        return None if self.machine is None else max(0.0, self.machine - sum(known))


@dataclass(frozen=True)
class Watch:
    """Which processes to account for: the server's pid (with its worker processes), the
    database's backends."""

    server_pid: int | None
    conninfo: str | None

    @contextmanager
    def window(self) -> Iterator[list[Usage]]:
        """Measure CPU over the block; the Usage is in the yielded list afterwards."""
        backends = self._backends()
        before = self._sample(backends)
        found: list[Usage] = []
        yield found
        # Backends connected meanwhile count from zero; those gone meanwhile are lost.
        late = [pid for pid in self._backends() if pid not in backends]
        after = self._sample(backends + late)
        found.append(_usage(before, after))

    def _backends(self) -> list[int]:
        if not self.conninfo:
            return []
        try:
            with psycopg.connect(self.conninfo, autocommit=True) as conn:
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
        except psycopg.Error:
            return []
        return [int(row[0]) for row in rows]

    def _sample(self, backends: list[int]) -> dict[str, float | None]:
        database = [_process_cpu(pid) for pid in backends]
        return {
            "wall": time.perf_counter(),
            "own": time.process_time(),
            "server": _tree_cpu(self.server_pid) if self.server_pid else None,
            "database": sum(d for d in database if d is not None) if backends else None,
            "machine": _machine_cpu(),
        }


def _usage(before: dict[str, float | None], after: dict[str, float | None]) -> Usage:
    wall = float(after["wall"] or 0) - float(before["wall"] or 0)

    def cores(key: str) -> float | None:
        start, end = before[key], after[key]
        if start is None or end is None or wall <= 0:
            return None
        return max(0.0, (end - start) / wall)

    return Usage(
        seconds=wall,
        cores=os.cpu_count() or 1,
        generator=cores("own") or 0.0,
        server=cores("server"),
        database=cores("database"),
        machine=cores("machine"),
    )


def _process_cpu(pid: int) -> float | None:
    """User and system CPU seconds of a process so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def _tree_cpu(pid: int) -> float | None:
    """CPU seconds of a process and of every process under it so far."""
    found = [_process_cpu(p) for p in process_tree(pid)]
    return sum(f for f in found if f is not None) if found[0] is not None else None


def process_tree(pid: int) -> list[int]:
    """The process and every process under it (from each process's parent in /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, queue = [pid], [pid]
    while queue:
        found = children.get(queue.pop(), [])
        tree.extend(found)
        queue.extend(found)
    return tree


def _machine_cpu() -> float | None:
    """CPU seconds all cores have spent busy so far, from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    ticks = [int(v) for v in first[1:9]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / _TICK


def memory(pid: int) -> dict[str, int]:
    """VmHWM (peak resident) and VmRSS in KiB, from /proc, of a process and the processes
    under it (summed; `largest_VmHWM` is the largest one's peak), and how many there are."""
    found = {"VmHWM": 0, "VmRSS": 0, "largest_VmHWM": 0, "processes": 0}
    for each in process_tree(pid):
        try:
            lines = Path(f"/proc/{each}/status").read_text().splitlines()
        except OSError:
            continue
        found["processes"] += 1
        for line in lines:
            name, _, value = line.partition(":")
            if name in {"VmHWM", "VmRSS"}:
                kib = int(value.split()[0])
                found[name] += kib
                if name == "VmHWM":
                    found["largest_VmHWM"] = max(found["largest_VmHWM"], kib)
    return found if found["processes"] else {}
