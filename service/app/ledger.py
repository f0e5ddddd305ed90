"""The Ledger application service: ingest articles with their claims, contest claims."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar, cast
from uuid import UUID

from domain.aggregate import Aggregate
from domain.article import Article, ArticleDraft
from domain.claim import REBASEABLE, Claim, Contestation, Proposition
from domain.events import ArticleIngested, ClaimRecorded, DateWindow, Evidence
from domain.vocabulary import Side
from infra.eventstore.recorder import StoredColumns
from infra.eventstore.store import ConcurrentWrite, EventStore
from service.app.errors import Conflict, InvalidInput, NotFound

ANALYST = "analyst"
T = TypeVar("T")
_ATTEMPTS = 12
_BACKOFF = 0.002


@dataclass(frozen=True)
class ClaimDraft:
    """A claim as submitted with an article, its place resolved and its quote located."""

    proposition: Proposition
    claimant: str
    quote: str
    start: int
    end: int
    recorded_by: str = ANALYST
    confidence: float = 1.0
    local_id: str | None = None


@dataclass(frozen=True)
class ContestationDraft:
    """A rejection found in an article: of the n-th claim submitted with it, or of a stored
    claim by id."""

    target: int | UUID
    by: str
    by_side: Side
    contested_on: date
    contested_window: DateWindow | None
    quote: str
    start: int
    end: int
    field: str


@dataclass(frozen=True)
class Submission:
    """One article with the claims and contestations found in it."""

    article: ArticleDraft
    claims: Sequence[ClaimDraft] = ()
    contestations: Sequence[ContestationDraft] = ()
    field: str = "$"


@dataclass(frozen=True)
class IngestOutcome:
    """What became of one submitted article."""

    article_id: UUID
    created: bool
    claim_ids: list[UUID]
    local_ids: list[str | None]
    events: int = 0
    position: int = 0
    """The position of the write's last event (0 when it appended none)."""


@dataclass(frozen=True)
class Reextraction:
    """What a new reading of a stored article changed: evidence recorded, evidence
    withdrawn, contestations added."""

    article_id: UUID
    recorded: int = 0
    retracted: int = 0
    contested: int = 0
    position: int = 0
    """The position of the write's last event (0 when it appended none)."""


@dataclass(frozen=True)
class Recorded:
    """Whether a contestation or a retraction changed anything, and the position of its
    last event (0 when it appended none)."""

    created: bool
    position: int = 0


@dataclass
class _Unit:
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


class _Stripes:
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


class _Journal:
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
class _Prepared:
    """A write's events made and encoded before its turn, on the versions read after the
    journal's mark, with what the work returned."""

    mark: int
    pending: list[tuple[UUID, int, Any]]
    stored: StoredColumns
    result: Any


