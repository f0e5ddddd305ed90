"""Sampling the API server under load with py-spy, when it is installed (it is not a
dependency: `uv tool install py-spy`), and the frames that took the most samples."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_LINE = re.compile(r":\d+\)$")


def py_spy() -> str | None:
    """The py-spy executable: on PATH, beside this interpreter, or where uv installs tools."""
    for candidate in (
        shutil.which("py-spy"),
        str(Path(sys.executable).with_name("py-spy")),
        str(Path.home() / ".local" / "bin" / "py-spy"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@contextmanager
def sampling(pid: int, seconds: float, output: Path) -> Iterator[list[str]]:
    """Record the process's stacks for `seconds` (collapsed, one stack a line) while the
    block runs; the yielded list holds py-spy's complaints, if any, afterwards."""
    executable = py_spy()
    problems: list[str] = []
    if executable is None:
        problems.append("py-spy is not installed (uv tool install py-spy)")
        yield problems
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [executable, "record", "--pid", str(pid), "--duration", str(max(1, int(seconds)))]
    # --gil: only stacks holding an interpreter lock, i.e. where each server process's core
    # went; --subprocesses: the workers too.
    command += ["--rate", "200", "--gil", "--subprocesses", "--format", "raw"]
    command += ["--output", str(output)]
    process = subprocess.Popen(  # noqa: S603 - py-spy found above, our arguments
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        yield problems
    finally:
        printed, _ = process.communicate(timeout=seconds + 60)
        if process.returncode != 0:
            problems.append(printed.decode(errors="replace").strip()[-500:])


def top_frames(collapsed: Path, count: int = 15) -> dict[str, Any]:
    """The frames with most samples on top of the stack (self) and anywhere in it
    (inclusive; the project's own functions only, the event loop's frames being in every
    stack), and the samples on top of the stack per package, as shares of all samples. Line
    numbers are dropped so a function counts once."""
    own: Counter[str] = Counter()
    within: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        samples = int(number)
        frames = [_LINE.sub(")", frame) for frame in stack.split(";")]
        total += samples
        own[frames[-1]] += samples
        packages[_package(frames[-1])] += samples
        for frame in set(frames):
            if _package(frame) in _PROJECT:
                within[frame] += samples
    share = total or 1
    # Frames in (nearly) every stack, the command line's entry points, say nothing.
    everywhere = 0.95 * max(within.values(), default=0)
    for frame in [f for f, n in within.items() if n >= everywhere]:
        del within[frame]
    return {
        "samples": total,
        "self": [(frame, n / share) for frame, n in own.most_common(count)],
        "inclusive_project": [(frame, n / share) for frame, n in within.most_common(count)],
        "self_by_package": [(name, n / share) for name, n in packages.most_common(count)],
    }


_PROJECT = {"service", "infra", "domain"}


def _package(frame: str) -> str:
    """The top folder (or module) of a frame's file: `litestar`, `psycopg`, `service`..."""
    where = frame.rpartition("(")[2].rstrip(")")
    first = where.lstrip("/").split("/")[0]
    return first.removesuffix(".py") or "?"
