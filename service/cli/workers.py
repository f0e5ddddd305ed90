"""Several server processes on one port.

The starting process holds the listening socket. It accepts every connection and hands it
to the workers in turn: the descriptor travels over a Unix socket pair (SCM_RIGHTS), and the
worker's uvicorn serves it as if it had accepted it. So a few long-lived connections are
spread evenly, one here, one there. Were each worker to listen on the port itself
(SO_REUSEPORT), the kernel would place connections by a hash of their addresses, and two
connections would land on the same worker half of the time; with one shared socket,
whichever worker woke first would take a whole burst.

The starting process also watches the workers: it starts a worker again when one dies, and
stops them all on SIGINT or SIGTERM, each finishing the requests it has (uvicorn's graceful
shutdown). A worker stops the same way when its end of the pair closes: its starter is gone.
"""

from __future__ import annotations

import asyncio
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

import uvicorn

log = logging.getLogger(__name__)

_SPAWN = multiprocessing.get_context("spawn")
_EARLY_EXIT_SECONDS = 10.0
"""A worker that fails this soon after it started (exits with an error, rather than being
killed) is not started again: it would only fail again (the settings are wrong, say);
the whole server stops instead."""
_STOP_SECONDS = 10.0
"""How long the workers have, together, to finish what they have once told to stop."""
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_BACKLOG = 2048


class WorkerFailed(RuntimeError):
    """A worker process ended soon after it started."""


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's listening socket on host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=_BACKLOG)


def supervise(
    count: int, target: Callable[..., None], args: tuple[Any, ...], listener: socket.socket
) -> None:
    """Run `count` processes of `target(*args, channel)` until SIGINT or SIGTERM, then stop
    them, handing them the connections accepted on `listener` in turn; each serves those
    that arrive on its `channel` (`HandedConnections`). `target` and `args` must be
    picklable (the processes are spawned)."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOP_SIGNALS}
    handoff = _Handoff(listener, count)
    accepting = threading.Thread(target=handoff.run, args=(stop,), name="accept", daemon=True)
    workers: list[tuple[BaseProcess, float]] = []
    try:
        workers = [_start(target, args, handoff.channel(index)) for index in range(count)]
        accepting.start()
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
                workers[index] = _start(target, args, handoff.channel(index))
    finally:
        stop.set()
        if accepting.is_alive():
            accepting.join()
        listener.close()
        for process, _ in workers:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes what it has, then exits
        deadline = time.monotonic() + _STOP_SECONDS
        for process, _ in workers:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        handoff.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class HandedConnections(uvicorn.Server):
    """uvicorn serving the connections its starter hands it over `channel`, rather than
    those of a listening socket of its own."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self._channel = channel
        self._opening: set[asyncio.Task[Any]] = set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        loop = asyncio.get_running_loop()
        config, state = self.config, self.server_state

        def protocol() -> asyncio.Protocol:
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=state, app_state=self.lifespan.state, _loop=loop
            )

        self._channel.setblocking(False)
        loop.add_reader(self._channel.fileno(), self._receive, loop, protocol)

    def _receive(
        self, loop: asyncio.AbstractEventLoop, protocol: Callable[[], asyncio.Protocol]
    ) -> None:
        while True:
            try:
                message, descriptors, _, _ = socket.recv_fds(self._channel, 16, 4)
            except (BlockingIOError, InterruptedError):
                return
            if not message:  # the starter is gone: nobody hands connections any more
                loop.remove_reader(self._channel.fileno())
                self.should_exit = True
                return
            for descriptor in descriptors:
                try:
                    connection = socket.socket(fileno=descriptor)
                except OSError:  # closed by its caller already
                    os.close(descriptor)
                    continue
                opening = loop.create_task(loop.connect_accepted_socket(protocol, connection))
                self._opening.add(opening)
                opening.add_done_callback(self._opened)

    def _opened(self, opening: asyncio.Task[Any]) -> None:
        self._opening.discard(opening)
        if not opening.cancelled() and opening.exception() is not None:
            log.debug("a handed connection could not be opened: %s", opening.exception())

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self._channel.fileno() >= 0:
            asyncio.get_running_loop().remove_reader(self._channel.fileno())
            self._channel.close()
        await super().shutdown(sockets=sockets)


class _Handoff:
    """The starter's side: accepts connections and sends each to the next worker."""

    def __init__(self, listener: socket.socket, workers: int) -> None:
        listener.settimeout(0.5)
        self._listener = listener
        self._channels: list[socket.socket | None] = [None] * workers
        self._lock = threading.Lock()
        self._turn = 0

    def channel(self, index: int) -> socket.socket:
        """A new pair for worker `index` (replacing the one it had): the worker's end."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)  # a worker that does not read does not hold the others up
        with self._lock:
            replaced, self._channels[index] = self._channels[index], ours
        if replaced is not None:
            replaced.close()
        return theirs

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue  # a chance to see `stop`
            except OSError as error:  # out of descriptors, say: try again shortly
                log.warning("could not accept a connection: %s", error)
                time.sleep(0.1)
                continue
            with connection:
                self._hand(connection)

    def _hand(self, connection: socket.socket) -> None:
        with self._lock:
            for _ in self._channels:
                channel = self._channels[self._turn]
                self._turn = (self._turn + 1) % len(self._channels)
                if channel is None:
                    continue
                try:
                    socket.send_fds(channel, [b"c"], [connection.fileno()])
                except OSError:  # that worker is gone, or has a full queue
                    continue
                return
        log.warning("no worker could take a connection; it was closed")

    def close(self) -> None:
        with self._lock:
            for channel in self._channels:
                if channel is not None:
                    channel.close()


def _start(
    target: Callable[..., None], args: tuple[Any, ...], channel: socket.socket
) -> tuple[BaseProcess, float]:
    process = _SPAWN.Process(target=target, args=(*args, channel), daemon=False)
    process.start()
    channel.close()  # the worker has its own copy now
    return process, time.monotonic()