class Ledger:
    """Writes to the ledger: every method appends all its events in one transaction."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._stripes = _Stripes()
        self._journal = _Journal()

    def ingest(self, submissions: Sequence[Submission]) -> list[IngestOutcome]:
        """Record articles with their claims; an article already held appends nothing."""
        # A new article's claims take only evidence and contestations quoted from it, which
        # they cannot hold yet: their versions are all the write needs of them. A claim
        # named by id is read whole, as it may name no claim at all.
        outcomes, position = self._write(
            [r.target for s in submissions for r in s.contestations if isinstance(r.target, UUID)],
            lambda unit: [self._ingest_one(unit, s) for s in submissions],
            [
                i
                for s in submissions
                for i in (s.article.id, *(c.proposition.claim_id for c in s.claims))
            ],
        )
        return [replace(o, position=position) for o in outcomes]

    def contest(
        self, claim_id: UUID, contestation: Contestation, recorded_by: str = ANALYST
    ) -> Recorded:
        """Record a rejection of a stored claim; say whether it was new."""
        return Recorded(
            *self._write(
                [claim_id], lambda unit: _stored(unit, claim_id).contest(contestation, recorded_by)
            )
        )

    def retract(
        self,
        claim_id: UUID,
        reason: str,
        by: str,
        article_id: UUID | None = None,
        recorded_by: str = ANALYST,
    ) -> Recorded:
        """Withdraw a stored claim (or one article's evidence for it); say whether anything
        was still standing to withdraw."""
        return Recorded(
            *self._write(
                [claim_id],
                lambda unit: _stored(unit, claim_id).retract(reason, by, recorded_by, article_id),
            )
        )

    def reextract(
        self, article_id: UUID, submission: Submission, previous: Sequence[UUID], reason: str
    ) -> Reextraction:
        """Record what a new reading of a stored article finds that the ledger does not yet
        hold from it, and withdraw (with `reason`) the article's evidence for the claims in
        `previous` (those an extractor found in it before) that the new reading lacks."""
        found = [c.proposition.claim_id for c in submission.claims]

        def reread(unit: _Unit) -> Reextraction:
            recorded = retracted = contested = 0
            for draft in submission.claims:
                evidence = Evidence(draft.claimant, article_id, draft.quote, draft.start, draft.end)
                claim = unit.claim(draft.proposition.claim_id)
                if claim is None:
                    claim = Claim.record(
                        draft.proposition, evidence, draft.recorded_by, draft.confidence
                    )
                    unit.touched[claim.id] = claim
                    recorded += 1
                elif article_id not in claim.articles():
                    claim.corroborate(evidence, draft.recorded_by, draft.confidence)
                    recorded += 1
            recorded_by = submission.claims[0].recorded_by if submission.claims else ANALYST
            for claim_id in set(previous) - set(found):
                claim = unit.claim(claim_id)
                if claim is not None and claim.retract(
                    reason, "reextract", recorded_by, article_id
                ):
                    retracted += 1
            for rejection in submission.contestations:
                target = unit.claim(
                    found[rejection.target]
                    if isinstance(rejection.target, int)
                    else rejection.target
                )
                if target is not None and target.contest(
                    _found_contestation(rejection, article_id), recorded_by
                ):
                    contested += 1
            return Reextraction(article_id, recorded, retracted, contested)

        done, position = self._write([*found, *previous], reread)
        return replace(done, position=position)

    def _write(
        self, ids: Sequence[UUID], work: Callable[[_Unit], T], versioned: Sequence[UUID] = ()
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
        self, ids: Sequence[UUID], work: Callable[[_Unit], T], versioned: Sequence[UUID]
    ) -> _Prepared:
        mark = self._journal.mark()
        unit = self._unit(ids, versioned)
        result = work(unit)
        pending = unit.pending()
        return _Prepared(mark, pending, self.store.encode(pending), result)

    def _unit(self, ids: Sequence[UUID], versioned: Sequence[UUID]) -> _Unit:
        return _Unit(self.store.load(ids), self.store.versions(versioned))

    def _append_prepared(self, prepared: _Prepared) -> int | None:
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

    def _rebased(self, prepared: _Prepared, written: dict[UUID, int]) -> StoredColumns | None:
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

    def article(self, article_id: UUID) -> ArticleIngested:
        """The stored article, for checking a quote against its body."""
        events = self.store.load([article_id]).get(article_id)
        if not events or not isinstance(events[0], ArticleIngested):
            raise NotFound("article", article_id)
        return Article.replay(article_id, events).ingested  # type: ignore[return-value]

    def _ingest_one(self, unit: _Unit, submission: Submission) -> IngestOutcome:
        draft = submission.article
        new_id = draft.id
        claim_ids = [c.proposition.claim_id for c in submission.claims]
        local_ids = [c.local_id for c in submission.claims]
        if unit.held(new_id):
            return IngestOutcome(new_id, False, claim_ids, local_ids)
        unit.touched[new_id] = Article.ingest(draft)
        events = 1
        for claim_id, draft_claim in zip(claim_ids, submission.claims, strict=True):
            evidence = Evidence(
                draft_claim.claimant, new_id, draft_claim.quote, draft_claim.start, draft_claim.end
            )
            claim = unit.claim(claim_id)
            if claim is None:
                claim = Claim.record(
                    draft_claim.proposition,
                    evidence,
                    draft_claim.recorded_by,
                    draft_claim.confidence,
                )
                unit.touched[claim.id] = claim
                events += 1
            else:
                events += claim.corroborate(
                    evidence, draft_claim.recorded_by, draft_claim.confidence
                )
        for rejection in submission.contestations:
            target = (
                claim_ids[rejection.target]
                if isinstance(rejection.target, int)
                else rejection.target
            )
            claim = unit.claim(target)
            if claim is None:
                raise InvalidInput.at(rejection.field, f"no claim {target} to contest")
            events += claim.contest(_found_contestation(rejection, new_id), ANALYST)
        return IngestOutcome(new_id, True, claim_ids, local_ids, events)


def _stored(unit: _Unit, claim_id: UUID) -> Claim:
    claim = unit.claim(claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    return claim


def _found_contestation(rejection: ContestationDraft, article_id: UUID) -> Contestation:
    """A rejection read in an article, quoted from it."""
    evidence = Evidence(rejection.by, article_id, rejection.quote, rejection.start, rejection.end)
    return Contestation(
        rejection.by,
        rejection.by_side,
        rejection.contested_on,
        rejection.contested_window,
        evidence,
        None,
    )
