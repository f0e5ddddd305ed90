"""What a sentence claims: cues of the six kinds, their voice, negation and extent."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from domain.extraction.lexicon import Lexicon
from domain.extraction.speakers import trimmed
from domain.vocabulary import ClaimKind

_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?) ?(?:%|pour ?cent|percent|per cent)")
_PROGRESSIVE = re.compile(r"\w+ing\b")
_PROGRESSIVE_BEFORE = re.compile(r"\w{2,}ing$")
"""A cue that opens on a present participle or follows one ('were pushing towards', 'are
making advances') is not passive."""
_LOCATIVE = re.compile(r"(?:a|aux|au|at|on|to|in|dans)\b")
"""A cue that opens on a preposition ('aux portes de', 'on the outskirts of') says where
its subject is: 'sont aux portes' is no passive. ('Sous le controle de' keeps its agent.)"""
_REPELLED_REACH = 80
_CLAIMED_REACH = 70
"""How far before a noun of capture the verb that claims it may be ('a revendique dans la
nuit de samedi a dimanche la liberation de')."""
_REPELLED_PASSIVE = re.compile(
    r"(?:attempts?|attacks?|assaults?|tentatives?|attaques?|assauts?"
    r"|was|were|has been|have been|had been|being|a ete|ont ete|avait ete|avaient ete|est|sont"
    r"|a pu etre|ont pu etre|avait pu etre|avaient pu etre)\b"
)
"""A repelled cue that opens on the attacks or on a passive's auxiliary ('attacks were
repelled', 'attempts failed', 'had been stopped') reads as a passive: the forces named
before it attacked, the other side repelled them."""
_ASIDE = re.compile(
    r", (?:selon|according to|d'apres) [\w' -]{1,25},|, (?:he|she|they|it) (?:said|says|added),"
)
"""A speaker set off by commas ('selon lui', 'he said')."""


def without_asides(before: str) -> str:
    """The words before a cue without asides (`_ASIDE`) and quotation marks: 'sont, selon
    lui, " completement encercles "' is a passive."""
    return " ".join(_ASIDE.sub(" ", before).replace('"', " ").split())


_FALL = re.compile(r"(?:fall|chute)\b")
"""A noun of capture that names no taker ('the fall of X', 'la chute de X')."""
_CLAUSE_END = re.compile(r"[;:]|(?<!\d)\.(?!\d)|, (?:and|et|but|mais) ")
_SHARES = (
    (re.compile(r"moitie|half"), 0.5),
    (re.compile(r"trois quarts|three-quarters|three quarters"), 0.75),
    (re.compile(r"deux tiers|two-thirds|two thirds"), 0.67),
    (re.compile(r"un tiers|a third"), 0.33),
    (re.compile(r"un quart|a quarter"), 0.25),
)


@dataclass(frozen=True, slots=True)
class KindCue:
    """Words that say what the actor did or holds, with their voice and what else they
    carry: a share held, a negation."""

    kind: ClaimKind
    start: int
    end: int
    passive: bool
    negated: bool
    extent: float | None
    object_after: bool = False
    """A noun naming the deed ('la prise de', 'the capture of') or words ending on a
    preposition ('une contre-offensive dans'): its place follows it."""
    lost: bool = False
    """Control its subject lost or lacks (`Lexicon.lost_control`): the other side's."""
    expelled: bool = False
    """Control won by driving forces out (`Lexicon.expelled`): not the side driven out's."""
    fallen: bool = False
    """A place fallen, no one named as taking it (`Lexicon.fallen`, 'the fall of X')."""
    fighting: bool = False
    """Fighting near a place (`Lexicon.fighting_near`): an advance of whichever forces
    its sentence names as waging it, else of the side that would take the place."""


def kind_cues(
    folded: str, start: int, end: int, lex: Lexicon, reporting: list[re.Match[str]]
) -> list[KindCue]:
    """The claim cues of a sentence span, left to right, without overlaps (a share held
    wins over plain control), without hypotheticals, purposes and background clauses.
    Quotation marks are read through: the words an outlet quotes ('ont " nettoye "
    plusieurs quartiers', 'were "holding their positions" in') are cues all the same."""
    said = [r.start() for r in reporting]
    if folded.find('"', start, end) < 0:
        return _kind_cues(folded, start, end, lex, said)
    span, where = _unquoted(folded, start, end)
    cues = _kind_cues(span, 0, len(span), lex, [bisect.bisect_left(where, r) for r in said])
    last = len(where) - 1
    return [
        replace(c, start=where[min(c.start, last)], end=where[min(c.end - 1, last)] + 1)
        for c in cues
    ]


def _unquoted(folded: str, start: int, end: int) -> tuple[str, list[int]]:
    """A span without its quotation marks (and the space one would leave doubled), padded
    to its length, and where in the body each of its characters is."""
    kept: list[str] = []
    where: list[int] = []
    index = start
    while index < end:
        char = folded[index]
        index += 1
        if char == '"':
            if index < end and folded[index] == " " and (not kept or kept[-1] == " "):
                index += 1
            continue
        kept.append(char)
        where.append(index - 1)
    return "".join(kept) + " " * (end - start - len(kept)), where


def _kind_cues(
    folded: str, start: int, end: int, lex: Lexicon, reporting: list[int]
) -> list[KindCue]:
    raw = [
        (kind, match)
        for kind, pattern in lex.kinds
        for match in pattern.finditer(folded, start, end)
    ]
    nominal = [
        (ClaimKind.CONTROL, match)
        for match in lex.nominal_control.finditer(folded, start, end)
        if (
            _claimed_before(folded, start, match, lex)
            or lex.nominal_completed.search(folded, match.end(), min(end, match.end() + 100))
        )
        and not (
            lex.unnamed_object.match(folded, match.end())
            and not lex.named_after.match(folded, match.end() + 1)
        )
    ]
    lost = [(ClaimKind.CONTROL, m) for m in lex.lost_control.finditer(folded, start, end)]
    expelled = [(ClaimKind.CONTROL, m) for m in lex.expelled.finditer(folded, start, end)]
    fallen = [(ClaimKind.CONTROL, m) for m in lex.fallen.finditer(folded, start, end)]
    fighting = [(ClaimKind.ADVANCE, m) for m in lex.fighting_near.finditer(folded, start, end)]
    raw += nominal + lost + expelled + fallen + fighting
    fighting_starts = {match.start() for _, match in fighting}
    fallen_starts = {match.start() for _, match in fallen}
    fallen_starts |= {m.start() for _, m in nominal if _FALL.match(m.group())}
    nominal_starts = {match.start() for _, match in nominal}
    lost_starts = {match.start() for _, match in lost}
    expelled_starts = {match.start() for _, match in expelled}
    idioms = [(m.start(), m.end()) for m in lex.idioms.finditer(folded, start, end)]
    # A cue that begins inside a set phrase is part of it ('a douze reprises'); one that
    # takes the phrase in ('ont attaque a 40 reprises pres de') is not.
    raw = [
        (kind, match) for kind, match in raw if not any(s <= match.start() < e for s, e in idioms)
    ]
    chosen: list[tuple[ClaimKind, re.Match[str]]] = []
    for kind, match in sorted(raw, key=lambda c: (c[1].start() - c[1].end(), c[1].start())):
        if all(m.end() <= match.start() or m.start() >= match.end() for _, m in chosen):
            chosen.append((kind, match))
    cues: list[KindCue] = []
    for kind, match in sorted(chosen, key=lambda c: c[1].start()):
        if _guarded(folded, start, kind, match, lex, reporting) or _repelled_object(
            folded, kind, match, cues
        ):
            continue
        object_after = match.start() in nominal_starts or bool(
            lex.object_preposition.search(match.group())
        )
        cue = _cue(folded, start, kind, match, lex, object_after)
        if match.start() in lost_starts:
            cue = replace(cue, lost=True)
        cues.append(
            replace(
                cue,
                expelled=match.start() in expelled_starts,
                fallen=match.start() in fallen_starts,
                fighting=match.start() in fighting_starts,
            )
        )
    return cues


def _claimed_before(folded: str, start: int, match: re.Match[str], lex: Lexicon) -> bool:
    """Whether a noun of capture is what someone claims ('a revendique la prise de'), not
    what they have not yet confirmed ("n'avait pas encore confirme la prise de")."""
    claim = lex.claim_nominal_prefix.search(
        folded, max(start, match.start() - _CLAIMED_REACH), trimmed(folded, match.start())
    )
    if claim is None:
        return False
    before = trimmed(folded, claim.start())
    return not lex.negation.search(folded, max(start, before - 40), before)


def _repelled_object(
    folded: str, kind: ClaimKind, match: re.Match[str], cues: list[KindCue]
) -> bool:
    """'repelled assaults on X', 'thwarted an attempt by a group to enter X': the assault
    is what was repelled, not a claim of its own."""
    return kind is ClaimKind.ADVANCE and any(
        c.kind is ClaimKind.REPELLED
        and 0 <= match.start() - c.end <= _REPELLED_REACH
        and not _CLAUSE_END.search(folded, c.end, match.start())
        for c in cues
    )


def _guarded(
    folded: str,
    start: int,
    kind: ClaimKind,
    match: re.Match[str],
    lex: Lexicon,
    reporting: list[int],
) -> bool:
    end = trimmed(folded, match.start())
    guards = lex.guards if kind is ClaimKind.ADVANCE else (*lex.guards, lex.attempt_before)
    if kind is not ClaimKind.WITHDRAWAL:
        # An order to withdraw is how a withdrawal is announced ('Shoigu ordered troops to
        # withdraw from Kherson'); an order to take a town claims nothing.
        guards = (*guards, lex.order_before)
    # A speaker set off by commas ('doit permettre, selon lui, d'encercler') is an aside:
    # the guard reaches past it.
    speaking = [r for r in reporting if not _ASIDE.match(folded, max(0, r - 2))]
    for guard in guards:
        found = guard.search(folded, max(start, end - 120), end)
        if found and not any(found.start() < r < match.start() for r in speaking):
            return True
    return False


def _cue(
    folded: str,
    start: int,
    kind: ClaimKind,
    match: re.Match[str],
    lex: Lexicon,
    object_after: bool,
) -> KindCue:
    before_end = trimmed(folded, match.start())
    window = max(start, before_end - 40)
    negated = bool(lex.negation.search(folded, window, before_end)) and not _restrictive(match)
    negated = negated or bool(lex.negation_after.match(folded[match.end() :].lstrip()))
    passive = (
        bool(
            lex.passive_auxiliary.search(folded, window, before_end)
            or lex.passive_auxiliary.search(without_asides(folded[window:before_end]))
        )
        and not lex.active_auxiliary.search(folded, window, before_end)
        and not _PROGRESSIVE.match(match.group())
        and not _LOCATIVE.match(match.group())
        and not _PROGRESSIVE_BEFORE.search(folded, window, before_end)
    )
    passive = passive or (kind is ClaimKind.ENCIRCLEMENT and bool(lex.trapped.match(match.group())))
    if kind is ClaimKind.REPELLED and _REPELLED_PASSIVE.match(match.group()):
        passive = True
    extent = _extent(match.group()) if kind is ClaimKind.PARTIAL_CONTROL else None
    return KindCue(kind, match.start(), match.end(), passive, negated, extent, object_after)


def _restrictive(match: re.Match[str]) -> bool:
    return match.group().startswith(("ne ", "n'", "only "))


def _extent(text: str) -> float | None:
    if percent := _PERCENT.search(text):
        return round(float(percent.group(1).replace(",", ".")) / 100, 4)
    for pattern, share in _SHARES:
        if pattern.search(text):
            return share
    return None
