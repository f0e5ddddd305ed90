"""Request and response bodies: frozen msgspec Structs that reject unknown fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from domain.summary import PlaceState
from domain.vocabulary import ClaimKind, PlaceKind, Side

# Text may hold tabs and line breaks but no other control character (PostgreSQL text cannot
# hold NUL). The decoder refuses them field by field; the pattern tells the OpenAPI document.
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"


def _text(min_length: int, max_length: int) -> msgspec.Meta:
    extra = {"extra": {"pattern": PRINTABLE}}
    return msgspec.Meta(min_length=min_length, max_length=max_length, extra_json_schema=extra)


Text = Annotated[str, _text(1, 2_000)]
Quote = Annotated[str, _text(1, 5_000)]
Body = Annotated[str, _text(1, 1_000_000)]
Share = Annotated[float, msgspec.Meta(gt=0, le=1)]
Confidence = Annotated[float, msgspec.Meta(ge=0, le=1)]
Language = Annotated[str, msgspec.Meta(pattern="^[a-z]{2,3}$")]
Note = Annotated[str, _text(1, 5_000)]
Title = Annotated[str, _text(0, 2_000)]
Url = Annotated[str, msgspec.Meta(pattern=r"^https?://[^\s\x00-\x1f\x7f]+$", max_length=2_000)]
# msgspec checks a tuple's length itself; the `extra` entry tells the OpenAPI document.
Window = Annotated[
    tuple[date, date], msgspec.Meta(extra_json_schema={"extra": {"minItems": 2, "maxItems": 2}})
]
Alternatives = Annotated[list[ClaimKind], msgspec.Meta(max_length=20)]
SideAlternatives = Annotated[list[Side], msgspec.Meta(max_length=20)]


class Schema(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base of every payload."""


class ClaimIn(Schema, frozen=True, kw_only=True):
    """A claim found in the article, in the shape of the corpus gold files."""

    id: Text | None = None
    place: Text
    claimant: Text
    claimant_side: Side
    actor_side: Side
    kind: ClaimKind
    extent: Share | None = None
    claimed_on: date
    claimed_window: Window | None = None
    quote: Quote
    confidence: Confidence = 1.0
    # Annotation fields of the gold format: accepted so gold files post as they are.
    required: bool = True
    note: Note | None = None
    kind_alternatives: Alternatives = []
    claimant_side_alternatives: SideAlternatives = []


class ContestationIn(Schema, frozen=True, kw_only=True):
    """A rejection of a claim, found in the article."""

    id: Text | None = None
    contests: Text
    by: Text
    by_side: Side
    contested_on: date
    contested_window: Window | None = None
    quote: Quote
    required: bool = True
    note: Note | None = None


class ArticleIn(Schema, frozen=True, kw_only=True):
    """An article to ingest. With `claims` (even an empty list) those are recorded as an
    analyst's; without, the extractor reads the article, unless `extract` is false. The
    language is detected when not given."""

    url: Url | None = None
    outlet: Text | None = None
    language: Language | None = None
    published_on: date | None = None
    title: Title | None = None
    body: Body
    claims: Annotated[list[ClaimIn], msgspec.Meta(max_length=1_000)] | None = None
    contestations: Annotated[list[ContestationIn], msgspec.Meta(max_length=1_000)] = []
    extract: bool = True


class ArticleBatchIn(Schema, frozen=True, kw_only=True):
    """Up to 500 articles written in one transaction."""

    articles: Annotated[list[ArticleIn], msgspec.Meta(min_length=1, max_length=500)]


class ContestationCreate(Schema, frozen=True, kw_only=True):
    """A rejection of a stored claim: quoted from a stored article, or an analyst's note."""

    by: Text
    by_side: Side
    contested_on: date
    contested_window: Window | None = None
    article_id: UUID | None = None
    quote: Quote | None = None
    note: Note | None = None


class RetractionCreate(Schema, frozen=True, kw_only=True):
    """An analyst's withdrawal of a claim (a wrong extraction, say), or with `article_id`
    of only what that article gave for it. Answers known at or after it leave it out."""

    reason: Note
    by: Text
    article_id: UUID | None = None


class RetractResult(Schema, frozen=True, kw_only=True):
    """Whether anything was still standing to withdraw."""

    claim_id: UUID
    created: bool
    position: int
    """The position of the write's last event (0 when it appended none): pass it as
    `min_position` to a read that must see this write."""


class ReviewCreate(Schema, frozen=True, kw_only=True):
    """An analyst's verdict on what one article gave for a claim. `confirmed` records a
    `ClaimReviewed`; `rejected` withdraws that article's evidence (a `ClaimRetracted`) and
    needs a reason. `article_id` may be left out when one article gives the claim's
    standing evidence."""

    verdict: Literal["confirmed", "rejected"]
    by: Text
    reason: Note | None = None
    article_id: UUID | None = None


