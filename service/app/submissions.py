"""Turning submitted articles into drafts: places resolved, quotes located, local ids linked.

Every problem is collected with the path of its field, so one answer names them all.
"""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

import msgspec

from domain.article import ArticleDraft
from domain.claim import ClaimError, Contestation, Proposition
from domain.events import ArticleIngested, DateWindow, Evidence
from domain.extraction.model import Extraction
from domain.ids import canonical_url
from domain.places import Gazetteer
from infra.reference.language import detect_language
from service.app.errors import FieldProblem, InvalidInput, NotFound
from service.app.ledger import ClaimDraft, ContestationDraft, Ledger, Submission
from service.app.reading import Reader
from service.app.schemas import (
    ArticleClaimsIn,
    ArticleIn,
    ClaimIn,
    ContestationCreate,
    ContestationIn,
    RetractionCreate,
    ReviewCreate,
    Window,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# In JSON as msgspec writes it, a string holding such a character holds one of these
# escapes (a backslash in the text itself may also look like one).
_ESCAPED_CONTROL = re.compile(rb"\\(?:u00[01]|[bf])")


EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
"""The dates an article's publication, a claim or a contestation may carry."""


def to_submissions(
    articles: list[ArticleIn],
    gazetteer: Gazetteer,
    reader: Reader | None = None,
    prefix: str | None = "articles",
) -> list[Submission]:
    """Drafts for a batch (or, with no prefix, for one article at the root of the request),
    articles without claims read by the reader; raises InvalidInput naming every field at
    fault, before anything is read or written. The articles hold no control characters:
    requests and article files are checked for them as they are read (`control_characters`)."""
    at = [f"{prefix}[{i}]." if prefix is not None else "" for i in range(len(articles))]
    problems: list[FieldProblem] = []
    languages = [a.language or detect_language(a.body) or "und" for a in articles]
    # An article's dates are checked before it is read: the reader counts from them.
    dated = [
        check_date(a.published_on, f"{at[i]}published_on", problems) for i, a in enumerate(articles)
    ]
    unread = [
        i for i, a in enumerate(articles) if a.claims is None and a.extract and reader and dated[i]
    ]
    to_read = [_to_read(articles[i], languages[i]) for i in unread]
    found = dict(zip(unread, reader.read_many(to_read), strict=True)) if reader and unread else {}
    submissions = [
        _submission(a, languages[i], gazetteer, at[i], problems, found.get(i))
        for i, a in enumerate(articles)
    ]
    if problems:
        raise InvalidInput(problems)
    return submissions


def to_submission(
    article: ArticleIn, gazetteer: Gazetteer, reader: Reader | None = None
) -> Submission:
    """The draft for one article; raises InvalidInput naming every field at fault."""
    return to_submissions([article], gazetteer, reader, prefix=None)[0]


def _to_read(article: ArticleIn, language: str) -> tuple[str, date, str | None]:
    # Without a publication date, the claims are dated against the day of ingestion.
    return article.body, article.published_on or date.today(), language


def control_characters(
    value: object, at: str = "", encoded: bytes | None = None
) -> list[FieldProblem]:
    """A problem for every string that holds a NUL or another C0 control character other
    than tab, newline and carriage return (PostgreSQL text cannot hold NUL). `encoded` is
    the JSON the value was decoded from, if it was."""
    if _plainly_clean(value, encoded):
        return []
    return _control_characters(value, at)


def _plainly_clean(value: object, encoded: bytes | None) -> bool:
    """Whether the value's JSON shows no sign of a control character: one pass in C, where
    walking every field in Python costs far more. (JSON holds such characters only as
    escapes.)"""
    if encoded is None:
        try:
            encoded = msgspec.json.encode(value)
        except (TypeError, ValueError):
            return False
    return b"\\" not in encoded or _ESCAPED_CONTROL.search(encoded) is None


def _control_characters(value: object, at: str) -> list[FieldProblem]:
    if isinstance(value, str):
        if _CONTROL.search(value):
            return [FieldProblem(at or "$", "control characters are not allowed")]
        return []
    if isinstance(value, (list, tuple)):
        return [p for i, item in enumerate(value) for p in _control_characters(item, f"{at}[{i}]")]
    if isinstance(value, msgspec.Struct):
        return [
            p
            for name in value.__struct_fields__
            for p in _control_characters(getattr(value, name), f"{at}.{name}" if at else name)
        ]
    return []


def locate(body: str, quote: str) -> tuple[int, int] | None:
    """Character offsets of the quote's first occurrence in the body."""
    start = body.find(quote)
    return None if start < 0 else (start, start + len(quote))


def window(value: Window | None, field: str, problems: list[FieldProblem]) -> DateWindow | None:
    """A date window from a [from, to] pair, or a problem when it runs backwards."""
    if value is None:
        return None
    if value[0] > value[1]:
        problems.append(FieldProblem(field, "the window ends before it starts"))
        return None
    return DateWindow(value[0], value[1])


def _submission(
    article: ArticleIn,
    language: str,
    gazetteer: Gazetteer,
    at: str,
    problems: list[FieldProblem],
    extraction: Extraction | None = None,
) -> Submission:
    url = article.url
    if url is not None:
        try:
            canonical_url(url)
        except ValueError:  # a port that is no number, say: no id can be made of it
            problems.append(FieldProblem(f"{at}url", "not a URL: its port is not a number"))
            url = None  # the request is refused; the draft only finishes the checks
    draft = ArticleDraft(
        url=url,
        outlet=article.outlet,
        language=language,
        published_on=article.published_on,
        title=article.title,
        body=article.body,
    )
    if extraction is not None:
        return extracted(draft, extraction, at)
    given = article.claims or []
    claims = [
        _claim(c, article.body, gazetteer, f"{at}claims[{i}].", problems)
        for i, c in enumerate(given)
    ]
    local_ids = {c.id: i for i, c in enumerate(given) if c.id}
    if len(local_ids) != len([c for c in given if c.id]):
        problems.append(FieldProblem(f"{at}claims", "local claim ids must be unique"))
    rejections = [
        _contestation(k, article.body, local_ids, f"{at}contestations[{i}].", problems)
        for i, k in enumerate(article.contestations)
    ]
    return Submission(
        draft, [c for c in claims if c], [k for k in rejections if k], field=at.rstrip(".") or "$"
    )


def extracted(draft: ArticleDraft, extraction: Extraction, at: str = "") -> Submission:
    """The extractor's reading of an article as drafts, recorded in its name."""
    recorded_by = extraction.recorded_by
    index = {claim.id: i for i, claim in enumerate(extraction.claims)}
    claims = [
        ClaimDraft(
            Proposition(
                c.place_id,
                c.claimant_side,
                c.actor_side,
                c.kind,
                c.extent,
                c.claimed_on,
                c.claimed_window,
            ),
            c.claimant,
            c.quote,
            c.start,
            c.end,
            recorded_by=recorded_by,
            confidence=c.confidence,
            local_id=c.id,
        )
        for c in extraction.claims
    ]
    rejections = [
        ContestationDraft(
            index[k.contests],
            k.by,
            k.by_side,
            k.contested_on,
            k.contested_window,
            k.quote,
            k.start,
            k.end,
            field=f"{at}body",
        )
        for k in extraction.contestations
        if k.contests in index
    ]
    return Submission(draft, claims, rejections, field=at.rstrip(".") or "$")


def _claim(
    claim: ClaimIn, body: str, gazetteer: Gazetteer, at: str, problems: list[FieldProblem]
) -> ClaimDraft | None:
    count = len(problems)
    place = gazetteer.resolve(claim.place)
    if place is None:
        problems.append(FieldProblem(f"{at}place", f"no place is known as {claim.place!r}"))
    span = locate(body, claim.quote)
    if span is None:
        problems.append(FieldProblem(f"{at}quote", "the quote does not occur in the body"))
    claimed_window = window(claim.claimed_window, f"{at}claimed_window", problems)
    check_date(claim.claimed_on, f"{at}claimed_on", problems, claimed_window)
    try:
        proposition = Proposition(
            place_id=place.id if place else "",
            claimant_side=claim.claimant_side,
            actor_side=claim.actor_side,
            kind=claim.kind,
            extent=claim.extent,
            claimed_on=claim.claimed_on,
            claimed_window=claimed_window,
        )
    except ClaimError as error:
        problems.append(FieldProblem(f"{at}extent", str(error)))
        return None
    if len(problems) > count or span is None:
        return None
    return ClaimDraft(
        proposition,
        claim.claimant,
        claim.quote,
        *span,
        confidence=claim.confidence,
        local_id=claim.id,
    )


def _contestation(
    rejection: ContestationIn,
    body: str,
    local_ids: dict[str, int],
    at: str,
    problems: list[FieldProblem],
) -> ContestationDraft | None:
    count = len(problems)
    target: int | UUID | None = local_ids.get(rejection.contests)
    if target is None:
        try:
            target = UUID(rejection.contests)
        except ValueError:
            problems.append(
                FieldProblem(
                    f"{at}contests", "neither a local claim id of this article nor a claim id"
                )
            )
    span = locate(body, rejection.quote)
    if span is None:
        problems.append(FieldProblem(f"{at}quote", "the quote does not occur in the body"))
    contested_window = window(rejection.contested_window, f"{at}contested_window", problems)
    check_date(rejection.contested_on, f"{at}contested_on", problems, contested_window)
    if len(problems) > count or target is None or span is None:
        return None
    return ContestationDraft(
        target,
        rejection.by,
        rejection.by_side,
        rejection.contested_on,
        contested_window,
        rejection.quote,
        *span,
        field=f"{at}contests",
    )


def check_date(
    day: date | None, field: str, problems: list[FieldProblem], bounds: DateWindow | None = None
) -> bool:
    """Whether a date is one the ledger takes (between EARLIEST and LATEST, and within its
    window if it has one); a problem naming the field when not."""
    if day is None:
        return True
    if not EARLIEST <= day <= LATEST:
        problems.append(
            FieldProblem(field, f"expected a date from {EARLIEST} to {LATEST}, not {day}")
        )
        return False
    if bounds and not bounds.start <= day <= bounds.end:
        problems.append(FieldProblem(field, "the date lies outside its window"))
        return False
    return True


def check_retraction(data: RetractionCreate) -> None:
    """A retraction must say why."""
    if not data.reason.strip():
        raise InvalidInput.at("reason", "a retraction needs a reason")


def check_review(data: ReviewCreate) -> None:
    """A rejection must say why."""
    if data.verdict == "rejected" and not (data.reason or "").strip():
        raise InvalidInput.at("reason", "a rejection needs a reason")


def to_contestation(data: ContestationCreate, ledger: Ledger) -> Contestation:
    """An analyst's contestation, checked: its dates, and its quote found in the article it
    names (both or neither)."""
    problems: list[FieldProblem] = []
    contested_window = window(data.contested_window, "contested_window", problems)
    check_date(data.contested_on, "contested_on", problems, contested_window)
    evidence = None
    if data.article_id is not None and data.quote:
        span = locate(_stored_article(ledger, data.article_id).body, data.quote)
        if span is None:
            problems.append(FieldProblem("quote", "the quote does not occur in that article"))
        else:
            evidence = Evidence(data.by, data.article_id, data.quote, *span)
    elif data.article_id is not None or data.quote:
        problems.append(
            FieldProblem(
                "quote" if data.article_id else "article_id",
                "a quote needs its article, and an article its quote",
            )
        )
    if problems:
        raise InvalidInput(problems)
    try:
        return Contestation(
            data.by, data.by_side, data.contested_on, contested_window, evidence, data.note
        )
    except ClaimError as error:
        raise InvalidInput.at("note", str(error)) from None


def _stored_article(ledger: Ledger, article_id: UUID) -> ArticleIngested:
    try:
        return ledger.article(article_id)
    except NotFound:
        raise InvalidInput.at("article_id", "no article has this id") from None


def stored_article_claims(
    ledger: Ledger, gazetteer: Gazetteer, article_id: UUID, given: ArticleClaimsIn
) -> Submission:
    """An analyst's claims on a stored article, checked as `POST /articles` checks them
    (places, dates, quotes found in the stored body); NotFound for an unknown article."""
    stored = ledger.article(article_id)
    article = ArticleIn(
        url=stored.url,
        outlet=stored.outlet,
        language=stored.language,
        published_on=stored.published_on,
        title=stored.title,
        body=stored.body,
        claims=given.claims,
        contestations=given.contestations,
    )
    submission = to_submission(article, gazetteer)
    if submission.article.id != article_id:  # pragma: no cover - ids are derived alike
        raise ValueError("the stored article's id does not derive from its url and body")
    return submission
