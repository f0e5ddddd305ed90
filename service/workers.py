"""Several server processes on one port.

Each worker binds a socket of its own with SO_REUSEPORT, so the kernel spreads new
connections among them (with one shared socket, whichever process woke first took a whole
burst of connections, and kept them for as long as they stayed open). The process that
started them watches them: it starts a worker again when one dies, and stops them all on
SIGINT or SIGTERM, each finishing the requests it has (uvicorn's graceful shutdown). A
worker whose starter is gone (killed outright) stops itself the same way.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any

log = logging.getLogger(__name__)

_SPAWN = multiprocessing.get_context("spawn")
_EARLY_EXIT_SECONDS = 10.0
"""A worker that fails this soon after it started (exits with an error, rather than being
killed) is not started again: it would only fail again (the port is taken, the settings are
wrong); the whole server stops instead."""
_STOP_SECONDS = 10.0
"""How long the workers have, together, to finish what they have once told to stop."""
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class WorkerFailed(RuntimeError):
    """A worker process ended soon after it started."""


def reusable_socket(host: str, port: int) -> socket.socket:
    """A listening socket on host:port that other processes may bind too (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def supervise(count: int, target: Callable[..., None], args: tuple[Any, ...]) -> None:
    """Run `count` processes of `target(*args)` until SIGINT or SIGTERM, then stop them;
    `target` and `args` must be picklable (the processes are spawned)."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOP_SIGNALS}
    workers: list[tuple[BaseProcess, float]] = []
    try:
        workers = [_start(target, args) for _ in range(count)]
        while not stop.wait(0.5):
            for index, (process, started) in enumerate(workers):
                if process.is_alive():
                    continue
                failed = process.exitcode is not None and process.exitcode > 0
                if failed and time.monotonic() - started < _EARLY_EXIT_SECONDS:
                    raise WorkerFailed(
                        f"a worker process exited with code {process.exitcode} as it started"
                    )
                log.warning(
                    "worker %s exited with code %s; starting another", index, process.exitcode
                )
                workers[index] = _start(target, args)
    finally:
        for process, _ in workers:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes what it has, then exits
        deadline = time.monotonic() + _STOP_SECONDS
        for process, _ in workers:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_with_starter() -> None:
    """In a worker: once the process that started it is gone, stop as SIGTERM would make
    it (checked once a second, on a thread of its own)."""
    starter = os.getppid()

    def watch() -> None:
        while os.getppid() == starter:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="starter-watch", daemon=True).start()


def _start(target: Callable[..., None], args: tuple[Any, ...]) -> tuple[BaseProcess, float]:
    process = _SPAWN.Process(target=target, args=args, daemon=False)
    process.start()
    return process, time.monotonic()