class ReviewResult(Schema, frozen=True, kw_only=True):
    """Whether the review changed anything (evidence newly confirmed or withdrawn)."""

    claim_id: UUID
    article_id: UUID
    verdict: Literal["confirmed", "rejected"]
    created: bool
    position: int
    """The position of the write's event (0 when it appended none): pass it as
    `min_position` to a read that must see this write."""


class ArticleClaimsIn(Schema, frozen=True, kw_only=True):
    """An analyst's claims (and contestations) read in an article the ledger holds, in the
    shape `POST /articles` takes them; quotes must occur in the stored body."""

    claims: Annotated[list[ClaimIn], msgspec.Meta(min_length=1, max_length=1_000)]
    contestations: Annotated[list[ContestationIn], msgspec.Meta(max_length=1_000)] = []


class ArticleClaimsResult(Schema, frozen=True, kw_only=True):
    """What adding an analyst's claims to a stored article recorded."""

    article_id: UUID
    claim_ids: list[UUID]
    """The claims, in the order given (an existing claim's id when the same proposition
    was already held)."""
    recorded: int
    """Claims recorded or given this article's evidence anew (0 when all were held)."""
    contestations_added: int
    position: int
    """The position of the write's last event (0 when it appended none)."""


class ReextractResult(Schema, frozen=True, kw_only=True):
    """What reading a stored article again with the current extractor changed."""

    article_id: UUID
    extractor: str
    recorded: int
    retracted: int
    contestations_added: int
    position: int
    """The position of the write's last event (0 when it appended none): pass it as
    `min_position` to a read that must see this write."""


class ClaimRef(Schema, frozen=True, kw_only=True):
    """The ledger's id for a submitted claim, beside the local id it was given."""

    local_id: str | None
    id: UUID


class IngestResult(Schema, frozen=True, kw_only=True):
    """What became of a submitted article."""

    article_id: UUID
    created: bool
    events_appended: int
    claims: list[ClaimRef]
    position: int
    """The position of the write's last event (0 when it appended none): pass it as
    `min_position` to a read that must see this write."""


class BatchResult(Schema, frozen=True, kw_only=True):
    """What became of each article of a batch, in order."""

    created: int
    existing: int
    events_appended: int
    results: list[IngestResult]
    position: int
    """The position of the write's last event (0 when it appended none): pass it as
    `min_position` to a read that must see this write."""


class ContestResult(Schema, frozen=True, kw_only=True):
    """Whether a contestation was new."""

    claim_id: UUID
    created: bool
    position: int
    """The position of the write's last event (0 when it appended none): pass it as
    `min_position` to a read that must see this write."""


class PlaceOut(Schema, frozen=True, kw_only=True):
    """A place of the gazetteer."""

    id: str
    name: str
    kind: PlaceKind
    parent: str | None
    country: str | None
    population: int | None
    lat: float | None
    lon: float | None
    aliases: list[str]


class PlaceHit(Schema, frozen=True, kw_only=True):
    """A place found for a name, with how well it fits."""

    score: float
    place: PlaceOut


class PlaceSearch(Schema, frozen=True, kw_only=True):
    """Places for a name, best first."""

    query: str
    places: list[PlaceHit]


class EvidenceOut(Schema, frozen=True, kw_only=True):
    """One article or voice carrying a claim."""

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
    review: Literal["unreviewed", "confirmed"] = "unreviewed"
    """`confirmed` once an analyst confirmed it, as known then (what an analyst recorded is
    confirmed as it is recorded); rejected evidence is withdrawn and no longer listed."""
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


class ContestationOut(Schema, frozen=True, kw_only=True):
    """A rejection of a claim."""

    by: str
    side: Side
    contested_on: date
    contested_window: Window | None
    quote: str | None
    article_id: UUID | None
    note: str | None
    recorded_at: datetime
    position: int


class RetractionOut(Schema, frozen=True, kw_only=True):
    """A withdrawal of a claim, or of one article's evidence for it (`article_id`)."""

    article_id: UUID | None
    reason: str
    by: str
    recorded_by: str
    recorded_at: datetime
    position: int


class ClaimOut(Schema, frozen=True, kw_only=True):
    """A claim as of a date and as known at an instant: its standing evidence, its
    contestations, its retractions and its status then. `positions` are the events that
    make this answer (fetch them with `GET /events?positions=`)."""

    id: UUID
    place_id: str
    claimant_side: Side
    actor_side: Side
    kind: ClaimKind
    extent: float | None
    claimed_on: date
    claimed_window: Window | None
    claimants: list[str]
    sources: int
    status: Literal["asserted", "contested", "retracted"]
    confidence: float
    evidence: list[EvidenceOut]
    contestations: list[ContestationOut]
    retractions: list[RetractionOut]
    recorded_at: datetime
    position: int
    positions: list[int]


