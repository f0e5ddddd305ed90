"""Closed-loop load: latencies and throughput, with the CPU each run used (bench.cpu).

The loops run in a process of their own (see LoadProcess), so the generator shares no
interpreter lock with the harness, and its own CPU is measured, not guessed.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from bench.cpu import Usage, Watch

T = TypeVar("T")
_progress: Any = None  # the shared counter, in the load process


@dataclass(frozen=True)
class Latency:
    """Latency percentiles of a run, in milliseconds."""

    p50: float
    p90: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        """The percentiles (nearest rank) of a list of latencies in seconds."""
        if not seconds:
            return cls(0.0, 0.0, 0.0, 0.0, 0.0)
        ordered = sorted(seconds)

        def rank(q: float) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

        return cls(
            rank(0.5), rank(0.9), rank(0.99), ordered[-1] * 1000, 1000 * sum(ordered) / len(ordered)
        )


@dataclass(frozen=True)
class LoadResult:
    """What a run did: requests, failures, units of work (articles, events), time, latency
    and CPU."""

    requests: int
    errors: int
    units: int
    seconds: float
    latency: Latency
    usage: Usage
    first_error: str | None = None
    retries: int = 0

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def unit_rate(self) -> float:
        """Units of work per second."""
        return self.units / self.seconds if self.seconds else 0.0


class _Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.requests = self.errors = self.units = 0
        self.first_error: str | None = None

    def failed(self, error: BaseException) -> None:
        self.errors += 1
        self.first_error = self.first_error or f"{type(error).__name__}: {error}"[:300]


Call = Callable[[int], Awaitable[int]]


async def closed_loop(
    call: Call, concurrency: int, warmup: float, duration: float, watch: Watch
) -> LoadResult:
    """`concurrency` workers each sending request after request (`call(i)` for i = 0, 1, ...
    spread over the workers) for `warmup` seconds unmeasured, then `duration` measured."""
    await _run_until(call, concurrency, time.perf_counter() + warmup, _Tally())
    tally = _Tally()
    with watch.window() as usage:
        started = time.perf_counter()
        await _run_until(call, concurrency, started + duration, tally, count=True)
        seconds = time.perf_counter() - started
    return _result(tally, seconds, usage[0])


async def _run_until(
    call: Call, concurrency: int, deadline: float, tally: _Tally, *, count: bool = False
) -> None:
    async def worker(first: int) -> None:
        index = first
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                tally.units += await call(index)
                tally.requests += 1
                if count and _progress is not None:
                    _progress.value += 1
            except Exception as error:  # noqa: BLE001 - counted and reported, not hidden
                tally.failed(error)
            tally.latencies.append(time.perf_counter() - started)
            index += concurrency

    await asyncio.gather(*(worker(i) for i in range(concurrency)))


async def drain(call: Call, items: int, concurrency: int, watch: Watch) -> LoadResult:
    """Send each of `items` requests once, `concurrency` at a time; the units each call
    returns advance the progress counter."""
    tally = _Tally()
    pending = iter(range(items))

    async def worker() -> None:
        for index in pending:
            started = time.perf_counter()
            try:
                done = await call(index)
                tally.units += done
                tally.requests += 1
                if _progress is not None:
                    _progress.value += done
            except Exception as error:  # noqa: BLE001 - counted and reported, not hidden
                tally.failed(error)
            tally.latencies.append(time.perf_counter() - started)

    with watch.window() as usage:
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return _result(tally, seconds, usage[0])


def _result(tally: _Tally, seconds: float, usage: Usage) -> LoadResult:
    return LoadResult(
        requests=tally.requests,
        errors=tally.errors,
        units=tally.units,
        seconds=seconds,
        latency=Latency.of(tally.latencies),
        usage=usage,
        first_error=tally.first_error,
    )


def _initialise(counter: Any) -> None:
    global _progress  # noqa: PLW0603 - the shared counter handed to the load process
    _progress = counter


class LoadProcess:
    """One load-generator process for the whole run (started once, so each step does not
    pay for imports again), with a shared counter for progress bars."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._counter = context.Value("q", 0)
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=context,
            initializer=_initialise,
            initargs=(self._counter,),
        )
        self._pool.submit(int)  # start the process (and its imports) now, not at first use

    def run(
        self,
        job: Callable[..., T],
        *args: Any,
        on_progress: Callable[[int], None] | None = None,
        seconds: float | None = None,
    ) -> T:
        """Run `job(*args)` in the load process. While waiting, report its progress: the
        units its counter reached, or with `seconds`, tenths of a second gone by."""
        with self._counter.get_lock():
            self._counter.value = 0
        future: Future[T] = self._pool.submit(job, *args)
        started, seen = time.perf_counter(), 0
        while not future.done():
            with suppress(TimeoutError):
                future.result(timeout=0.1)
            if seconds is None:
                now = int(self._counter.value)
            else:
                now = min(int(10 * seconds), int(10 * (time.perf_counter() - started)))
            if on_progress and now > seen:
                on_progress(now - seen)
                seen = now
        return future.result()

    def close(self) -> None:
        """Stop the load process."""
        self._pool.shutdown(wait=True, cancel_futures=True)
