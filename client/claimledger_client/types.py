"""The API's answers as msgspec Structs. They ignore properties they do not know, so that a
newer server's additions never break an older client."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """Base of the answers."""


class Place(Answer, frozen=True, kw_only=True):
    """A gazetteer place."""

    id: str
    name: str
    kind: str
    parent: str | None = None
    country: str | None = None
    population: int | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: list[str] = []


class Evidence(Answer, frozen=True, kw_only=True):
    """An article and voice carrying a claim, with the quote and its code point offsets."""

    article_id: UUID
    outlet: str | None
    published_on: date | None
    claimant: str
    quote: str
    start: int
    end: int
    recorded_by: str
    recorded_at: datetime
    position: int
    url: str | None = None
    title: str | None = None
    utf16_start: int | None = None
    utf16_end: int | None = None
    review: str = "unreviewed"
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


class Contestation(Answer, frozen=True, kw_only=True):
    """A rejection of a claim."""

    by: str
    side: str
    contested_on: date
    quote: str | None = None
    article_id: UUID | None = None
    note: str | None = None
    recorded_at: datetime
    position: int


class Retraction(Answer, frozen=True, kw_only=True):
    """A withdrawal of a claim, or of one article's evidence for it."""

    article_id: UUID | None
    reason: str
    by: str
    recorded_by: str
    recorded_at: datetime
    position: int


class Claim(Answer, frozen=True, kw_only=True):
    """A claim as known at an instant, with its evidence, contestations and retractions."""

    id: UUID
    place_id: str
    claimant_side: str
    actor_side: str
    kind: str
    extent: float | None
    claimed_on: date
    claimed_window: tuple[date, date] | None = None
    claimants: list[str]
    sources: int
    status: str
    confidence: float
    evidence: list[Evidence]
    contestations: list[Contestation]
    retractions: list[Retraction]
    recorded_at: datetime
    position: int
    positions: list[int]


class PlaceClaims(Answer, frozen=True, kw_only=True):
    """A page of a place's claims as of a date, with its summary."""

    place: Place
    as_of: date
    known_at: datetime
    total: int
    limit: int
    offset: int
    claims: list[Claim]
    summary: dict[str, Any]


class PlaceStanding(Answer, frozen=True, kw_only=True):
    """How a place stands as of a date."""

    place: Place
    claims: int
    state: str
    summary: dict[str, Any]


class Event(Answer, frozen=True, kw_only=True):
    """One stored event, its payload as the JSON object it is stored as."""

    position: int
    type: str
    aggregate_id: UUID
    version: int
    recorded_at: datetime
    payload: dict[str, Any]


class ReviewItem(Answer, frozen=True, kw_only=True):
    """A piece of evidence the reader recorded that awaits review."""

    claim_id: UUID
    article_id: UUID
    place_id: str
    place_name: str | None
    claimant_side: str
    actor_side: str
    kind: str
    claimed_on: date
    claimant: str
    quote: str
    start: int
    end: int
    confidence: float
    recorded_by: str