class LatestClaim(Schema, frozen=True, kw_only=True):
    """A side's most recent claim about the place."""

    claim_id: UUID
    kind: ClaimKind
    actor_side: Side
    claimed_on: date
    status: Literal["asserted", "contested"]


class Summary(Schema, frozen=True, kw_only=True):
    """Each side's latest claim, and whether they dispute each other."""

    latest: dict[str, LatestClaim]
    disputed: bool
    reasons: list[str]


class PlaceStanding(Schema, frozen=True, kw_only=True):
    """How a place stands as of a date: its claims then, and their summary. `state` is
    `disputed` when the belligerents' latest claims clash, `contested` when someone
    contested a latest claim, `held` when a latest claim says who holds it, `claimed` for
    advances and encirclements only, `withdrawn` when every claim was withdrawn."""

    place: PlaceOut
    claims: int
    state: PlaceState
    summary: Summary


class PlacesAsOf(Schema, frozen=True, kw_only=True):
    """Every place with claims made by a date, as the ledger knew them then, one page."""

    as_of: date
    known_at: datetime
    total: int
    limit: int
    offset: int
    places: list[PlaceStanding]


class _PlaceClaimsHead(Schema, frozen=True, kw_only=True):
    place: PlaceOut
    as_of: date
    known_at: datetime
    total: int
    limit: int
    offset: int


class PlaceClaims(_PlaceClaimsHead, frozen=True, kw_only=True):
    """What was claimed about a place as of a date."""

    claims: list[ClaimOut]
    summary: Summary


class PlaceClaimsText(_PlaceClaimsHead, frozen=True, kw_only=True):
    """A `PlaceClaims` whose claims are the JSON text the database rendered, in the shape
    of `ClaimOut`, sent as they are."""

    claims: msgspec.Raw
    summary: Summary

    def decoded(self) -> PlaceClaims:
        """The same answer with its claims decoded."""
        return msgspec.json.decode(msgspec.json.encode(self), type=PlaceClaims)


class ContradictionOut(Schema, frozen=True, kw_only=True):
    """A stretch of claim time in which Russia's and Ukraine's latest claims clash, from
    `start` until the day before `end` (still open when `end` is null)."""

    start: date
    end: date | None
    reasons: list[str]


class PlaceTimeline(Schema, frozen=True, kw_only=True):
    """A place's claims in claim-time order, side by side, with the periods in which the
    belligerents' latest claims contradict each other."""

    place: PlaceOut
    from_: date | None = msgspec.field(name="from")
    to: date
    known_at: datetime
    sides: dict[str, list[ClaimOut]]
    contradictions: list[ContradictionOut]


class ArticleOut(Schema, frozen=True, kw_only=True):
    """A stored article."""

    id: UUID
    url: str | None
    outlet: str | None
    language: str
    published_on: date | None
    title: str | None
    body: str | None
    """None when withheld: with `CLAIMLEDGER_BODIES=keyed` (the default), bodies go only to
    callers that present a key. `body_sha256` is always given."""
    body_sha256: str
    recorded_at: datetime
    position: int


class EventOut(Schema, frozen=True, kw_only=True):
    """One stored event with its payload as JSON."""

    position: int
    type: str
    aggregate_id: UUID
    version: int
    recorded_at: datetime
    payload: msgspec.Raw


class EventPage(Schema, frozen=True, kw_only=True):
    """A page of the event feed; ask again with `after=next_after` for more."""

    events: list[EventOut]
    next_after: int


class Health(Schema, frozen=True, kw_only=True):
    """The process answers."""

    status: Literal["ok"]


class Readiness(Schema, frozen=True, kw_only=True):
    """Whether the service can answer: database, migrations, a projector following the
    store, and projection lag (in events, and as the age of the oldest event not yet
    projected, against the most the service allows)."""

    ready: bool
    database: bool
    migration: str | None
    migration_head: str | None
    last_position: int
    projection_positions: dict[str, int]
    projection_lag: int
    projector_following: bool
    projection_lag_seconds: float
    max_lag_seconds: float


class ReviewItem(Schema, frozen=True, kw_only=True):
    """A piece of evidence a reader recorded that no analyst has confirmed or rejected: the
    claim as read, and where it was read."""

    claim_id: UUID
    article_id: UUID
    place_id: str
    place_name: str | None
    """The gazetteer's name for the place (None if it no longer knows the id)."""
    claimant_side: Side
    actor_side: Side
    kind: ClaimKind
    extent: float | None
    claimed_on: date
    claimant: str
    quote: str
    start: int
    end: int
    confidence: float
    recorded_by: str
    recorded_at: datetime
    position: int
    outlet: str | None
    published_on: date | None


class ReviewQueue(Schema, frozen=True, kw_only=True):
    """Evidence awaiting review, least confident first, one page."""

    limit: int
    offset: int
    next_offset: int | None
    """The offset of the next page, None on the last."""
    items: list[ReviewItem]
