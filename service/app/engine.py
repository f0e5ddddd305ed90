"""How the ledger writes: a unit of work over the aggregates a write touches, appended in
one transaction; turns per aggregate within the process (striped locks), retries across
processes, and writes prepared before their turn, rebased when others wrote first."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from uuid import UUID

from domain.aggregate import Aggregate
from domain.claim import REBASEABLE, Claim
from domain.events import ClaimRecorded
from infra.eventstore.recorder import StoredColumns
from infra.eventstore.store import ConcurrentWrite, EventStore
from service.app.errors import Conflict

T = TypeVar("T")
_ATTEMPTS = 12
_BACKOFF = 0.002


@dataclass
class Unit:
    """The aggregates touched by one write: some loaded whole, some known by their latest
    version alone."""

    stored: dict[UUID, list[Any]]
    versions: dict[UUID, int] = field(default_factory=dict)
    touched: dict[UUID, Aggregate] = field(default_factory=dict)

    def held(self, aggregate_id: UUID) -> bool:
        """Whether the store holds the aggregate or this write has started it."""
        return any(aggregate_id in known for known in (self.stored, self.versions, self.touched))

    def claim(self, claim_id: UUID) -> Claim | None:
        if claim_id not in self.touched:
            stored = self.stored.get(claim_id)
            # Another aggregate's id (an article's, say) names no claim.
            if stored and isinstance(stored[0], ClaimRecorded):
                self.touched[claim_id] = Claim.replay(claim_id, stored)
            elif claim_id in self.versions:
                self.touched[claim_id] = Claim.resume(claim_id, self.versions[claim_id])
        found = self.touched.get(claim_id)
        return found if isinstance(found, Claim) else None

    def pending(self) -> list[tuple[UUID, int, Any]]:
        return [
            (agg.id, version, event)
            for agg in self.touched.values()
            for version, event in agg.collect_events()
        ]


class Stripes:
    """A fixed set of locks, one per stripe of aggregate ids. A writer holds the stripes of
    every aggregate it loads, always taken in stripe order, so two writers cannot wait for
    each other in a cycle."""

    def __init__(self, count: int = 1024) -> None:
        self._locks = [threading.Lock() for _ in range(count)]

    @contextmanager
    def holding(self, ids: Sequence[UUID]) -> Iterator[None]:
        """Hold the stripes of `ids`."""
        stripes = sorted({i.int % len(self._locks) for i in ids})
        with ExitStack() as held:
            for stripe in stripes:
                held.enter_context(self._locks[stripe])
            yield


class Journal:
    """The versions this process's latest writes appended, write by write, so that a write
    prepared before its turn can tell which of its aggregates others wrote to meanwhile."""

    def __init__(self, keep: int = 64) -> None:
        self._lock = threading.Lock()
        self._writes: deque[tuple[int, dict[UUID, int]]] = deque(maxlen=keep)
        self._count = 0

    def mark(self) -> int:
        """Where the journal stands: take it before reading what the write is prepared on."""
        with self._lock:
            return self._count

    def record(self, stored: StoredColumns) -> None:
        """Note an append (in the writer's turn, once it is committed)."""
        latest = dict(zip(stored.ids, stored.versions, strict=True))
        with self._lock:
            self._count += 1
            self._writes.append((self._count, latest))

    def since(self, mark: int) -> dict[UUID, int] | None:
        """The latest version written to each aggregate by the writes recorded after the
        mark; None when the journal no longer reaches back that far."""
        with self._lock:
            later = [latest for count, latest in self._writes if count > mark]
            if len(later) < self._count - mark:
                return None
        written: dict[UUID, int] = {}
        for latest in later:
            written.update(latest)
        return written


@dataclass
class Prepared:
    """A write's events made and encoded before its turn, on the versions read after the
    journal's mark, with what the work returned."""

    mark: int
    pending: list[tuple[UUID, int, Any]]
    stored: StoredColumns
    result: Any


class WriteEngine:
    """Runs writes on the store: `write` loads, works, appends, and starts over on a
    collision."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._stripes = Stripes()
        self._journal = Journal()

    def write(
        self, ids: Sequence[UUID], work: Callable[[Unit], T], versioned: Sequence[UUID] = ()
    ) -> tuple[T, int]:
        """Load the aggregates (those `versioned` by their latest version alone), do the
        work, append its events in one transaction; start over when another writer got to
        one of the same aggregates first. The work's result, and the position of the last
        event appended (0 when it appended none).

        Writers in this process that touch the same aggregates take turns (a striped lock
        per aggregate), so they do not collide at all; writers in other processes collide
        at the store, reload and try again after a random wait.

        A write with aggregates `versioned`, which adds only a new article's evidence and
        contestations, is made and encoded before its turn, and appended in it as
        `_append_prepared` says; when that cannot be, it starts over."""
        prepared = self._prepare(ids, work, versioned) if versioned else None
        with self._stripes.holding([*ids, *versioned]):
            if prepared is not None:
                position = self._append_prepared(prepared)
                if position is not None:
                    return cast(T, prepared.result), position
            for attempt in range(_ATTEMPTS):
                unit = self._unit(ids, versioned)
                result = work(unit)
                try:
                    position = self._append(self.store.encode(unit.pending()))
                except ConcurrentWrite:
                    # Start again at a random moment, so as not to collide again in step;
                    # the wait doubles up to about 0.1 s.
                    time.sleep(random.uniform(0, _BACKOFF * 2 ** min(attempt, 6)))  # noqa: S311 - jitter, not secrecy
                    continue
                return result, position
        raise Conflict("concurrent writes kept colliding; retry the request")

    def _prepare(
        self, ids: Sequence[UUID], work: Callable[[Unit], T], versioned: Sequence[UUID]
    ) -> Prepared:
        mark = self._journal.mark()
        unit = self._unit(ids, versioned)
        result = work(unit)
        pending = unit.pending()
        return Prepared(mark, pending, self.store.encode(pending), result)

    def _unit(self, ids: Sequence[UUID], versioned: Sequence[UUID]) -> Unit:
        return Unit(self.store.load(ids), self.store.versions(versioned))

    def _append_prepared(self, prepared: Prepared) -> int | None:
        """Append a write made before its turn, its events for each claim written to
        meanwhile made again on the claim's new version. The journal tells which of them
        this process's writers appended to; when the store still finds a version taken,
        a writer in another process got there first, and the versions the store now holds
        tell. The position of its last event; None when the write must start over: an
        article was written meanwhile, the journal cannot tell, or the collisions go on."""
        written = self._journal.since(prepared.mark)
        for _ in range(_ATTEMPTS):
            stored = None if written is None else self._rebased(prepared, written)
            if stored is None:
                return None
            try:
                return self._append(stored)
            except ConcurrentWrite:
                written = self.store.versions(prepared.stored.ids)
        return None

    def _rebased(self, prepared: Prepared, written: dict[UUID, int]) -> StoredColumns | None:
        """The prepared rows, with the events of each aggregate `written` past the version
        they were made on made again on its new version; None when that cannot be (an
        article written meanwhile)."""
        first: dict[UUID, int] = {}
        for aggregate_id, version, _ in prepared.pending:
            first.setdefault(aggregate_id, version)
        moved = {i: written[i] for i, version in first.items() if written.get(i, 0) >= version}
        if not moved:
            return prepared.stored
        events: dict[UUID, list[Any]] = {i: [] for i in moved}
        for aggregate_id, _, event in prepared.pending:
            if aggregate_id in moved:
                if not isinstance(event, REBASEABLE):
                    return None
                events[aggregate_id].append(event)
        again = {i: Claim.rebased(i, moved[i], events[i]).collect_events() for i in moved}
        if any(len(again[i]) != len(events[i]) for i in moved):
            return None
        made = {i: iter(self.store.encode((i, v, e) for v, e in again[i])) for i in moved}
        stored, rebased = prepared.stored, StoredColumns()
        for index, aggregate_id in enumerate(stored.ids):
            if aggregate_id in moved:
                row = next(made[aggregate_id])
                rebased.add(aggregate_id, row.originator_version, row.topic, row.state)
            else:
                rebased.add(
                    aggregate_id, stored.versions[index], stored.topics[index], stored.states[index]
                )
        return rebased

    def _append(self, stored: StoredColumns) -> int:
        positions = self.store.append(stored)
        self._journal.record(stored)
        return positions[-1] if positions else 0
