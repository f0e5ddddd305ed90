"""Rebuilding every read model from a large generated history, beside the raw rate of
reading and decoding the same events (the floor any rebuild sits on), in the same run.

    .venv/bin/python bench/rebuild.py [--articles N] [--batch-size N]

It uses a scratch database on DATABASE_URL's server (else 127.0.0.1:5432, else an
embedded one) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from infra.postgres.database import psycopg_conninfo
from infra.readmodels import BATCH_SIZE
from infra.readmodels.projector import Projector
from infra.readmodels.rebuild import read_batches, rebuild
from tests.synthetic.history import generate, scratch_database

GOAL = 20_000


@dataclass(frozen=True)
class Timed:
    """How many events a pass took in, and how long it took."""

    events: int
    seconds: float

    @property
    def rate(self) -> float:
        """Events per second."""
        return self.events / self.seconds if self.seconds else 0.0


def raw_read(url: str, batch_size: int, on_batch: Callable[[int], None] | None = None) -> Timed:
    """Read every event in order and decode it, as a rebuild does, writing nothing."""
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        started = time.perf_counter()
        read = 0
        for batch in read_batches(conn, 0, batch_size):
            for event in batch:
                event.decode()
            read += len(batch)
            if on_batch:
                on_batch(len(batch))
        return Timed(read, time.perf_counter() - started)


def timed_rebuild(
    url: str, batch_size: int, on_batch: Callable[[int], None] | None = None
) -> Timed:
    """Rebuild every read model from the first event."""
    started = time.perf_counter()
    rebuilt = rebuild(url, batch_size=batch_size, on_batch=on_batch)
    return Timed(rebuilt, time.perf_counter() - started)


def main() -> None:
    """Generate a history, time a raw read-and-decode pass, then a rebuild."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40_000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()
    with scratch_database() as url:
        started = time.perf_counter()
        events = generate(url, args.articles)
        print(
            f"history: {events:,} events from {args.articles:,} articles"
            f" (generated in {time.perf_counter() - started:.1f} s)"
        )
        raw = raw_read(url, args.batch_size)
        first = timed_rebuild(url, args.batch_size)
        models = _fingerprint(url)
        second = timed_rebuild(url, args.batch_size)
        same = _fingerprint(url) == models

    with scratch_database() as small:
        # A projector taking one event per transaction, as a per-event runner does, on a
        # smaller history of the same shape (at its pace the large one would take minutes).
        single_events = generate(small, 500)
        started = time.perf_counter()
        Projector(small, batch_size=1).catch_up()
        single_seconds = time.perf_counter() - started

    assert raw.events == first.events == events
    print(f"raw read and decode:     {raw.rate:>10,.0f} events/s ({raw.seconds:.2f} s)")
    print(f"rebuild, empty models:   {first.rate:>10,.0f} events/s ({first.seconds:.2f} s)")
    print(f"rebuild, full models:    {second.rate:>10,.0f} events/s ({second.seconds:.2f} s)")
    print(
        f"one event per transaction: {single_events / single_seconds:>8,.0f} events/s"
        f" ({single_events:,} events)"
    )
    print(f"rebuild / raw read:      {second.rate / raw.rate:>10.2f}")
    print(f"read models identical after the second rebuild: {'yes' if same else 'NO'}")
    verdict = "met" if min(first.rate, second.rate) >= GOAL else "NOT met"
    print(f"goal {GOAL:,} events/s:    {verdict}")


def _fingerprint(url: str) -> dict[str, str]:
    """A digest of every read-model table's rows, in a stable order."""
    tables = ("articles", "claims", "claim_evidence", "claim_contestations", "claim_retractions")
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        return {
            table: str(
                conn.execute(
                    f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {table} t"
                ).fetchone()
            )
            for table in tables
        }


if __name__ == "__main__":
    main()
