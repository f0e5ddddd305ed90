"""`claimledger serve --workers 2`: two server processes on one port, the projector in the
process that started them; connections are handed to the workers in turn; a worker that
dies is started again; SIGTERM stops them all, and workers whose starter was killed outright
stop on their own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.cpu import process_tree
from tests.helpers import article, writer_headers
from tests.integration.served import (
    CLAIMLEDGER,
    PROJECT_ROOT,
    alive,
    environment,
    served,
    tail,
    wait_for,
)

KUPIANSK = "geonames:703656"


@pytest.fixture
def service(clean_database: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    log = tmp_path / "serve.log"
    with served(clean_database, log, "--workers", "2") as (process, base_url):
        wait_for(lambda: len(_workers(process)) == 2, 60, f"two workers\n{tail(log)}")
        yield process, base_url


def test_workers_serve_one_port_and_see_what_the_projector_wrote(
    service: tuple[subprocess.Popen[bytes], str],
) -> None:
    _, base_url = service
    response = httpx.post(base_url + "/articles", json=article(), headers=writer_headers())
    assert response.status_code == 201, response.text

    def projected() -> bool:
        # A new connection each time: each goes to the other worker.
        answer = httpx.get(f"{base_url}/places/{KUPIANSK}/claims?as_of=2025-11-20")
        return answer.status_code == 200 and answer.json()["total"] == 2

    wait_for(projected, 60, "the claims to be projected")
    assert all(projected() for _ in range(20))


def test_connections_are_handed_to_the_workers_in_turn(
    service: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, base_url = service
    port = int(base_url.rpartition(":")[2])
    clients = [httpx.Client(base_url=base_url) for _ in range(6)]
    try:
        for client in clients:  # each keeps its one connection open
            assert client.get("/health").status_code == 200
        held = sorted(_connections_held(pid, port) for pid in _workers(process))
        assert held == [3, 3]
    finally:
        for client in clients:
            client.close()


def test_a_worker_that_dies_is_started_again_and_sigterm_stops_them_all(
    service: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, base_url = service
    first = _workers(process)
    os.kill(first[0], signal.SIGKILL)
    wait_for(
        lambda: len(_workers(process)) == 2 and first[0] not in _workers(process),
        60,
        "a new worker",
    )
    wait_for(lambda: all(alive(base_url) for _ in range(10)), 60, "ten answers in a row")

    everyone = process_tree(process.pid)
    process.terminate()
    assert process.wait(timeout=30) == 0
    wait_for(lambda: not [pid for pid in everyone if _alive(pid)], 10, "every process to end")


def test_workers_stop_when_the_process_that_started_them_is_killed(
    service: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, _ = service
    workers = _workers(process)
    process.kill()
    process.wait()
    wait_for(lambda: not [pid for pid in workers if _alive(pid)], 20, "the workers to end")


def test_a_port_already_taken_is_reported_before_any_worker_starts(
    clean_database: str, tmp_path: Path
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        finished = subprocess.run(
            [str(CLAIMLEDGER), "serve", "--port", str(port), "--workers", "2"],
            cwd=PROJECT_ROOT,
            env=environment(clean_database, tmp_path / "data"),
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert finished.returncode == 2
    error = finished.stderr.decode()
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in error
    assert "another port with --port" in error
    assert b"serving on" not in finished.stdout


def _workers(process: subprocess.Popen[bytes]) -> list[int]:
    """The server's worker processes (its children that are not multiprocessing's helper)."""
    return [
        pid
        for pid in process_tree(process.pid)[1:]
        if b"resource_tracker" not in _command(pid) and _alive(pid)
    ]


def _connections_held(pid: int, port: int) -> int:
    """How many established TCP connections to `port` the process has open."""
    sockets = set()
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(descriptor)
        except OSError:
            continue
        if target.startswith("socket:["):
            sockets.add(target.removeprefix("socket:[").removesuffix("]"))
    held = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rpartition(":")[2], 16)
        if local_port == port and fields[3] == "01" and fields[9] in sockets:
            held += 1
    return held


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
