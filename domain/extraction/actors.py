"""Whose forces a claim is about: the forces named as the cue's subject, the agent of a
passive, the side encircling the forces it names, else the claimant's own side."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from domain.extraction.kinds import KindCue, without_asides
from domain.extraction.lexicon import Lexicon, side_table, words
from domain.extraction.speakers import Speaking, owned, speakers_named, trimmed
from domain.vocabulary import ClaimKind, Side

_WINDOW = 160
_AGENT_NEXT = 8
"""At most this far after a cue, its agent ('by the Russian forces') makes it a passive."""
_BELLIGERENTS = (Side.RUSSIA, Side.UKRAINE)


@dataclass(frozen=True, slots=True)
class SideMention:
    """Words naming a side's forces or the side itself; side None means 'the claimant's
    own' (its forces, our troops, we), or with `enemy`, the claimant's opponent."""

    side: Side | None
    start: int
    end: int
    enemy: bool = False


ENEMY = words(
    "l'ennemi|l'adversaire|(?:les )?(?:forces|troupes|unites) (?:ennemies|adverses)"
    "|(?:the )?enemy(?: forces| troops| units)?|(?:the )?adversary"
)
"""Words a side uses for the other side's forces ('l'ennemi a mene des actions
offensives', 'the enemy attempted to storm'): the claimant's opponent."""


def side_mentions(folded: str, start: int, end: int, lex: Lexicon) -> list[SideMention]:
    """Every mention of a side's forces or of a side as an actor in a span."""
    table = side_table()
    found = [
        SideMention(_forces_side(m.group()), m.start(), m.end())
        for m in table.forces.finditer(folded, start, end)
    ]
    bodies = [
        owned(Speaking(s.name, s.side, at, to), folded, start)
        for s, at, to in speakers_named(folded, start, end)
        if s.side in _BELLIGERENTS
    ]
    # A side after a preposition is a place ('in Russia'), unless the words introduce an
    # agent ('aux mains des Russes').
    found += [
        SideMention(m.side, m.start, m.end)
        for m in bodies
        if not lex.side_locative.search(folded, max(start, m.start - 30), trimmed(folded, m.start))
        or lex.agent.search(folded, max(start, m.start - 30), trimmed(folded, m.start))
    ]
    found += [
        SideMention(None, m.start(), m.end())
        for m in side_table().own_forces.finditer(folded, start, end)
    ]
    found += [
        SideMention(None, m.start(), m.end(), True)
        for m in ENEMY.finditer(folded, start, end)
        if not _ENEMY_OWNS.match(folded, m.end())
        and not _INTO_THE_ENEMY.search(folded, max(start, m.start() - 16), m.start())
    ]
    found += _named_again(folded, start, end, found)
    return sorted(
        (m for m in found if m.side is None or m.side in _BELLIGERENTS), key=lambda m: m.start
    )


_ENEMY_OWNS = re.compile(r"'s? ")
_INTO_THE_ENEMY = re.compile(r"\b(?:into|against|behind|of|contre|derriere|de|des)(?: the)? $")
"""The enemy as a possessor or an object ('deep into the enemy's defence', 'les positions
de l'ennemi'): not the forces that act."""


def _named_again(folded: str, start: int, end: int, found: list[SideMention]) -> list[SideMention]:
    """Forces named again without their side ('the sabotage group' after 'a Ukrainian
    sabotage group'): the side they were last named with in the article."""
    table = side_table()
    again = []
    for m in table.named_again.finditer(folded, start, end):
        if any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in found):
            continue
        earlier = _forces_by_noun(folded).get(m.group("noun"), [])
        index = bisect.bisect_left(earlier, (m.start(),)) - 1
        if index >= 0 and (side := earlier[index][1]) is not None:
            again.append(SideMention(side, m.start(), m.end()))
    return again


@lru_cache(maxsize=2)  # the article being read
def _forces_by_noun(folded: str) -> dict[str, list[tuple[int, Side | None]]]:
    """Where the article names forces with their side, by the noun it names them with."""
    table = side_table()
    by_noun: dict[str, list[tuple[int, Side | None]]] = {}
    for m in table.forces.finditer(folded):
        for noun in table.actor_noun.findall(m.group()):
            by_noun.setdefault(noun, []).append((m.start(), _forces_side(m.group())))
    return by_noun


def _forces_side(text: str) -> Side | None:
    table = side_table()
    for word in table.side_words.findall(text):
        return table.side_of_word[word]
    if re.search(r"russie|moscou|russia|moscow", text):
        return Side.RUSSIA
    return Side.UKRAINE


