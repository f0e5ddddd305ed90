"""The Claim aggregate: one proposition by one side on one day, with all its evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.events import (
    ClaimContested,
    ClaimCorroborated,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    DateWindow,
    Evidence,
)
from domain.ids import claim_id
from domain.vocabulary import ClaimKind, Side

ANALYST = "analyst"
"""Who recorded what an analyst said rather than a reader found: such evidence needs no
review, and counts as confirmed from the moment it is recorded."""

REBASEABLE = (ClaimRecorded, ClaimCorroborated, ClaimContested)
"""The events that a new article's evidence and contestations make, which `Claim.rebased`
can make again on a later version of the claim."""


class ClaimError(ValueError):
    """A claim or contestation that breaks the claim vocabulary's rules."""


@dataclass(frozen=True)
class Proposition:
    """What a claim says: which side says what about whose forces, where and when."""

    place_id: str
    claimant_side: Side
    actor_side: Side
    kind: ClaimKind
    extent: float | None
    claimed_on: date
    claimed_window: DateWindow | None = None
    # The deterministic id every voicing of this proposition shares.
    claim_id: UUID = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.extent is not None and not 0 < self.extent <= 1:
            raise ClaimError("extent must be a share in (0, 1]")
        if self.extent is not None and self.kind is not ClaimKind.PARTIAL_CONTROL:
            raise ClaimError("only a partial_control claim has an extent")
        identity = claim_id(
            self.place_id,
            self.claimant_side,
            self.actor_side,
            self.kind,
            self.extent,
            self.claimed_on,
        )
        object.__setattr__(self, "claim_id", identity)


@dataclass(frozen=True)
class Contestation:
    """A rejection of a claim: by whom, when, and in which words or on whose note."""

    by: str
    by_side: Side
    contested_on: date
    contested_window: DateWindow | None
    evidence: Evidence | None
    note: str | None

    def __post_init__(self) -> None:
        if self.evidence is None and not self.note:
            raise ClaimError("a contestation needs a quote from an article or a note")


