"""`claimledger serve` as a process of its own, for the tests that need a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from service.access import ApiKey, digest
from tests.helpers import WRITER_KEY

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CLAIMLEDGER = Path(sys.executable).with_name("claimledger")


@contextmanager
def served(
    database_url: str, log: Path, *options: str, settings: Mapping[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`claimledger serve` on a free port over the database, with the test writer's key,
    no rate limit, its data beside `log` and any further `settings`, once it answers: the
    process and its URL. Stopped with SIGTERM afterwards (killed if that takes over 30 s)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(CLAIMLEDGER), "serve", "--port", str(port), *options],
            cwd=PROJECT_ROOT,
            env={**environment(database_url, log.parent / "data"), **(settings or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: alive(base_url), 60, f"the service\n{tail(log)}")
        yield process, base_url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def environment(database_url: str, data_dir: Path) -> dict[str, str]:
    """The environment `claimledger serve` runs in for the tests: this one's, without its
    CLAIMLEDGER_ settings, plus the database, the test writer's key and no rate limit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    env.update(
        DATABASE_URL=database_url,
        CLAIMLEDGER_API_KEYS=ApiKey("writer", "write", digest(WRITER_KEY)).entry(),
        CLAIMLEDGER_RATE_LIMIT="0",
        CLAIMLEDGER_DATA_DIR=str(data_dir),
    )
    return env


def alive(base_url: str) -> bool:
    """Whether the service answers `GET /health` with 200."""
    try:
        return httpx.get(base_url + "/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Wait until the condition holds; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.05)


def tail(log: Path, lines: int = 40) -> str:
    """The end of a log file."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
