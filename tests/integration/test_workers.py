"""`claimledger serve --workers 2`: two server processes on one port, the projector in the
process that started them; a worker that dies is started again; SIGTERM stops them all, and
workers whose starter was killed outright stop on their own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bench.cpu import process_tree
from service.access import ApiKey, digest
from tests.helpers import WRITER_KEY, article, writer_headers

PROJECT_ROOT = Path(__file__).parents[2]
CLAIMLEDGER = Path(sys.executable).parent / "claimledger"
KUPIANSK = "geonames:703656"


@pytest.fixture
def served(clean_database: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    env.update(
        DATABASE_URL=clean_database,
        CLAIMLEDGER_API_KEYS=ApiKey("writer", "write", digest(WRITER_KEY)).entry(),
        CLAIMLEDGER_DATA_DIR=str(tmp_path),
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(CLAIMLEDGER), "serve", "--workers", "2", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: _answers(base_url) and len(_workers(process)) == 2, log)
        yield process, base_url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_workers_serve_one_port_and_see_what_the_projector_wrote(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    _, base_url = served
    response = httpx.post(base_url + "/articles", json=article(), headers=writer_headers())
    assert response.status_code == 201, response.text

    def projected() -> bool:
        # A new connection each time: the kernel hands each to either worker.
        answer = httpx.get(f"{base_url}/places/{KUPIANSK}/claims?as_of=2025-11-20")
        return answer.status_code == 200 and answer.json()["total"] == 2

    _until(projected)
    assert all(projected() for _ in range(20))


def test_a_worker_that_dies_is_started_again_and_sigterm_stops_them_all(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, base_url = served
    first = _workers(process)
    os.kill(first[0], signal.SIGKILL)
    _until(lambda: len(_workers(process)) == 2 and first[0] not in _workers(process))
    _until(lambda: all(_answers(base_url) for _ in range(10)))

    everyone = process_tree(process.pid)
    process.terminate()
    assert process.wait(timeout=30) == 0
    _until(lambda: not [pid for pid in everyone if _alive(pid)], seconds=10)


def test_workers_stop_when_the_process_that_started_them_is_killed(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, _ = served
    workers = _workers(process)
    process.kill()
    process.wait()
    _until(lambda: not [pid for pid in workers if _alive(pid)], seconds=20)


def _workers(process: subprocess.Popen[bytes]) -> list[int]:
    """The server's worker processes (its children that are not multiprocessing's helper)."""
    return [
        pid
        for pid in process_tree(process.pid)[1:]
        if b"resource_tracker" not in _command(pid) and _alive(pid)
    ]


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(base_url + "/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _until(condition: Callable[[], bool], log: Path | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log else ""
            raise AssertionError(f"not within {seconds:.0f} s\n{tail}")
        time.sleep(0.1)
