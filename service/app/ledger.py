"""The ledger's use cases that write: ingest articles with their claims, contest, retract,
re-read; how a write reaches the store is the write engine's (`service.app.engine`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal
from uuid import UUID

from domain.article import Article, ArticleDraft
from domain.claim import ANALYST, Claim, ClaimError, Contestation, Proposition
from domain.events import ArticleIngested, DateWindow, Evidence
from domain.vocabulary import Side
from infra.eventstore.store import EventStore
from service.app.engine import Unit, WriteEngine
from service.app.errors import InvalidInput, NotFound


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


Verdict = Literal["confirmed", "rejected"]


@dataclass(frozen=True)
class Reviewed:
    """The article a review was about, whether it changed anything, and the position of
    its event (0 when it appended none)."""

    article_id: UUID
    created: bool
    position: int = 0


class Ledger:
    """Writes to the ledger: every method appends all its events in one transaction."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._engine = WriteEngine(store)

    def ingest(self, submissions: Sequence[Submission]) -> list[IngestOutcome]:
        """Record articles with their claims; an article already held appends nothing."""
        # A new article's claims take only evidence and contestations quoted from it, which
        # they cannot hold yet: their versions are all the write needs of them. A claim
        # named by id is read whole, as it may name no claim at all.
        outcomes, position = self._engine.write(
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
            *self._engine.write(
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
            *self._engine.write(
                [claim_id],
                lambda unit: _stored(unit, claim_id).retract(reason, by, recorded_by, article_id),
            )
        )

    def review(
        self,
        claim_id: UUID,
        verdict: Verdict,
        by: str,
        reason: str | None = None,
        article_id: UUID | None = None,
        recorded_by: str = ANALYST,
    ) -> Reviewed:
        """An analyst's verdict on what one article gave for a stored claim: confirm it, or
        reject it (withdraw it, with `reason`). The article may go unnamed when only one
        gives evidence still standing. Rejecting a named article's evidence already
        withdrawn changes nothing, so a retried rejection is harmless."""

        def judge(unit: Unit) -> tuple[UUID, bool]:
            claim = _stored(unit, claim_id)
            try:
                if verdict == "rejected" and article_id is not None:
                    return article_id, claim.retract(reason or "", by, recorded_by, article_id)
                article = claim.reviewed_article(article_id)
                if verdict == "confirmed":
                    return article, claim.confirm(by, recorded_by, article, reason)
                return article, claim.retract(reason or "", by, recorded_by, article)
            except ClaimError as error:
                raise InvalidInput.at("article_id", str(error)) from None

        (article, created), position = self._engine.write([claim_id], judge)
        return Reviewed(article, created, position)

    def annotate(self, article_id: UUID, submission: Submission) -> Reextraction:
        """Record an analyst's claims and contestations read in a stored article (the
        submission made from it): new claims, this article's evidence for held ones, and
        the contestations not yet held. Nothing is withdrawn."""
        return self.reextract(article_id, submission, (), reason="")

    def reextract(
        self, article_id: UUID, submission: Submission, previous: Sequence[UUID], reason: str
    ) -> Reextraction:
        """Record what a new reading of a stored article finds that the ledger does not yet
        hold from it, and withdraw (with `reason`) the article's evidence for the claims in
        `previous` (those an extractor found in it before) that the new reading lacks."""
        found = [c.proposition.claim_id for c in submission.claims]

        def reread(unit: Unit) -> Reextraction:
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

        done, position = self._engine.write([*found, *previous], reread)
        return replace(done, position=position)

    def article(self, article_id: UUID) -> ArticleIngested:
        """The stored article, for checking a quote against its body."""
        events = self.store.load([article_id]).get(article_id)
        if not events or not isinstance(events[0], ArticleIngested):
            raise NotFound("article", article_id)
        return Article.replay(article_id, events).ingested  # type: ignore[return-value]

    def _ingest_one(self, unit: Unit, submission: Submission) -> IngestOutcome:
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


def _stored(unit: Unit, claim_id: UUID) -> Claim:
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
