"""Claim extraction: an article's text in, its attributed claims about places and the
rejections of them out. Rules and data files (lexicons, speakers, the gazetteer); no model."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.extraction.language import detect_language, supported
from domain.extraction.lexicon import lexicon
from domain.extraction.model import (
    EXTRACTOR_NAME,
    EXTRACTOR_VERSION,
    Extraction,
    FoundClaim,
    FoundContestation,
    Reader,
)
from domain.extraction.places import PlaceIndex
from domain.extraction.reader import ArticleReader
from domain.extraction.speakers import later_speakers
from domain.extraction.text import fold, split_sentences, tokenize
from domain.places import Gazetteer
from domain.vocabulary import Side

__all__ = [
    "EXTRACTOR_NAME",
    "EXTRACTOR_VERSION",
    "Extraction",
    "Extractor",
    "FoundClaim",
    "FoundContestation",
    "Reader",
]


class Extractor:
    """Reads articles as an analyst would; build once per gazetteer, then call `extract`."""

    name = f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}"
    """The name its readings are recorded under."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._places = PlaceIndex(gazetteer)

    def extract(self, body: str, published_on: date, language: str | None = None) -> Extraction:
        """The claims and contestations of one article (language detected when not given
        or not one the extractor reads)."""
        code = supported(language) or detect_language(body)
        lex = lexicon(code)
        folded = fold(body)
        sentences = split_sentences(body)
        reader = ArticleReader(
            body,
            folded,
            published_on,
            lex,
            self._places.find(folded, tokenize(body), lex),
            later=later_speakers(folded, sentences, lex),
        )
        for sentence in sentences:
            reader.read(sentence)
        headline_end = max(0, body.find("\n"))
        claims, renamed = _merged(
            [c for _, c in reader.claims], reader.restated, reader.undated, headline_end
        )
        contestations = _contestations(reader.contestations, renamed)
        return Extraction(code, tuple(claims), tuple(contestations))


def _merged(
    found: list[FoundClaim], restated: set[str], undated: set[str], headline_end: int
) -> tuple[list[FoundClaim], dict[str, str]]:
    """One claim per proposition, repeats folded into the first reading, a claim as its
    denier restates it folded into the claim itself when the article tells that too, and
    a claim nothing dates (a headline's) into the same claim dated days before. The
    outlet's own narration is no attributed claim and is left out: of the narration the
    reader found in the tuned development articles, none was a claim the gold requires;
    each was spurious or a side's claim read without its speaker."""
    kept: dict[tuple[object, ...], FoundClaim] = {}
    renamed: dict[str, str] = {}
    attributed = [c for c in found if c.id not in restated and c.claimant_side is not Side.MEDIA]
    told = _by_day(attributed)
    dated = _by_day([c for c in attributed if c.id not in undated])
    for claim in found:
        if claim.claimant_side is Side.MEDIA:
            continue
        if claim.id in restated:
            original = _told_before(claim, told)
        elif claim.id in undated:
            original = _dated_twin(claim, dated, headline=claim.start < headline_end)
        else:
            original = None
        same = kept.get((original or claim).key())
        if original is not None and same is None:
            kept[original.key()] = same = original
        if same is not None:
            renamed[claim.id] = same.id
        else:
            kept[claim.key()] = claim
    numbered: list[FoundClaim] = []
    for number, claim in enumerate(kept.values(), start=1):
        new_id = f"c{number}"
        renamed.update({old: new_id for old, new in renamed.items() if new == claim.id})
        renamed[claim.id] = new_id
        numbered.append(replace(claim, id=new_id))
    return numbered, renamed


_ByDay = dict[tuple[object, ...], tuple[int, FoundClaim]]
"""The first reading (and its place in the text) of each claim, by place, sides, kind and
day: what a restated or undated reading is looked up in, a day at a time, so an article of
thousands of readings is folded in time proportional to them."""


def _by_day(claims: list[FoundClaim]) -> _ByDay:
    index: _ByDay = {}
    for position, claim in enumerate(claims):
        index.setdefault(claim.key(), (position, claim))
    return index


def _within(claim: FoundClaim, index: _ByDay, days: range) -> list[tuple[int, FoundClaim]]:
    """The first readings of the same claim made the given numbers of days before it."""
    day = claim.claimed_on.toordinal()
    return [
        found
        for back in days
        if day - back >= 1  # no day before the calendar's first
        and (found := index.get((*claim.key()[:4], date.fromordinal(day - back))))
    ]


_RESTATED_DAYS = 30


def _told_before(restated: FoundClaim, told: _ByDay) -> FoundClaim | None:
    """The claim a denier restates, as the article tells it elsewhere: same place, sides
    and kind, made at most `_RESTATED_DAYS` before the denial (the latest such)."""
    earlier = _within(restated, told, range(_RESTATED_DAYS + 1))
    return earlier[0][1] if earlier else None


_HEADLINE_DAYS = 7
_UNDATED_DAYS = 2


def _dated_twin(claim: FoundClaim, dated: _ByDay, *, headline: bool) -> FoundClaim | None:
    """The same claim read elsewhere in the article with the day it was made, before the
    day an undated reading was given (the publication's) by a week at most for a
    headline's ('Russia claims capture of X', its lede 'said on Sunday'), two days for one
    in the body: a reading in the body dated further back is another claim (a withdrawal
    ordered on Wednesday, another announced as completed today)."""
    days = _HEADLINE_DAYS if headline else _UNDATED_DAYS
    earlier = _within(claim, dated, range(1, days + 1))
    return min(earlier, key=lambda found: found[0])[1] if earlier else None


def _contestations(
    found: list[FoundContestation], renamed: dict[str, str]
) -> list[FoundContestation]:
    seen: set[tuple[str, Side]] = set()
    result = []
    for contestation in found:
        target = renamed.get(contestation.contests, contestation.contests)
        if (target, contestation.by_side) not in seen:
            seen.add((target, contestation.by_side))
            result.append(replace(contestation, contests=target))
    return result
