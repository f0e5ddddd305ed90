"""The API as a real server: `claimledger serve` on a free port against the scratch
database, one worker process per core, projector off, rate limit off, with a write key made
for the run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.jobs import Endpoint
from service.access import new_key

HOST = "127.0.0.1"
WORKERS = os.cpu_count() or 1
"""Server processes: one per core, as the README advises for a production server."""


class ServerFailed(RuntimeError):
    """The server did not come up; the message holds the end of its log."""


@contextmanager
def api_server(
    database_url: str, log: Path | None = None, settings: dict[str, str] | None = None
) -> Iterator[Callable[[], Endpoint]]:
    """Start the server (with further `settings`, as environment variables) and yield a
    function that waits until it answers and says where it listens (so that other work can
    go on while it starts); stop it after."""
    key, record = new_key("bench", "write")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="claimledger-bench-") as data_dir:
        log = log or Path(data_dir) / "server.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CLAIMLEDGER_API_KEYS": record.entry(),
            "CLAIMLEDGER_RATE_LIMIT": "0",
            "CLAIMLEDGER_ACCESS_LOG": "false",
            "CLAIMLEDGER_RUN_PROJECTOR": "false",
            "CLAIMLEDGER_DATA_DIR": data_dir,
            **(settings or {}),
        }
        command = [sys.executable, "-m", "service.cli.main", "serve", "--no-projector"]
        command += ["--no-migrate", "--host", HOST, "--port", str(port)]
        command += ["--workers", str(WORKERS)]
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                command, env=env, stdout=output, stderr=subprocess.STDOUT
            )

        def started() -> Endpoint:
            _wait_until_up(process, port, log)
            return Endpoint(HOST, port, key, process.pid)

        try:
            yield started
        finally:
            _stop(process)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _wait_until_up(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    if process.poll() is None and _answers(port):
        return
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"the server exited with {process.returncode}:\n{_tail(log)}")
        if _answers(port):
            return
        time.sleep(0.1)
    _stop(process)
    raise ServerFailed(f"the server did not answer within 60 s:\n{_tail(log)}")


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