def actor_side(
    cue: KindCue, mentions: list[SideMention], claimant: Side, folded: str, lex: Lexicon
) -> Side | None:
    """The belligerent whose forces the cue is about, or None when nothing says."""
    if cue.lost:
        loser = actor_side(replace(cue, lost=False), mentions, claimant, folded, lex)
        return loser.opponent() if loser else None
    own = claimant if claimant in _BELLIGERENTS else None
    enemy = own.opponent() if own else None
    named = _side_in_cue(cue, folded)
    if cue.expelled and (named is not None or ENEMY.search(folded, cue.start, cue.end)):
        # 'chased the Russians out of X': the side driven out is not the one holding it.
        return named.opponent() if named is not None else own
    if named is not None:
        # 'halted a Ukrainian assault': the side named attacked; the other repelled it.
        return named.opponent() if cue.kind is ClaimKind.REPELLED else named
    if not cue.passive and (possessor := _possessor(cue, folded)) is not None:
        return possessor
    if cue.kind is ClaimKind.ENCIRCLEMENT and (encircled := _object(cue, mentions, folded)):
        # 'the encirclement of our units', "l'encerclement des troupes russes": the forces
        # named are the encircled; the other side encircles them.
        encircled_side = enemy if encircled.enemy else encircled.side or own
        return encircled_side.opponent() if encircled_side else None
    # A passive, or a participle its agent follows ('surrounded by Russian forces').
    agent = _agent(cue, mentions, folded, lex)
    if agent is not None and (cue.passive or agent.start - cue.end <= _AGENT_NEXT):
        return enemy if agent.enemy else agent.side or own
    before = [m for m in mentions if m.end <= cue.start and cue.start - m.end <= _WINDOW]
    subject = before[-1] if before else None
    if cue.fighting and subject is None:
        # 'Heavy fighting is under way near X': nothing says whose forces advance.
        return None
    if (
        cue.kind is ClaimKind.ENCIRCLEMENT
        and cue.passive
        and subject is not None
        and (
            not _short_gap(folded, subject.end, cue.start)
            or lex.reporting.search(folded, subject.end, cue.start) is not None
        )
    ):
        # 'Selon Moscou, Pokrovsk est encerclee', 'Moscow said Kupiansk was encircled': the
        # side named is not what is encircled, the place is, and the claimant's side
        # encircles it.
        return own
    if subject is not None and subject.enemy:
        # The enemy's failed attack was repelled by the claimant's own side; the enemy
        # encircled ('l'ennemi est encercle') is encircled by it.
        acted_on = cue.kind is ClaimKind.ENCIRCLEMENT and cue.passive
        return own if cue.kind is ClaimKind.REPELLED or acted_on else enemy
    subject_side = (subject.side or own) if subject else None
    if cue.kind is ClaimKind.ENCIRCLEMENT and cue.passive and subject_side is not None:
        return subject_side.opponent()
    if (
        cue.passive
        and cue.kind is ClaimKind.REPELLED
        and subject is not None
        and not lex.reporting.search(folded, subject.end, cue.start)
        and _short_gap(folded, subject.end, cue.start)
    ):
        # 'nos hommes sont repousses', 'Russian troops were beaten back': the forces
        # named were repelled, by the other side. (A side that said so, 'Kyiv said the
        # attack was beaten back', is the speaker, not the forces repelled.)
        return subject_side.opponent() if subject_side else own
    if cue.passive and cue.kind is not ClaimKind.ENCIRCLEMENT:
        return own or subject_side
    return subject_side or own


_SUBJECT_GAP = re.compile(r"(?: ?[\w'-]+){0,3} ?")
"""At most a few words (an auxiliary, an adverb) between forces and the passive that
says they are encircled or repelled ('les troupes ukrainiennes sont desormais
encerclees', 'Russian troops were beaten back')."""


def _short_gap(folded: str, start: int, end: int) -> bool:
    """Whether `_SUBJECT_GAP` spans `start` to `end`, asides and quotation marks aside
    ('were, he said, "completely surrounded"')."""
    gap = folded[start:end]
    return _SUBJECT_GAP.fullmatch(gap) is not None or (
        _SUBJECT_GAP.fullmatch(" " + without_asides(gap) + " ") is not None
    )


def _side_in_cue(cue: KindCue, folded: str) -> Side | None:
    """The side a cue names itself ('sous controle ukrainien', 'under Russian control',
    'repelled a Ukrainian assault')."""
    return named_side(folded, cue.start, cue.end)


def named_side(folded: str, start: int, end: int) -> Side | None:
    """The one belligerent a span names by its side's words, if one."""
    table = side_table()
    sides = {table.side_of_word[w] for w in table.side_words.findall(folded, start, end)}
    sides &= set(_BELLIGERENTS)
    return sides.pop() if len(sides) == 1 else None


_POSSESSOR = re.compile(
    r"\b(?:(?P<russia>russia|moscow|the kremlin)|(?P<ukraine>ukraine|kyiv|kiev))'s (?:\w+ )?$"
)
"""A side whose action or forces a cue follows ("Russia's push into", "Kyiv's summer
counteroffensive", "Kyiv's forces repelled")."""


def _possessor(cue: KindCue, folded: str) -> Side | None:
    found = _POSSESSOR.search(folded, max(0, cue.start - 30), cue.start)
    if found is None:
        return None
    return Side.RUSSIA if found.group("russia") else Side.UKRAINE


def _agent(
    cue: KindCue, mentions: list[SideMention], folded: str, lex: Lexicon
) -> SideMention | None:
    for mention in mentions:
        # The cue's own last word may introduce its agent ('fell to', 'tombee aux mains de').
        if (
            cue.end <= mention.start <= cue.end + 60
            and lex.agent.search(folded, cue.start, trimmed(folded, mention.start))
            # 'Koupiansk serait encerclee a ete rejetee par Kiev': the denial's agent.
            and not lex.denials.search(folded, cue.end, mention.start)
        ):
            return mention
    return None


_OF = re.compile(r" ?(?:of|of the|de|des|du|d') ?")


def _object(cue: KindCue, mentions: list[SideMention], folded: str) -> SideMention | None:
    """Forces named as a noun's object right after it ('encirclement of our units')."""
    for mention in mentions:
        if mention.start >= cue.end:
            return mention if _OF.fullmatch(folded, cue.end, mention.start) else None
    return None