class Claim(Aggregate):
    """A recorded proposition with its evidence (the pieces not withdrawn, those an analyst
    confirmed among them) and every contestation. A claim with no evidence left is retracted;
    new evidence revives it."""

    recorded: ClaimRecorded | None = None
    partial = False
    """Whether the stored events were left unread (see `resume`)."""

    def __init__(self, aggregate_id: Any) -> None:
        super().__init__(aggregate_id)
        self.evidence: list[Evidence] = []
        self.contestations: list[ClaimContested] = []
        self.retractions: list[ClaimRetracted] = []
        self.confirmed: set[Evidence] = set()

    @property
    def retracted(self) -> bool:
        """Whether no evidence is left standing."""
        return not self.evidence

    def articles(self) -> set[Any]:
        """The articles whose evidence still stands."""
        return {e.article_id for e in self.evidence}

    def reviewed_article(self, article_id: Any | None = None) -> Any:
        """The article a review is about: the one named, which must still give evidence, or
        when none is named the only article that does."""
        if self.partial:
            raise ValueError("a claim resumed without its events cannot be reviewed")
        standing = self.articles()
        if article_id is None:
            if len(standing) != 1:
                raise ClaimError(
                    "this claim has no standing evidence"
                    if not standing
                    else f"this claim has evidence from {len(standing)} articles: name one"
                )
            return next(iter(standing))
        if article_id not in standing:
            raise ClaimError("that article gives no standing evidence for this claim")
        return article_id

    @classmethod
    def record(
        cls, proposition: Proposition, evidence: Evidence, recorded_by: str, confidence: float = 1.0
    ) -> Claim:
        """Start a claim's history with its first evidence."""
        claim = cls(proposition.claim_id)
        claim.trigger(
            ClaimRecorded(
                claim_id=claim.id,
                place_id=proposition.place_id,
                claimant_side=proposition.claimant_side,
                actor_side=proposition.actor_side,
                kind=proposition.kind,
                extent=proposition.extent,
                claimed_on=proposition.claimed_on,
                claimed_window=proposition.claimed_window,
                evidence=evidence,
                recorded_by=recorded_by,
                confidence=confidence,
            )
        )
        return claim

    @classmethod
    def resume(cls, claim_id: UUID, version: int) -> Claim:
        """A stored claim known by its version alone, to take evidence and contestations
        quoted from an article that nothing has been recorded from yet. Such evidence cannot
        be held already, and neither can such a contestation, so what they add does not
        depend on the stored events, which are not read. The claim holds only what is added
        to it here, and cannot be retracted."""
        claim = cls(claim_id)
        claim.version = version
        claim.partial = True
        return claim

    @classmethod
    def rebased(cls, claim_id: UUID, version: int, events: Sequence[Any]) -> Claim:
        """Events made as a new article's evidence and contestations against an earlier
        version of the claim, made again on top of its first `version` events, which
        another writer completed meanwhile (see `resume`). Each event has its counterpart:
        a recording becomes a corroboration, as the claim is held now."""
        claim = cls.resume(claim_id, version)
        for event in events:
            if not isinstance(event, REBASEABLE):
                raise TypeError(f"a {type(event).__name__} cannot be rebased")
            if isinstance(event, ClaimContested):
                rejection = Contestation(
                    event.by,
                    event.by_side,
                    event.contested_on,
                    event.contested_window,
                    event.evidence,
                    event.note,
                )
                claim.contest(rejection, event.recorded_by)
            else:
                claim.corroborate(event.evidence, event.recorded_by, event.confidence)
        return claim

    def corroborate(self, evidence: Evidence, recorded_by: str, confidence: float = 1.0) -> bool:
        """Add evidence unless this very evidence is already held; say whether it was new."""
        if evidence in self.evidence:
            return False
        self.trigger(ClaimCorroborated(self.id, evidence, recorded_by, confidence))
        return True

    def contest(self, contestation: Contestation, recorded_by: str) -> bool:
        """Record a rejection unless the same one is already held; say whether it was new."""
        event = ClaimContested(
            claim_id=self.id,
            by=contestation.by,
            by_side=contestation.by_side,
            contested_on=contestation.contested_on,
            contested_window=contestation.contested_window,
            evidence=contestation.evidence,
            note=contestation.note,
            recorded_by=recorded_by,
        )
        if any(_same_contestation(event, held) for held in self.contestations):
            return False
        self.trigger(event)
        return True

    def retract(
        self, reason: str, by: str, recorded_by: str, article_id: Any | None = None
    ) -> bool:
        """Withdraw the claim (or one article's evidence for it); say whether anything was
        still standing to withdraw."""
        if self.partial:
            raise ValueError("a claim resumed without its events cannot be retracted")
        if not reason.strip():
            raise ClaimError("a retraction needs a reason")
        if article_id is None and self.retracted:
            return False
        if article_id is not None and article_id not in self.articles():
            return False
        self.trigger(ClaimRetracted(self.id, reason, by, recorded_by, article_id))
        return True

    def confirm(
        self, by: str, recorded_by: str, article_id: Any | None = None, note: str | None = None
    ) -> bool:
        """Confirm what one article gives for the claim (see `reviewed_article`); say
        whether any of it was not yet confirmed."""
        article = self.reviewed_article(article_id)
        if all(e in self.confirmed for e in self.evidence if e.article_id == article):
            return False
        self.trigger(ClaimReviewed(self.id, article, by, recorded_by, note))
        return True

    def apply(self, event: Any) -> None:
        """Fold one claim event into the claim's state."""
        if isinstance(event, ClaimRecorded | ClaimCorroborated):
            if isinstance(event, ClaimRecorded):
                self.recorded = event
            self.evidence.append(event.evidence)
            if event.recorded_by == ANALYST:
                self.confirmed.add(event.evidence)
        elif isinstance(event, ClaimContested):
            self.contestations.append(event)
        elif isinstance(event, ClaimRetracted):
            self.retractions.append(event)
            self.evidence = [
                e
                for e in self.evidence
                if event.article_id is not None and e.article_id != event.article_id
            ]
            self.confirmed.intersection_update(self.evidence)
        elif isinstance(event, ClaimReviewed):
            self.confirmed.update(e for e in self.evidence if e.article_id == event.article_id)
        else:  # pragma: no cover - guards a store holding events from a newer version
            raise TypeError(f"a claim cannot apply {type(event).__name__}")


def _same_contestation(a: ClaimContested, b: ClaimContested) -> bool:
    return (a.by, a.by_side, a.contested_on, a.evidence, a.note) == (
        b.by,
        b.by_side,
        b.contested_on,
        b.evidence,
        b.note,
    )
