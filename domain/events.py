"""Domain events: the facts the ledger keeps forever.

These classes are stored schemas. Add fields only with defaults; never rename or retype a
field; when a meaning changes, add a new event or upcast old ones in the store's codec.

They are frozen msgspec Structs: the store writes and reads their JSON in C, and since they
hold only values and one another they can stay out of the garbage collector's way (a batch
loads thousands of them).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from domain.vocabulary import ClaimKind, Side


class Fact(msgspec.Struct, frozen=True, gc=False):
    """Base of the events and of the values they hold: immutable, and never in a cycle."""


class DateWindow(Fact, frozen=True, gc=False):
    """The bounds of a date the text does not pin down (inclusive at both ends)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("a date window must not end before it starts")


class Evidence(Fact, frozen=True, gc=False):
    """Where a statement was read: who voiced it, in which article, in which words."""

    claimant: str
    article_id: UUID
    quote: str
    start: int
    end: int


class ArticleIngested(Fact, frozen=True, gc=False):
    """An article entered the ledger."""

    article_id: UUID
    url: str | None
    outlet: str | None
    language: str
    published_on: date | None
    title: str | None
    body: str
    body_sha256: str


class ClaimRecorded(Fact, frozen=True, gc=False):
    """A side's proposition about a place was recorded for the first time."""

    claim_id: UUID
    place_id: str
    claimant_side: Side
    actor_side: Side
    kind: ClaimKind
    extent: float | None
    claimed_on: date
    claimed_window: DateWindow | None
    evidence: Evidence
    recorded_by: str
    confidence: float = 1.0


class ClaimCorroborated(Fact, frozen=True, gc=False):
    """Another voice or another article carried a claim already recorded."""

    claim_id: UUID
    evidence: Evidence
    recorded_by: str
    confidence: float = 1.0


class ClaimContested(Fact, frozen=True, gc=False):
    """Someone rejected a recorded claim, in an article or according to an analyst."""

    claim_id: UUID
    by: str
    by_side: Side
    contested_on: date
    contested_window: DateWindow | None
    evidence: Evidence | None
    note: str | None
    recorded_by: str


class ClaimRetracted(Fact, frozen=True, gc=False):
    """A claim was withdrawn from answers, from this event's record time on: all of it, or
    (with `article_id`) only what one article gave for it. It stays in the answers of any
    earlier record time."""

    claim_id: UUID
    reason: str
    by: str
    recorded_by: str
    article_id: UUID | None = None


class ClaimReviewed(Fact, frozen=True, gc=False):
    """An analyst confirmed what one article gave for a claim, as the reader recorded it. A
    rejection is a `ClaimRetracted` of that article's evidence, with the analyst's reason."""

    claim_id: UUID
    article_id: UUID
    by: str
    recorded_by: str
    note: str | None = None


ClaimEvent = ClaimRecorded | ClaimCorroborated | ClaimContested | ClaimRetracted | ClaimReviewed
DomainEvent = ArticleIngested | ClaimEvent
