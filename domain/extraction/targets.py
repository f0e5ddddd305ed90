"""Which places a claim cue is about: the places after it in its clause and those joined
to them by 'et'/'and', else the nearest free place before it, else 'la ville' and kin."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from domain.extraction.kinds import KindCue
from domain.extraction.lexicon import Lexicon, side_table
from domain.extraction.places import PlaceMention
from domain.vocabulary import ClaimKind, PlaceKind

_REACH = 160
_LOCATOR_REACH = 60
_HELD = frozenset({ClaimKind.CONTROL, ClaimKind.PARTIAL_CONTROL})
_MANY = re.compile(r"(?:\b[1-9]\d+|dizaines|centaines?|dozens|scores|hundreds)\s*(?:\w+\s*)?$")
_LIST_GAP = 40
"""At most this much text between two places of one list ('X, Y et de Z', 'X and the
village of Y'), unless an apposition of at most `_APPOSITION_GAP` characters."""
_APPOSITION_GAP = 120
_CONJUNCTION = re.compile(r"\b(?:et|ou|and|or)\b")
_REOPENS = re.compile(r"\b(?:ainsi qu|de meme qu|as well as|along with)")
"""Words that add to a list already closed ('X et Y ..., ainsi que Z')."""
_INCLUDING = re.compile(
    r"^[^;:.!?]*, (?:including|notably|among them|notamment|dont|y compris)\b[^,;:.!?]{0,24}$"
)
"""Places a list adds after a comma ('..., including near X and Y', '..., notamment a X')."""
_REGION_OF_A_TOWN = re.compile(
    r"(?: region| oblast)?(?:'s)? (?:[a-z-]+ )?(?:town|city|village|settlement|hamlet)s? of "
)
NEW_COMPLEMENT = re.compile(r"\b(?:and|but|et|mais) (?:that|que|qu')")
"""A second clause of what a speaker says, joined to the first ('... had been encircled,
and that the villages of X and Y had been liberated')."""
_ABSOLUTE = re.compile(r", [^,;:.]{0,40}\b(?:ayant|etant|having)\b")
"""An absolute participle clause after a comma ('les forces russes ayant coupe ...')."""
_SUBJECT_RELATIVE = re.compile(r", (?:which|who|qui)\b")
"""A relative clause on the cue's object ('the town, which Moscow sees as a gateway to X'):
the places it names are not the object."""
_CLAUSE_BREAK = re.compile(r"[;:!?]|(?<!\d)\.(?!\d)|" + NEW_COMPLEMENT.pattern)
"""Where a cue's clause ends: a stop, or a second complement of its speaker."""


@dataclass(frozen=True, slots=True)
class ClaimPlaces:
    """A sentence's places a claim may be about (`claim_places`): all but those that only
    say where another lies, and of those the ones a place held or taken may be (no axis
    of the front, no town set 'near' the one before)."""

    any: list[PlaceMention]
    held: list[PlaceMention]


def claim_places(
    cues: list[KindCue], sentence: list[PlaceMention], folded: str, lex: Lexicon
) -> ClaimPlaces:
    """The places of a sentence its cues may speak of, sorted once for all its cues."""
    usable = [
        m
        for index, m in enumerate(sentence)
        if not (_locator(m, folded, lex) and not _right_after_a_cue(m, cues, folded))
        and not _locates_the_one_before(sentence, index, cues, folded, lex)
    ]
    held = [
        m
        for index, m in enumerate(usable)
        if not _axis(m, folded, lex)
        and not (
            index > 0
            and lex.near_the_one_before.search(folded[usable[index - 1].end : m.start].rstrip())
        )
    ]
    return ClaimPlaces(usable, held)


def places_for(
    cue: KindCue,
    cues: list[KindCue],
    places: ClaimPlaces,
    used: set[int],
    folded: str,
    lex: Lexicon,
) -> list[PlaceMention]:
    """The places a cue speaks of, among the sentence's places not yet taken. A region
    that only says where a settlement lies is none of them."""
    sentence = places.held if cue.kind in _HELD else places.any
    next_cue = min((c.start for c in cues if c.start > cue.start), default=len(folded))
    after = [
        m
        for m in sentence
        if m.start >= cue.end and m.start < next_cue and m.start - cue.end <= _REACH
    ]
    if cue.kind is ClaimKind.WITHDRAWAL:
        after = [
            m
            for m in after
            if not _destination(m, folded, lex) and not lex.purpose.search(folded, cue.end, m.start)
        ]
    if after and (
        _ABSOLUTE.search(folded, cue.end, after[0].start)
        or _SUBJECT_RELATIVE.search(folded, cue.end, after[0].start)
    ):
        # 'la garnison etait encerclee, les forces russes ayant coupe la route vers X', 'had
        # liberated the town, which Moscow sees as a gateway to X': a clause of its own.
        after = []
    if after and not _CLAUSE_BREAK.search(folded, cue.end, _colon_list(folded, after[0], lex)):
        return with_coordinated(after, lex, folded)
    # 'Russian attacks near Kupiansk failed': the place within the cue's words.
    if within := [m for m in sentence if cue.start <= m.start and m.end <= cue.end]:
        return within
    # 'Dachne, which Moscow says it captured, remains under Ukrainian control': the place
    # a relative clause is about, for the cues inside it and for the one after it.
    if (antecedent := _relative_antecedent(cue, sentence, folded)) is not None:
        return [antecedent]
    # A cue whose object follows it names no place before it, unless its object is
    # unnamed villages: then the region named before is what it speaks of ('crossed
    # into the Kursk region, taking control of several villages'), and no town is.
    # (A passive's object is its subject: what follows it is its agent.)
    unnamed = not cue.passive and lex.unnamed_object.match(folded, cue.end) is not None
    if cue.object_after and not unnamed:
        return []
    if _region_named_back(cue, folded, lex):
        return []
    previous_cue = max((c.end for c in cues if c.end <= cue.start), default=0)
    before = [
        m
        for m in sentence
        if m.end <= cue.start
        and m.start >= previous_cue
        and cue.start - m.end <= _REACH
        and m.start not in used
        and (not unnamed or m.place.kind is not PlaceKind.POPULATED_PLACE)
    ]
    if not before:
        return []
    # 'Balakliia and Izium' before the cue: both, in text order.
    listed = with_coordinated(before[::-1], lex, folded, backwards=True)
    return listed[::-1]


_RELATIVE_OPENING = re.compile(
    r", (?:which|that|where|que|qu'|dont|lequel|laquelle"
    r"|ou(?= (?:les?|la|l'|elles?|ils?|nos|leurs|ses|on|des)\b))\b"
)
_RELATIVE = re.compile(_RELATIVE_OPENING.pattern + r"[^,;:.!?\"]{1,100}")
"""A relative clause set off by a comma ('..., which Moscow says it captured', ', ou elles
ont repousse un assaut'): an opening and what follows up to the next comma or stop."""
_AFTER_RELATIVE = re.compile(r", (?:[\w'-]+ ){0,3}")


def relative_clause(folded: str, at: int) -> tuple[int, int] | None:
    """The relative clause set off by a comma that `at` lies in, if any ('..., which
    Russia claimed to have captured, ...'): where it starts and ends."""
    low = max(0, at - _RELATIVE_LONGEST)
    opened = [m.start() for m in _RELATIVE_OPENING.finditer(folded, low, at)]
    if not opened:
        return None
    clause = _RELATIVE.match(folded, opened[-1])
    return (clause.start(), clause.end()) if clause and clause.end() > at else None


_RELATIVE_LONGEST = 110


def _relative_antecedent(
    cue: KindCue, sentence: list[PlaceMention], folded: str
) -> PlaceMention | None:
    """The place a relative clause set off by commas is about, when the cue lies in that
    clause ("Dachne, which Moscow says it captured") or right after it, at the head of
    the clause the place is the subject of ("Dachne, que Moscou dit avoir pris, est
    toujours sous controle ukrainien")."""
    before = [m for m in sentence if m.end <= cue.start]
    if not before:
        return None
    place = before[-1]
    relative = _RELATIVE.match(folded, place.end)
    if relative is None:
        return None
    if relative.end() >= cue.end:
        return place
    after = _AFTER_RELATIVE.match(folded, relative.end())
    return place if after is not None and after.end() >= cue.start else None


_REGION_NEXT = 30


def _region_named_back(cue: KindCue, folded: str, lex: Lexicon) -> bool:
    """Whether the cue's object is 'the region' ('Luhansk's leader said Russia fully
    controlled the region'): the region a name before stands for (`anaphoric_place`), not
    the city it also names."""
    region = lex.anaphora_region.search(folded, cue.end, cue.end + _REGION_NEXT)
    return region is not None and not re.search(r"[,;:.!?]", folded[cue.end : region.start()])


def _colon_list(folded: str, first: PlaceMention, lex: Lexicon) -> int:
    """Where the words before a list's first place end: before the colon that opens it
    after the settlements it names ('captured two villages: X and Y'), else at the place."""
    colon = folded.rfind(":", max(0, first.start - 40), first.start)
    if colon < 0 or folded[colon + 1 : first.start].strip():
        return first.start
    noun = lex.settlement_noun.search(folded, max(0, colon - 20), colon)
    return colon if noun and not folded[noun.end() : colon].strip() else first.start


def _axis(mention: PlaceMention, folded: str, lex: Lexicon) -> bool:
    """A place named as a line of the front ('la direction de Pokrovsk', 'the Kramatorsk
    sector'), which no one holds or takes; advances and repelled attacks along an axis
    are still claims about it."""
    before = folded[max(0, mention.start - 40) : mention.start].rstrip()
    after = folded[mention.end : mention.end + 20].lstrip()
    return bool(lex.axis_before.search(before) or lex.axis_after.search(after))


def with_coordinated(
    after: list[PlaceMention], lex: Lexicon, folded: str, *, backwards: bool = False
) -> list[PlaceMention]:
    """The first place after a cue and those listed with it (with `backwards`, the last
    place before a cue and those listed before it). A list closes at its conjunction:
    'X et Y, pres de Z' names Z to place the others."""
    chosen = [after[0]]
    coordination = re.compile(lex.coordination.pattern.removeprefix("^"))
    closed = False
    for mention in after[1:]:
        first, second = (mention, chosen[-1]) if backwards else (chosen[-1], mention)
        between = folded[first.end : second.start].replace("'", "' ").strip()
        if not backwards and len(between) <= _APPOSITION_GAP and _INCLUDING.search(between):
            # 'repelled 42 attacks in the Pokrovsk sector, including near X and Y'.
            chosen.append(mention)
            continue
        # A long gap is an apposition set off by commas ('Pokrovsk, noeud logistique
        # vital..., ainsi qu'a Siversk'), else a clause of its own that ends the list.
        long_gap = len(between) > _LIST_GAP and not between.startswith(",")
        if long_gap or len(between) > _APPOSITION_GAP or _CLAUSE_BREAK.search(between):
            break
        joined = _CONJUNCTION.search(between) is not None
        reopened = _REOPENS.search(between) is not None
        if closed and (joined if backwards else not joined) and not reopened:
            break
        if coordination.search(between) and mention.place.id != chosen[-1].place.parent:
            chosen.append(mention)
            closed = closed or joined
    return chosen


def _locator(mention: PlaceMention, folded: str, lex: Lexicon) -> bool:
    """A region named just after a settlement, named or not, to say where it lies ('la
    localite de X, dans la region de Kharkiv', 'captured two villages in Ukraine's
    Dnipropetrovsk region'), a town that settlements lie near ('five villages near
    Lyman'), a landmark a distance is measured from, or an event a time is counted from
    ('since the fall of Avdiivka'). The claim is about the others."""
    before = folded[max(0, mention.start - _LOCATOR_REACH) : mention.start]
    if lex.since_event.search(before.rstrip()):
        return True
    if lex.distance_from.search(folded[max(0, mention.start - 100) : mention.start].rstrip()):
        return True
    if mention.place.kind is not PlaceKind.OBLAST:
        return lex.settlement_near.search(before.rstrip()) is not None
    if _REGION_OF_A_TOWN.match(folded, mention.end):
        # 'the Kursk region town of Sudzha': the town is the claim's.
        return True
    noun = lex.settlement_noun.search(before)
    if noun is None or _CLAUSE_BREAK.search(before):
        return False
    # Scores of settlements taken in a region ('plus de 30 localites dans la region de
    # Kharkiv', 'about 100 settlements in Kursk Oblast') are a claim about the region.
    return not _MANY.search(before[: noun.start()][-25:])


def _right_after_a_cue(mention: PlaceMention, cues: list[KindCue], folded: str) -> bool:
    """A place a cue ends on ('Russian forces are now within 3 km of Pokrovsk'): the cue's
    own, even where its words would make it a landmark a distance is measured from."""
    return any(c.end <= mention.start and not folded[c.end : mention.start].strip() for c in cues)


def _locates_the_one_before(
    sentence: list[PlaceMention], index: int, cues: list[KindCue], folded: str, lex: Lexicon
) -> bool:
    """A region named after a settlement, in the same clause and with no claim between
    them, to say where it lies ('Chasiv Yar, dans la region de Donetsk', 'Tchassiv Iar,
    important bastion de l'armee dans la region de Donetsk', 'Lyman in the eastern Donetsk
    region'). A region joined to it by 'et'/'and' is a second place of a list."""
    mention = sentence[index]
    if index == 0 or mention.place.kind is not PlaceKind.OBLAST:
        return False
    previous = sentence[index - 1]
    if previous.place.kind is not PlaceKind.POPULATED_PLACE:
        return False
    gap = folded[previous.end : mention.start]
    if len(gap) > _LOCATOR_REACH or _CLAUSE_BREAK.search(gap):
        return False
    if any(previous.end <= c.start < mention.start for c in cues):
        return False
    between = gap.replace("'", "' ").strip()
    if between in (",", "-"):
        return False
    return between.startswith(",") or not lex.coordination.search(between)


_CITY = 20_000
"""Fewer people than this make a village or a town; more, a town or a city."""


def _sized(folded: str, low: int, high: int, lex: Lexicon) -> Callable[[int | None], bool]:
    """Which populations 'the village' or 'the city' can refer to (any for 'the town')."""
    if lex.anaphora_village.search(folded, low, high):
        return lambda people: people is None or people < _CITY
    if lex.anaphora_city.search(folded, low, high):
        return lambda people: people is not None and people >= _CITY
    return lambda people: True


def _destination(mention: PlaceMention, folded: str, lex: Lexicon) -> bool:
    """A place a withdrawal went to or across, not the one it left."""
    before = folded[max(0, mention.start - 40) : mention.start].rstrip()
    return lex.destination.search(before) is not None


def anaphoric_place(
    cue: KindCue,
    start: int,
    end: int,
    folded: str,
    lex: Lexicon,
    earlier: list[PlaceMention],
    topics: set[str],
    paragraph_start: int = 0,
) -> PlaceMention | None:
    """The place 'la ville', 'cette zone', 'the town' or 'this region' refers back to: a
    settlement (or oblast) named earlier in the sentence, else the last one named before
    that claims were made about (`topics`), else the last one named. Never a capital,
    which stands for its government more often than for a town ("no comment from Kyiv")."""
    low, high = max(start, cue.start - 80), min(end, cue.end + 60)
    if lex.anaphora_region.search(folded, low, high):
        kinds = {PlaceKind.OBLAST, PlaceKind.REGION}
    elif settlement := lex.anaphora_settlement.search(folded, low, high):
        kinds = {PlaceKind.POPULATED_PLACE}
        if settlement.group() in _PRONOUNS and not any(
            m.start >= start and m.place.kind is PlaceKind.POPULATED_PLACE for m in earlier
        ):
            # 'advancing in the Donetsk region, and controls 80% of it': a pronoun
            # stands for a region its sentence names, when it names no town.
            kinds |= {PlaceKind.OBLAST, PlaceKind.REGION}
    else:
        return None
    capitals = side_table().capitals
    candidates = [
        m
        for m in earlier
        if m.place.kind in kinds and m.end <= cue.start and m.place.id not in capitals
    ]
    if not candidates and PlaceKind.OBLAST in kinds:
        # 'the Luhansk leader said Russia fully controlled the region': the oblast the
        # city's name names.
        candidates = [
            replace(m, place=m.names_oblast)
            for m in earlier
            if m.names_oblast is not None and m.end <= cue.start
        ]
    if PlaceKind.POPULATED_PLACE in kinds:
        sized = _sized(folded, low, high, lex)
        candidates = [m for m in candidates if sized(m.place.population)] or candidates
        if _TOWN_WORD.search(folded, low, high) and not lex.anaphora_village.search(
            folded, low, high
        ):
            # 'the town' is not a place the article called a village ('Dachne, a village
            # near Kurakhove ... the town'); 'it' or 'there' may be.
            candidates = [m for m in candidates if not _called_a_village(m, folded)] or candidates
    if not candidates:
        return None
    last = candidates[-1]
    if last.start >= start:
        return last
    # The paragraph's own places first ('A Koupiansk, les combats se poursuivent. [...]
    # plusieurs quartiers de la ville'), not a topic of the paragraphs before.
    near = [m for m in candidates if m.start >= paragraph_start] or candidates
    return next((m for m in reversed(near) if m.place.id in topics), near[-1])


_PRONOUNS = frozenset({"it", "there", "ici", "l'"})
_TOWN_WORD = re.compile(r"\b(?:town|city|ville|cite|agglomeration)\b")
_CALLED_A_VILLAGE_BEFORE = re.compile(r"\b(?:village|hamlet|hameau) (?:of |de |d')?$")
_CALLED_A_VILLAGE_AFTER = re.compile(r"^,? (?:a|un|the|le) (?:small )?(?:village|hamlet|hameau)\b")


def _called_a_village(mention: PlaceMention, folded: str) -> bool:
    before = folded[max(0, mention.start - 20) : mention.start]
    after = folded[mention.end : mention.end + 20]
    return bool(_CALLED_A_VILLAGE_BEFORE.search(before) or _CALLED_A_VILLAGE_AFTER.match(after))
