"""The data folder's lock and leases: which processes use the server, and one at a time
starting or stopping it."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from infra.postgres.embedded.system import (
    EmbeddedPostgresError,
    pid_alive,
    process_start_time,
)


class FolderLeases:
    """`<data_dir>/.lock`, an flock taken while the server is started or stopped, and
    `<data_dir>/leases/`, one file per live instance that uses the server."""

    def __init__(self, data_dir: Path, timeout: float) -> None:
        self.data_dir = data_dir
        self._timeout = timeout

    def take(self) -> Path:
        """Record that this instance uses the server; must hold the folder lock."""
        leases = self.data_dir / "leases"
        leases.mkdir(exist_ok=True)
        pid = os.getpid()
        lease = leases / f"{pid}-{secrets.token_hex(4)}"
        lease.write_text(json.dumps({"pid": pid, "start_time": process_start_time(pid)}))
        return lease

    def live(self) -> list[Path]:
        """Return the leases of live processes and delete the rest; must hold the folder lock."""
        leases = self.data_dir / "leases"
        live: list[Path] = []
        for lease in sorted(leases.iterdir()) if leases.is_dir() else []:
            try:
                record = json.loads(lease.read_text())
                pid = int(record["pid"])
            except (OSError, ValueError, KeyError, TypeError):
                lease.unlink(missing_ok=True)
                continue
            started = record.get("start_time")
            if pid_alive(pid) and (started is None or process_start_time(pid) in (None, started)):
                live.append(lease)
            else:
                lease.unlink(missing_ok=True)
        return live

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold an exclusive flock on <data_dir>/.lock (across processes and threads)."""
        import fcntl

        lock_file = self.data_dir / ".lock"
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            handle = open(lock_file, "a")  # noqa: SIM115 - closed by the with below
        except PermissionError as exc:
            raise EmbeddedPostgresError(
                f"cannot use {self.data_dir} (it belongs to another user?): {exc}"
            ) from exc
        with handle:
            deadline = time.monotonic() + self._timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise EmbeddedPostgresError(
                            f"timed out after {self._timeout:.0f}s waiting for {lock_file}: "
                            "another process is starting or stopping this server"
                        ) from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
