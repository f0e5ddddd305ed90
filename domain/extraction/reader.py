"""One article read sentence by sentence: who speaks, what they claim, about which
place, on which day, and whom they contradict."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from domain.events import DateWindow
from domain.extraction.actors import ENEMY, SideMention, actor_side, named_side, side_mentions
from domain.extraction.dates import DateMention, date_mentions
from domain.extraction.kinds import KindCue, kind_cues
from domain.extraction.lexicon import Lexicon, side_table
from domain.extraction.model import FoundClaim, FoundContestation
from domain.extraction.places import PlaceMention
from domain.extraction.speakers import (
    CONTRAST,
    Attribution,
    attributions,
    denier_after,
    reporting_cues,
    speakers_named,
    trimmed,
)
from domain.extraction.targets import (
    NEW_COMPLEMENT,
    ClaimPlaces,
    anaphoric_place,
    claim_places,
    places_for,
    relative_clause,
    with_coordinated,
)
from domain.extraction.text import Sentence
from domain.vocabulary import ClaimKind, PlaceKind, Side

MEDIA_NAME = "the outlet"
_ANAPHORA_REACH = 200
"""How many places named before a cue 'the town' or 'this region' may refer back to."""
_RECENT_CLAIMS = 200
"""How many of the claims read before a denial or a 'repelled' answer it may contest."""
_BACKGROUND_DAYS = 30
"""A claim dated more days than this before publication, in a sentence naming no speaker of
its own, is history the outlet tells (`ArticleReader._background`)."""
_ANAPHOR_REACH = 60
"""How far before its cue the words that name a claim's place again ('the town') are
quoted."""
_OBJECT_GAP = 2
"""How far after its cue they may start, as its object ('infiltrated the town')."""
_PENDING_REACH = 2
"""How many sentences after a denial that found nothing to deny may voice what it denies
('Kyiv denied it. "It is a lie," a spokesman said. Moscow had claimed ...')."""
_OPENING = 12
"""A date this near a sentence's start sets the day of what follows ('Le 3 novembre, ...')."""
_OPENING_SUBJECT = 60
"""How far into a sentence the body it is about may end (`ArticleReader._body_opening`)."""
_SPOKE_ON_PARAGRAPHS = 2
"""How many paragraphs on a speaker's undated words keep the day it last spoke on."""
_UNCONFIRMED = re.compile(r"\bconfirm")
_QUOTE_MARK = re.compile('"')
_SURE_KINDS = frozenset({ClaimKind.CONTROL, ClaimKind.PARTIAL_CONTROL})


@dataclass(frozen=True)
class _Denial:
    """A denial that found nothing before it to deny: who denies, in which sentence, where
    its words stand and the dates the sentence names."""

    denier: Attribution
    sentence: Sentence
    at: int
    dates: list[DateMention]
    places: frozenset[str]


@dataclass(frozen=True)
class _Unnamed:
    """A claim cue whose places its sentence left unnamed, with all else read of it."""

    cue: KindCue
    claimant: str
    side: Side
    actor: Side
    when: date
    window: DateWindow | None
    speaker: Attribution | None


@dataclass
class _Context:
    """What carries from one sentence to the next."""

    speaker: Attribution | None = None
    inherited: Attribution | None = None
    paragraph: int = -1
    paragraph_before: int = -1
    paragraph_start: int = 0
    """Where the paragraph being read opens in the body."""
    when: DateMention | None = None
    denier: Side | None = None
    denied_place: PlaceMention | None = None
    """Where the first claim the last denial denied is."""
    previous: Sentence | None = None
    spoke_on: dict[str, tuple[int, DateMention]] = field(default_factory=dict)
    """When each speaker last spoke, as its sentence dated it, and in which paragraph: the
    day it goes on speaking in the next paragraphs ('The ministry said in a statement ...',
    'The ministry also said ...' after another side's answer)."""
    lede: dict[Side, tuple[int, DateMention]] = field(default_factory=dict)
    """The day a side spoke on without claiming a place it named, as its sentence dated
    it, and in which paragraph: what the next paragraph details goes on from ('L'armee
    russe a revendique mardi la prise de deux villages. [...] les localites de X et Y, a
    indique le ministere')."""
    pending: _Denial | None = None
    """A denial that found nothing before it to deny ('Kyiv rejected the claim. Earlier,
    Moscow said ...'): the next sentence's claims by the other side are what it denies."""
    unnamed: _Unnamed | None = None
    """A claim of places the sentence did not name ('captured three more villages'): the
    next sentence may name them ('They are X, Y and Z')."""
    last_date: DateMention | None = None
    """The last day the sentence before named, whatever it dated: the day 'alors' or
    'then' points back to."""
    bare: tuple[int, int, Side] | None = None
    """A denial that named no place nor gain ('Cote russe, on dement.'): the sentence it
    is read in, where its contestations begin, and its side. The next sentence, if it
    says what the side denies, stands in for it."""


@dataclass
class ArticleReader:
    """Reads one article; `claims` and `contestations` fill up as sentences are read."""

    body: str
    folded: str
    published: date
    lex: Lexicon
    places: list[PlaceMention]
    claims: list[tuple[int, FoundClaim]] = field(default_factory=list)
    contestations: list[FoundContestation] = field(default_factory=list)
    later: dict[int, Attribution] = field(default_factory=dict)
    """Speakers named after what they said, by sentence start (`later_speakers`)."""
    restated: set[str] = field(default_factory=set)
    """The claims read from a denial's own words ('rejected Russian claims that its forces
    had been encircled'), by id: the claim as its denier tells it."""
    undated: set[str] = field(default_factory=set)
    """The claims nothing in the text dates, by id: given the publication's day."""
    _context: _Context = field(default_factory=_Context)
    _topics: set[str] = field(default_factory=set)
    """The places claims were read about so far."""
    _captures: dict[tuple[str, Side], list[tuple[int, FoundClaim]]] = field(default_factory=dict)
    """The captures claimed so far, by place and side, with the index of their sentence:
    what a 'repelled' answer may contest."""
    _answered: set[tuple[tuple[object, ...], Side]] = field(default_factory=set)
    """The captures (by `FoundClaim.key`) a side has answered with a repulse already."""
    _holds: set[str] = field(default_factory=set)
    """The claims that a side still holds a place of its country, by id: each answers the
    enemy's capture of it told next to it."""
    _starts: list[int] = field(init=False, default_factory=list)
    _settlements: set[str] = field(init=False, default_factory=set)
    """The places the article names that are settlements, by id."""
    _paragraph_of: dict[int, int] = field(init=False, default_factory=dict)
    """The paragraph of each sentence read, by sentence index."""
    _quote_marks: list[int] = field(init=False, default_factory=list)
    """Where the sentence being read opens and closes quotations: a position after an odd
    number of them is inside one."""

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.places]
        self._settlements = {
            m.place.id for m in self.places if m.place.kind is PlaceKind.POPULATED_PLACE
        }

    def _places_before(self, end: int) -> list[PlaceMention]:
        """The last places named before `end` (mention starts), as far as a reference back
        may reach (`_ANAPHORA_REACH`)."""
        high = bisect.bisect_left(self._starts, end)
        return self.places[max(0, high - _ANAPHORA_REACH) : high]

    def _claims_since(self, index: int) -> list[tuple[int, FoundClaim]]:
        """The claims read from sentence `index` on."""
        since = len(self.claims)
        while since > 0 and self.claims[since - 1][0] >= index:
            since -= 1
        return self.claims[since:]

    def _name_the_unnamed(self, sentence: Sentence) -> None:
        """Claims about the places a sentence names that the one before took without
        naming them ('Russia said it took three more villages. They are X, Y and Z.')."""
        unnamed, self._context.unnamed = self._context.unnamed, None
        if unnamed is None:
            return
        naming = self.lex.naming_them.match(self.folded, sentence.start)
        if naming is None:
            return
        for target in self._listed_from(naming.end(), sentence.end):
            self._add(
                sentence,
                unnamed.cue,
                target,
                unnamed.claimant,
                unnamed.side,
                unnamed.actor,
                unnamed.when,
                unnamed.window,
                unnamed.speaker,
            )

    def _listed_from(self, at: int, end: int) -> list[PlaceMention]:
        """The places listed from `at` on ('X, Y et de Z'), the first named right there."""
        places = self._places_in(at, end)
        if not places or not _NAMED_THERE.fullmatch(self.folded, at, places[0].start):
            return []
        return with_coordinated(places, self.lex, self.folded)

    def _places_in(self, start: int, end: int) -> list[PlaceMention]:
        """The places named from `start` to `end` (mention starts), in text order."""
        return self.places[
            bisect.bisect_left(self._starts, start) : bisect.bisect_left(self._starts, end)
        ]

    def read(self, sentence: Sentence) -> None:
        """Read one sentence, in body order."""
        context = self._context
        if sentence.paragraph != context.paragraph:
            context.paragraph_before = context.paragraph
            context.paragraph_start = sentence.start
            context.paragraph, context.when, context.inherited = sentence.paragraph, None, None
        start, end = sentence.start, sentence.end
        self._paragraph_of[sentence.index] = sentence.paragraph
        self._quote_marks = [m.start() for m in _QUOTE_MARK.finditer(self.folded, start, end)]
        reporting = reporting_cues(self.folded, start, end, self.lex)
        said = attributions(self.folded, start, end, self.lex, context.speaker)
        dates = date_mentions(self.folded, start, end, self.lex, self.published)
        denial = self._denial(start, end)
        # A side still fighting in a place denies its loss, and tells no claim it denies.
        on = self.lex.fighting_on.match(self.folded, denial.start()) if denial else None
        bound = on is not None and denial is not None and on.end() == denial.end()
        if denial is not None and not bound:
            # Claims a denial names are what it rejects, told as its denier restates them.
            said = [a for a in said if not a.claims_noun]
        every_cue = kind_cues(self.folded, start, end, self.lex, reporting)
        cues = [c for c in every_cue if not c.negated]
        fallback = None if said else (self.later.get(start) or self._inherited(start, end))
        before = len(self.claims)
        self._name_the_unnamed(sentence)
        denial_at = denial.start() if denial and not bound else None
        self._claims(sentence, cues, said, fallback, dates, denial_at)
        if (pending := context.pending) is not None:
            found = self._contest_pending(pending, sentence, [c for _, c in self.claims[before:]])
            if found or sentence.index - pending.sentence.index >= _PENDING_REACH:
                context.pending = None
        self._contests(sentence, denial, bound, every_cue, said, fallback, dates)
        kept = self._outside_background(dates, start, *(a.cue_start for a in said))
        # A day the sentences after go on from: one a speaker spoke on, or one that opens
        # the sentence ('Mardi, ...'), not the day of an event the outlet narrates.
        if kept and (said or kept[0].start - start <= _OPENING):
            context.when = kept[-1] if said else kept[0]
        if said:
            context.speaker, context.inherited = said[-1], said[-1]
            for spoken in said if kept else ():
                day = min(kept, key=lambda d: abs(d.start - spoken.cue_start))
                context.spoke_on[spoken.name] = (sentence.paragraph, day)
            if kept and not any(c.place_id in self._settlements for _, c in self.claims[before:]):
                # No claim of a settlement it names ('la prise de deux villages', 'dans la
                # region de Zaporijjia').
                context.lede[said[-1].side] = (sentence.paragraph, kept[-1])
        elif len(self.claims) == before:
            context.inherited = None
            if not every_cue and (body := self._body_opening(start, end)) is not None:
                # 'Russia's Defense Ministry made no mention of the villages. It said
                # instead ...': the body the sentence is about is who 'it' is next.
                context.speaker = body
        context.previous = sentence
        context.last_date = dates[-1] if dates else None

    def _body_opening(self, start: int, end: int) -> Attribution | None:
        """A known speaker, not forces, that a sentence opens on as its subject."""
        named = speakers_named(self.folded, start, min(end, start + _OPENING_SUBJECT))
        if not named or named[0][1] - start > _OPENING:
            return None
        speaker, at, to = named[0]
        if side_table().forces.match(self.folded, at):
            return None
        return Attribution(speaker.name, speaker.side, at, to, False)

    def _enemy_gain_negated(
        self,
        sentence: Sentence,
        cues: list[KindCue],
        said: list[Attribution],
        fallback: Attribution | None,
    ) -> KindCue | None:
        """A gain of the enemy's its speaker says did not happen ('les troupes russes ne
        controlent pas Koupiansk', 'there is no encirclement of our units'): a denial of
        the enemy's claim of it."""
        mentions: list[SideMention] | None = None
        for cue in cues:
            if not cue.negated or cue.kind in (ClaimKind.WITHDRAWAL, ClaimKind.REPELLED):
                continue
            if _UNCONFIRMED.search(self.folded, max(sentence.start, cue.start - 40), cue.end):
                # 'Kyiv has not confirmed the loss of the town': no denial.
                continue
            speaker = _speaker_for(cue, said, self.folded, self.lex) or fallback
            if speaker is None or (enemy := speaker.side.opponent()) is None:
                continue
            if mentions is None:
                mentions = side_mentions(self.folded, sentence.start, sentence.end, self.lex)
            if actor_side(cue, mentions, speaker.side, self.folded, self.lex) is enemy:
                return cue
        return None

    def _denial(self, start: int, end: int) -> re.Match[str] | None:
        """The first denial of a sentence whose object is a claim: a decision, a proposal
        or talks named just before or after it are rejected, not contested."""
        for denial in self.lex.denials.finditer(self.folded, start, end):
            near = (max(start, denial.start() - 40), min(end, denial.end() + 30))
            if not self.lex.denied_not_claim.search(self.folded, *near):
                return denial
        return None

    def _inherited(self, start: int, end: int) -> Attribution | None:
        """The speaker a sentence without one goes on quoting: the last of its paragraph,
        else, when it speaks as a side does of the war ('the enemy attacked', 'our
        defenders'), the last speaker of the article."""
        context = self._context
        if context.inherited is not None or context.speaker is None:
            return context.inherited
        last = context.speaker
        if not _side_voice(self.folded, start, end, last.side):
            return None
        return Attribution(last.name, last.side, last.cue_start, last.cue_end, False)

    def _claims(
        self,
        sentence: Sentence,
        cues: list[KindCue],
        said: list[Attribution],
        fallback: Attribution | None,
        dates: list[DateMention],
        denial_at: int | None,
    ) -> None:
        mentions = side_mentions(self.folded, sentence.start, sentence.end, self.lex)
        places = claim_places(
            cues, self._places_in(sentence.start, sentence.end), self.folded, self.lex
        )
        used: set[int] = set()
        for cue in cues:
            speaker = _speaker_for(cue, said, self.folded, self.lex) or fallback
            claimant, side = (speaker.name, speaker.side) if speaker else (MEDIA_NAME, Side.MEDIA)
            named = mentions
            restated = self._states_the_denied(cue, denial_at, said) and bool(side.opponent())
            if restated:
                # The forces named before the denial are the denier's, not the claim's.
                # After it, troops of its own said to withdraw are the denier's too (the
                # enemy claims its gains and the denier's losses: 'denied Russian claims
                # that its troops had been forced out', 'that its forces had been
                # encircled').
                denier_lost = cue.kind is ClaimKind.WITHDRAWAL or (
                    cue.kind is ClaimKind.ENCIRCLEMENT and cue.passive
                )
                named = [
                    replace(m, side=side) if denier_lost and m.side is None and not m.enemy else m
                    for m in mentions
                    if denial_at is None or m.start > denial_at
                ]
                claimant, side = f"rejected by {claimant}", side.opponent() or side
            if (stance := _stands_with().get(claimant)) is not None:
                # A tracker's 'the enemy occupied X': its enemy is the one it stands against.
                named = [_as_seen_by(m, stance) for m in named]
            actor = actor_side(cue, named, side, self.folded, self.lex)
            if restated and cue.lost:
                # 'Kiev a nie avoir perdu le controle de X': the denier lost it, the claim
                # it denies is that its enemy holds it.
                actor = side
            if actor is None and not (cue.fallen or cue.fighting or _besieged(cue)):
                continue
            targets = self._targets(cue, cues, places, used, sentence, side, actor)
            told_when = self._when(cue, speaker, dates, sentence.start, restated=restated)
            when, window = told_when or (self.published, None)
            if speaker is fallback and self._background(when, dates):
                continue
            if (
                not targets
                and actor is not None
                and self.lex.unnamed_object.match(self.folded, cue.end)
            ):
                self._context.unnamed = _Unnamed(cue, claimant, side, actor, when, window, speaker)
            if cue.fallen:
                targets = [t for t in targets if _fell(cue, t)]
            for target in targets:
                used.add(target.start)
                # A place fallen is taken by the side its country fights, whoever says it;
                # fighting near a place no forces are named as waging, or a place a third
                # party says is encircled ('DeepState said the garrison was nearly
                # encircled'), is that side's too.
                taker = actor if actor is not None and not cue.fallen else self._taker(target)
                self._add(sentence, cue, target, claimant, side, taker, when, window, speaker)
                if restated:
                    self.restated.add(self.claims[-1][1].id)
                if told_when is None:
                    self.undated.add(self.claims[-1][1].id)

    def _background(self, when: date, dates: list[DateMention]) -> bool:
        """Whether a sentence that names no speaker of its own tells history, not what the
        last speaker went on to say: it dates its claim, weeks before publication."""
        return bool(dates) and (self.published - when).days > _BACKGROUND_DAYS

    def _states_the_denied(
        self, cue: KindCue, denial_at: int | None, said: list[Attribution]
    ) -> bool:
        """Whether a cue tells what a denial rejects: after the denial ("denied that ...
        captured"), or named as the claim before it ("claims of the capture ... are false")."""
        if denial_at is None:
            return False
        if cue.start < denial_at:
            before = trimmed(self.folded, cue.start)
            named = self.lex.reported_claim.search(self.folded, max(0, before - 80), before)
            # 'Russia claims to have encircled X, which Kyiv denies': the word is the
            # speaker's own verb, not a claim the denier names.
            return named is not None and not any(
                a.cue_start <= named.start() < a.cue_end for a in said
            )
        return _reports_the_denied(
            cue, denial_at, said, self.folded
        ) and not self._quoted_after_colon(denial_at, cue.start)

    def _quoted_after_colon(self, denial_at: int, at: int) -> bool:
        """Whether `at` lies in a quotation opened after a colon that follows the denial:
        the denier's own words ('a dementi ... : "Nos forces controlent la ville."')."""
        colon = self.folded.rfind(":", denial_at, at)
        return (
            colon >= 0
            and self.folded[colon + 1 : colon + 3].lstrip().startswith('"')
            and bisect.bisect(self._quote_marks, at) % 2 == 1
        )

    def _targets(
        self,
        cue: KindCue,
        cues: list[KindCue],
        places: ClaimPlaces,
        used: set[int],
        sentence: Sentence,
        side: Side,
        actor: Side | None,
    ) -> list[PlaceMention]:
        """The places a cue speaks of: named in its sentence, else implied."""
        targets = places_for(cue, cues, places, used, self.folded, self.lex)
        if targets and targets[-1].end <= cue.start and self._unknown_after(cue, sentence):
            # 'In the Kursk region, ... repelled an attack near the village of Berdin', a
            # village the gazetteer lacks: the claim is about it, not the region.
            return []
        if not targets and (actor is not None or _besieged(cue)):
            return self._implicit_place(cue, sentence, side, actor or side)
        return targets

    def _unknown_after(self, cue: KindCue, sentence: Sentence) -> bool:
        """Whether the cue's clause goes on to name a settlement the gazetteer lacks."""
        end = min(sentence.end, cue.end + _UNKNOWN_REACH)
        named = _UNKNOWN_LATER.search(self.body, cue.end, end)
        if named is None or re.search(r"[;:.!?]", self.body[cue.end : named.start()]):
            return False
        return not self._places_in(named.start(1), named.end(1))

    def _implicit_place(
        self, cue: KindCue, sentence: Sentence, side: Side, actor: Side
    ) -> list[PlaceMention]:
        if several := self._places_just_named(cue, sentence):
            return several
        if _UNKNOWN_NAMED.match(self.body, cue.end):
            # 'pushed into the village of Berdin', a village the gazetteer lacks: no other.
            return []
        earlier = [m for m in self._places_before(cue.start) if m.end <= cue.start]
        topics = self._topics
        found = anaphoric_place(
            cue,
            sentence.start,
            sentence.end,
            self.folded,
            self.lex,
            earlier,
            topics,
            self._context.paragraph_start,
        )
        if found is None and self._context.denier is side:
            found = self._context.denied_place
        if found is None and cue.kind is ClaimKind.REPELLED:
            return self._attacked_just_before(sentence, actor)
        if found is None and cue.kind is ClaimKind.WITHDRAWAL:
            return self._claimed_just_before(sentence)
        return [found] if found else []

    def _claimed_just_before(self, sentence: Sentence) -> list[PlaceMention]:
        """The one place the sentence before made claims about, in any paragraph ('Kyiv
        admitted losing Siversk. "Our units were withdrawn to better positions," the
        command wrote.'): where a withdrawal with no place of its own left."""
        ids = {c.place_id for _, c in self._claims_since(sentence.index - 1)}
        if len(ids) != 1:
            return []
        place = ids.pop()
        named = [m for m in self._places_before(sentence.start) if m.place.id == place]
        return named[-1:]

    def _attacked_just_before(self, sentence: Sentence, defender: Side) -> list[PlaceMention]:
        """The places of the attacks the sentence reported, or the one before it ('The enemy
        tried to break through near X. All the attacks were repelled.'): what a repelled cue
        with no place of its own speaks of; else the one town the sentence before named."""
        before = [
            claim
            for index, claim in self._claims_since(sentence.index - 1)
            if index <= sentence.index
            and claim.kind is ClaimKind.ADVANCE
            and claim.actor_side is not defender
        ]
        ids = dict.fromkeys(claim.place_id for claim in before)
        named = {m.place.id: m for m in self._places_before(sentence.end)}
        if ids:
            return [named[i] for i in ids if i in named]
        return self._only_place_before(sentence)

    def _only_place_before(self, sentence: Sentence) -> list[PlaceMention]:
        """The one settlement the sentence before named, in the same paragraph ('41 clashes
        took place near X. Twenty-nine attacks were repelled.')."""
        before = self._context.previous
        if before is None or before.paragraph != sentence.paragraph:
            return []
        towns = {
            m.place.id: m
            for m in self._places_in(before.start, before.end)
            if m.place.kind is PlaceKind.POPULATED_PLACE
        }
        return list(towns.values()) if len(towns) == 1 else []

    def _places_just_named(self, cue: KindCue, sentence: Sentence) -> list[PlaceMention]:
        """The places 'both villages' or 'les deux localites' near a cue stand for: those of
        the last sentence that made claims about two places or more."""
        low, high = max(sentence.start, cue.start - 80), min(sentence.end, cue.end + 60)
        if not self.claims or not self.lex.anaphora_plural.search(self.folded, low, high):
            return []
        last = self.claims[-1][0]
        ids = list(dict.fromkeys(c.place_id for index, c in self._claims_since(last)))
        named = {m.place.id: m for m in self._places_before(cue.start) if m.end <= cue.start}
        return [named[i] for i in ids if i in named] if len(ids) > 1 else []

    def _when(
        self,
        cue: KindCue,
        speaker: Attribution | None,
        dates: list[DateMention],
        start: int,
        *,
        restated: bool = False,
    ) -> tuple[date, DateWindow | None] | None:
        """The day a claim was made, None when nothing in the text says. A claim a denier
        `restated` was made days before its denial when the words before it say so ('a
        contredit vendredi, au lendemain de l'annonce de la liberation de X')."""
        anchor = speaker.cue_start if speaker and speaker.resolved else cue.start
        dates = self._outside_background(dates, start, cue.start, anchor)
        contrasts = list(CONTRAST.finditer(self.folded, start, min(cue.start, anchor)))
        if contrasts:
            # 'Russia said it took X last week, but Kyiv says the town is held': a day
            # told before the contrast is the other clause's, unless it opens the sentence.
            opened = contrasts[-1].end()
            dates = [d for d in dates if d.start >= opened or d.start - start <= _OPENING]
        # 'On Tuesday the ministry said: "Yesterday our troops ..."': the quote's own days
        # tell when things happened, the words around it when they were said.
        said_outside = [d for d in dates if bisect.bisect(self._quote_marks, d.start) % 2 == 0]
        dates = said_outside or dates
        if dates:
            nearest = min(dates, key=lambda d: min(abs(d.start - anchor), abs(d.end - anchor)))
            told = cue.start if restated else anchor
            days = self._days_after(nearest.end, told) if nearest.end <= told else 0
            if days and 1 <= nearest.on.toordinal() - days <= date.max.toordinal():
                # 'Kyiv said on Tuesday, a day after Moscow claimed to have captured it'.
                return date.fromordinal(nearest.on.toordinal() - days), None
            return nearest.on, nearest.window
        context = self._context
        if context.last_date is not None and _THEN.search(self.folded, start, cue.start):
            # 'les progres s'etaient acceleres des jeudi. Zaloujny avait alors annonce ...'.
            return context.last_date.on, context.last_date.window
        if context.when is not None:
            return context.when.on, context.when.window
        spoke = context.spoke_on.get(speaker.name) if speaker else None
        if spoke and context.paragraph - spoke[0] <= _SPOKE_ON_PARAGRAPHS:
            return spoke[1].on, spoke[1].window
        if speaker is not None and (lede := context.lede.get(speaker.side)) is not None:
            paragraph, day = lede
            if paragraph == context.paragraph_before:
                return day.on, day.window
        return None

    def _days_after(self, low: int, anchor: int) -> int:
        """How many days before the day told at `low` a claim voiced at `anchor` was made,
        when the words between tell it as another's background ('a day after')."""
        reach = max(low, anchor - _DAYS_AFTER_REACH)
        found = [
            (match.start(), days)
            for days, pattern in self.lex.days_after
            if (match := pattern.search(self.folded, reach, anchor)) is not None
        ]
        return max(found)[1] if found else 0

    def _outside_background(
        self, dates: list[DateMention], start: int, *at: int
    ) -> list[DateMention]:
        """The dates of a sentence (from `start`) not set in a background clause that
        holds neither the cue nor its speaker."""
        if not dates:
            return dates
        clauses = [
            m
            for m in self.lex.background_clause.finditer(self.folded, start, dates[-1].end)
            if not any(m.start() <= point < m.end() for point in at)
        ]
        return [d for d in dates if not any(m.start() <= d.start < m.end() for m in clauses)]

    def _add(
        self,
        sentence: Sentence,
        cue: KindCue,
        target: PlaceMention,
        claimant: str,
        side: Side,
        actor: Side,
        when: date,
        window: DateWindow | None,
        speaker: Attribution | None,
    ) -> None:
        start, end = self._quote_span(sentence, cue, target)
        # Calibrated on the tuned articles of the development corpus (`eval` prints the
        # bands): a claim of control was right nine times in ten, one of another kind
        # about half the time; a claim about a whole region about a third of the time, and
        # so was one whose place is named before its cue.
        confidence = 0.9 if cue.kind in _SURE_KINDS else 0.7
        confidence -= 0.15 if speaker and not speaker.resolved else 0.0
        confidence -= 0.3 if target.place.kind is not PlaceKind.POPULATED_PLACE else 0.0
        confidence -= 0.25 if target.start < cue.start else 0.0
        claim = FoundClaim(
            id=f"c{len(self.claims) + 1}",
            place_id=target.place.id,
            place_name=target.place.name,
            claimant=claimant,
            claimant_side=side,
            actor_side=actor,
            kind=cue.kind,
            extent=cue.extent,
            claimed_on=when,
            claimed_window=window,
            quote=self.body[start:end],
            start=start,
            end=end,
            confidence=round(max(0.1, confidence), 2),
        )
        self.claims.append((sentence.index, claim))
        if side is not Side.MEDIA:
            # The outlet's narration is no claim (`_merged`) and makes no place a topic.
            self._topics.add(claim.place_id)
        enemy = side.opponent()
        # The side whose country the place is in: its hold answers the other's capture.
        holder = _taker(target).opponent()
        # A repulse, part of a town still held ('fighting for it goes on') or the whole of
        # it ('Kiev affirme au contraire que ses troupes tiennent toujours le village')
        # answers the enemy's claim of its capture.
        still = cue.kind is ClaimKind.PARTIAL_CONTROL or (
            cue.kind is ClaimKind.CONTROL
            and self.lex.still_held.search(self.folded, sentence.start, cue.end) is not None
        )
        if still and actor is side is holder:
            self._holds.add(claim.id)
        if enemy is not None and (
            cue.kind is ClaimKind.REPELLED or (still and actor is side is holder)
        ):
            for index, taken in self._captures.get((claim.place_id, enemy), [])[-_RECENT_CLAIMS:]:
                self._answer(claim, taken, together=index == sentence.index)
        elif enemy is not None and cue.kind is ClaimKind.CONTROL and actor is side is holder:
            # '"X is under our control," Kyiv said, a day after Moscow claimed to have
            # captured it': the enemy's capture told in the same sentence is answered.
            for index, taken in self._captures.get((claim.place_id, enemy), [])[-_RECENT_CLAIMS:]:
                if index == sentence.index:
                    self._answer(claim, taken, together=True)
        if cue.kind is ClaimKind.CONTROL and actor is side:
            self._captures.setdefault((claim.place_id, side), []).append((sentence.index, claim))
            # 'repelled attacks near X, a day after Moscow claimed to have captured it',
            # or told in the sentence before ('Kyiv said it beat back an assault on X.
            # Moscow claimed to have captured the village.'); a hold of its own told in the
            # same sentence answers it too, and a place said to be still held in the
            # sentence before ('X remains under Ukrainian control. Moscow had announced
            # its capture on Tuesday.').
            for index, answer in reversed(self.claims):
                if index < sentence.index - 1:
                    break
                if (
                    answer.kind is ClaimKind.REPELLED
                    or answer.id in self._holds
                    or (
                        index == sentence.index
                        and answer.kind is ClaimKind.CONTROL
                        and answer.claimant_side is holder
                    )
                ):
                    self._answer(answer, claim, together=index == sentence.index)

    def _taker(self, target: PlaceMention) -> Side:
        """Who takes a place no forces are named as taking: the enemy of the side a clause
        right after it says holds it ('Bakhmout, la ville occupee par les troupes russes'),
        else the side its country fights (`_taker`)."""
        clause = self.lex.background_clause.match(self.folded, target.end)
        if clause and clause.group().startswith(","):
            holder = named_side(self.folded, clause.start(), clause.end())
            if holder is not None:
                return holder.opponent() or holder
        return _taker(target)

    def _quote_span(
        self, sentence: Sentence, cue: KindCue, target: PlaceMention
    ) -> tuple[int, int]:
        """Where a claim's quote lies: from its place or its cue, whichever comes first, to
        the other. A place named before and called 'the town' or 'it' near the cue is
        quoted by those words, so that the quote holds no other clause's speaker."""
        start = max(sentence.start, min(cue.start, target.start))
        end = min(sentence.end, max(cue.end, target.end))
        if target.end > cue.start:
            return start, end
        low = max(sentence.start, target.end, cue.start - _ANAPHOR_REACH)
        if before := self._anaphors(low, cue.start):
            return max(m.start() for m in before), end
        # ('infiltrated the town', 'la prise du village': the cue's object.)
        high = min(sentence.end, cue.end + _OBJECT_GAP)
        after = [m for m in self._anaphors(cue.start, sentence.end) if m.start() <= high]
        if after:
            return cue.start, max(cue.end, min(m.end() for m in after))
        return start, end

    def _anaphors(self, start: int, end: int) -> list[re.Match[str]]:
        """The words that name a settlement or region again ('the town', 'cette region')."""
        return [
            m
            for pattern in (self.lex.anaphora_settlement, self.lex.anaphora_region)
            for m in pattern.finditer(self.folded, start, end)
        ]

    def _answer(self, repelled: FoundClaim, claim: FoundClaim, *, together: bool = False) -> None:
        """A side that says it repelled the attacks on a place the enemy claimed to have
        taken days before at most, or that it still holds it, contests that capture; told
        `together` in one sentence, it answers that capture whatever days they were."""
        enemy = repelled.claimant_side.opponent()
        if enemy is None or repelled.actor_side is not repelled.claimant_side:
            return
        answered = (claim.key(), repelled.claimant_side)
        if (
            answered not in self._answered
            and claim.kind is ClaimKind.CONTROL
            and claim.place_id == repelled.place_id
            and claim.claimant_side is enemy
            and claim.actor_side is enemy
            and (
                together or -1 <= (repelled.claimed_on - claim.claimed_on).days <= _SAME_REPORT_DAYS
            )
        ):
            # Repeats of one claim are read as one (`_merged`): answered once.
            self._answered.add(answered)
            self.contestations.append(
                FoundContestation(
                    claim.id,
                    repelled.claimant,
                    repelled.claimant_side,
                    repelled.claimed_on,
                    repelled.claimed_window,
                    repelled.quote,
                    repelled.start,
                    repelled.end,
                )
            )

    def _contests(
        self,
        sentence: Sentence,
        denial: re.Match[str] | None,
        bound: bool,
        cues: list[KindCue],
        said: list[Attribution],
        fallback: Attribution | None,
        dates: list[DateMention],
    ) -> None:
        """What a sentence contests: the enemy's gain it says did not happen, else what its
        denial rejects."""
        negated = (
            self._enemy_gain_negated(sentence, cues, said, fallback)
            if denial is None or bound
            else None
        )
        contested_before = len(self.contestations)
        voices = said or ([fallback] if fallback else [])
        if negated is not None:
            # 'les forces ukrainiennes ne controlaient pas Robotyne et que les combats se
            # poursuivaient': the gain said not to have happened is what is denied.
            self._contest(sentence, negated.start, voices, dates, _kinds_named([negated], 0))
        elif denial is not None:
            by = denier_after(self.folded, denial.end(), sentence.end, self.lex)
            voices = [by] if by else voices
            denied_kinds = _kinds_named(cues, denial.start())
            self._contest(sentence, denial.start(), voices, dates, denied_kinds, bound=bound)
        self._stand_in_for_a_bare_denial(sentence, contested_before, cues, denial)

    def _stand_in_for_a_bare_denial(
        self,
        sentence: Sentence,
        contested_before: int,
        cues: list[KindCue],
        denial: re.Match[str] | None,
    ) -> None:
        """'Cote russe, on dement. Vladimir Rogov a assure que les forces ukrainiennes ne
        controlaient pas Robotyne': a bare denial answered by what its side goes on to say
        it denies in the next sentence of its paragraph contests that, not what came
        before it."""
        context = self._context
        bare, context.bare = context.bare, None
        added = self.contestations[contested_before:]
        if (
            bare is not None
            and added
            and bare[0] == sentence.index - 1
            and self._paragraph_of.get(bare[0]) == sentence.paragraph
            and all(k.by_side is bare[2] for k in added)
        ):
            del self.contestations[bare[1] : contested_before]
            return
        if (
            added
            and denial is not None
            and not cues
            and not self._places_in(sentence.start, sentence.end)
        ):
            context.bare = (sentence.index, contested_before, added[0].by_side)

    def _contest(
        self,
        sentence: Sentence,
        at: int,
        said: list[Attribution],
        dates: list[DateMention],
        kinds: frozenset[ClaimKind] = frozenset(),
        *,
        bound: bool = False,
    ) -> None:
        """Contest what a denial at `at` rejects, of the `kinds` it names if the enemy
        claimed any of those; a `bound` one only claims about the places its sentence
        names, when it names any."""
        denier = _speaker_before(at, said)
        if denier is None or denier.side.opponent() is None:
            return
        targets = self._denied(sentence, at, denier.side, bound=bound)
        if kinds and (of_kind := [t for t in targets if _KIND_FAMILY[t.kind] in kinds]):
            # 'Ukraine's military has denied that its troops were encircled': the
            # encirclement it denies, not the captures claimed with it.
            targets = of_kind
        if not targets:
            named = frozenset(m.place.id for m in self._places_in(sentence.start, sentence.end))
            self._context.pending = _Denial(denier, sentence, at, dates, named)
            return
        self._record(denier, targets, sentence, at, dates)

    def _contest_pending(
        self, pending: _Denial, sentence: Sentence, claims: list[FoundClaim]
    ) -> bool:
        """A denial that found nothing before it denies the claims the other side voices in
        the next sentences (`_PENDING_REACH`), about the places it named if it named any.
        Whether it found them."""
        targets = [
            c
            for c in claims
            if c.claimant_side is pending.denier.side.opponent()
            and (not pending.places or c.place_id in pending.places)
        ]
        if targets:
            self._record(pending.denier, targets, pending.sentence, pending.at, pending.dates)
        return bool(targets)

    def _record(
        self,
        denier: Attribution,
        targets: list[FoundClaim],
        sentence: Sentence,
        at: int,
        dates: list[DateMention],
    ) -> None:
        """The contestations of a denial in `sentence`, one per claim it denies."""
        if dates:
            on, window = dates[0].on, dates[0].window
        else:
            on = max(t.claimed_on for t in targets)
            window = DateWindow(on, max(on, self.published))
            self._context.when = DateMention(at, at, on, window)
        self._context.denier = denier.side
        self._context.denied_place = next(
            (m for m in self._places_before(sentence.end) if m.place.id == targets[0].place_id),
            None,
        )
        quote = self.body[sentence.start : sentence.end]
        for target in targets:
            self.contestations.append(
                FoundContestation(
                    target.id,
                    denier.name,
                    denier.side,
                    on,
                    window,
                    quote,
                    sentence.start,
                    sentence.end,
                )
            )

    def _denied(
        self, sentence: Sentence, at: int, denier: Side, *, bound: bool = False
    ) -> list[FoundClaim]:
        """The claims a denial at `at` rejects: the enemy's about the places it names (those
        named after it first: a place before may only say who denies, 'un responsable de
        l'administration de la region de Zaporijjia'), else (unless `bound` to them) those
        of the enemy's last sentence of claims; with the third parties' reports of the
        same gains (a tracker confirming what a ministry announced)."""
        enemy = denier.opponent()
        earlier = [
            (i, c)
            for i, c in self.claims[-_RECENT_CLAIMS:]
            if c.claimant_side not in (denier, Side.MEDIA)
        ]
        mentions = self._places_in(sentence.start, sentence.end)
        named = {m.place.id for m in mentions}
        named_after = {m.place.id for m in mentions if m.start >= at}
        voiced = [(i, c) for i, c in earlier if c.claimant_side is enemy]
        pool = (
            [(i, c) for i, c in voiced if c.place_id in named_after]
            or [(i, c) for i, c in voiced if c.place_id in named]
            or ([] if bound and named else voiced)
        )
        if not pool:
            return []
        last = max(i for i, _ in pool)
        told = self._paragraph_of.get(last)
        if told == sentence.paragraph:
            denied = [c for i, c in pool if i == last]
        else:
            # A denial that opens a paragraph of its own ('« C'est faux », a retorque ...')
            # answers the paragraph of claims before it, not only its last sentence.
            denied = [c for i, c in pool if self._paragraph_of.get(i) == told]
        return denied + [
            c
            for _, c in earlier
            if c.claimant_side is not enemy and any(_same_report(c, d) for d in denied)
        ]


_KIND_FAMILY = {
    ClaimKind.CONTROL: ClaimKind.CONTROL,
    ClaimKind.PARTIAL_CONTROL: ClaimKind.CONTROL,
    ClaimKind.ADVANCE: ClaimKind.CONTROL,
    ClaimKind.ENCIRCLEMENT: ClaimKind.ENCIRCLEMENT,
    ClaimKind.WITHDRAWAL: ClaimKind.WITHDRAWAL,
    ClaimKind.REPELLED: ClaimKind.REPELLED,
}
"""Kinds a denial of one also denies: a denied capture was also a claimed advance."""


def _kinds_named(cues: list[KindCue], after: int) -> frozenset[ClaimKind]:
    """The families of the kinds a denial names after it (`_KIND_FAMILY`)."""
    return frozenset(_KIND_FAMILY[c.kind] for c in cues if c.start >= after)


def _besieged(cue: KindCue) -> bool:
    """A place said to be encircled, in the passive: whoever speaks, someone encircles it."""
    return cue.kind is ClaimKind.ENCIRCLEMENT and cue.passive


_THEN = re.compile(r"\b(?:alors|a ce moment-la|a l'epoque|then|at the time|at that time)\b")
"""Words that date what follows by the day the sentence before named."""

_SAME_REPORT_DAYS = 3


def _same_report(claim: FoundClaim, other: FoundClaim) -> bool:
    """Two readings of one report of gains: same place, kind and actor, said days apart
    at most (a tracker confirming what a ministry announced)."""
    return (
        claim.place_id == other.place_id
        and claim.kind is other.kind
        and claim.actor_side is other.actor_side
        and abs((claim.claimed_on - other.claimed_on).days) <= _SAME_REPORT_DAYS
    )


_SETTLEMENT_OF = (
    r"(?:the |le |la |l'|les )?(?:village|town|city|settlement|hamlet|localite|localité|ville"
    r"|bourg|hameau)s? (?:of|de|d')\s*"
)
"""'the village of', 'la localité de': words before a settlement's name."""
_UNKNOWN_NAMED = re.compile(r"\s*" + _SETTLEMENT_OF + r"[A-ZÀ-ÝЀ-Я]")
"""A settlement named after a cue: when it is no place found, the cue is about it still."""

_UNKNOWN_LATER = re.compile(
    r"\b(?:near|in|around|outside|at|into|pres de|dans|autour de|a) "
    + _SETTLEMENT_OF
    + r"([A-ZÀ-ÝЀ-Я][\w'’-]+)"
)
"""A settlement named further on in a cue's clause ('repelled an attack near the village of
Berdin'): when it is no place found, the cue is about it, not a region before."""
_UNKNOWN_REACH = 100

_NAMED_THERE = re.compile(
    r"\s*(?:(?:the |les |le |la |l')?(?:villages?|settlements?|localit(?:y|ies|es?)|towns?"
    r"|villes?) (?:of|de|d') ?)?(?:de |d'|du )?"
)
"""What may stand before the first place a sentence lists ('They are the villages of')."""

_DAYS_AFTER_REACH = 80
"""At most this far before its speaker's verb 'a day after' tells a claim's day."""

_FALLEN_REACH = 60
"""At most this far before 'has fallen' its place is named ('Vuhledar, a key stronghold,
has fallen'); a place further back is not what fell."""


def _fell(cue: KindCue, target: PlaceMention) -> bool:
    """Whether a place is what a cue says fell: named just before it, or after 'the fall
    of'."""
    if cue.object_after:
        return target.start >= cue.end
    return target.end <= cue.start and cue.start - target.end <= _FALLEN_REACH


def _taker(target: PlaceMention) -> Side:
    """Who took a place said to have fallen: the side its country fights (a town of
    Russia's fell to Ukraine, one of Ukraine's to Russia)."""
    return Side.UKRAINE if target.place.country == "RU" else Side.RUSSIA


@cache
def _stands_with() -> dict[str, Side]:
    """The third parties that stand with a belligerent, by name (`Speaker.stands_with`)."""
    return {s.name: s.stands_with for s in side_table().speakers if s.stands_with is not None}


def _as_seen_by(mention: SideMention, stance: Side) -> SideMention:
    """A mention of 'our forces' or 'the enemy' as the side a third party stands with."""
    if mention.side is not None:
        return mention
    return replace(mention, side=stance.opponent() if mention.enemy else stance, enemy=False)


def _speaker_for(
    cue: KindCue, said: list[Attribution], folded: str, lex: Lexicon
) -> Attribution | None:
    """The attribution a cue falls under: the last one before it, else the first after it
    unless that one sits in a clause of its own ("entered X after Russia said ...")."""
    # A speaker in a relative clause ('..., which Russia claimed to have captured, ...')
    # speaks for that clause alone.
    said = [
        a
        for a in said
        if (clause := relative_clause(folded, a.cue_start)) is None
        or clause[0] <= cue.start < clause[1]
    ]
    before = [a for a in said if a.cue_start < cue.start]
    if before:
        if lex.narration_after.search(folded, before[-1].cue_end, cue.start):
            return None
        return before[-1]
    if not said:
        return None
    # A speaker named after a closing quote said all of it, clauses and all.
    quoted = '"' in folded[cue.end : said[0].cue_start]
    clause = relative_clause(folded, cue.start)
    if (
        not quoted
        and clause is not None
        and clause[1] <= said[0].cue_start
        and _OWN_COMPLEMENT.match(folded, said[0].cue_end)
    ):
        # 'Dans la region de Koursk, ou les forces ukrainiennes tiennent toujours une
        # partie du territoire, le ministere russe a assure lundi avoir repousse ...': an
        # aside of the outlet's before a speaker who goes on to say something else.
        return None
    opener = lex.clause_opener.search(folded, cue.end, said[0].cue_start)
    # ('pulled out of X after months of fighting, Ukraine's commander said': the phrase
    # the opener began ends at the comma, and the speaker after it said it all.)
    if not quoted and opener and "," not in folded[opener.end() : said[0].cue_start]:
        return None
    # 'Russian forces captured X, but Ukraine's army said ...': the speaker's clause
    # opens after the claim and says nothing of it.
    contrast = CONTRAST.search(folded, cue.end, said[0].cue_start)
    if not quoted and contrast and "," not in folded[contrast.end() : said[0].cue_start]:
        return None
    # '..., as Moscow said it had completed its retreat': a speaker whose words follow it
    # in a clause of its own says those, not what came before.
    if (
        not quoted
        and _AS_CLAUSE.search(folded, cue.end, said[0].cue_start)
        and _COMPLEMENT.match(folded, said[0].cue_end)
    ):
        return None
    return said[0]


_AS_CLAUSE = re.compile(r", (?:as|while|amid) (?=[\w' -]{1,40}$)")
_OWN_COMPLEMENT = re.compile(r",? (?:[\w-]+ ){0,3}?(?:that|que|qu'|avoir|d'avoir|etre|s'etre|to)\b")
"""What a speaker's verb opens when the speaker goes on to say something of its own."""
_COMPLEMENT = re.compile(r",? (?:on \w+ |in a statement )?(?:that|it|its|they|their|he|she|to)\b")


def _side_voice(folded: str, start: int, end: int, side: Side) -> bool:
    """Whether a sentence speaks of the war as one side does: of 'the enemy', of its own
    forces ('our defenders', 'nos troupes'), or in words only `side` uses ('Battlegroup
    South' in Russia's daily reports)."""
    table = side_table()
    return bool(
        ENEMY.search(folded, start, end)
        or table.own_forces.search(folded, start, end)
        or any(voiced is side and words.search(folded, start, end) for voiced, words in table.voice)
    )


def _speaker_before(at: int, said: list[Attribution]) -> Attribution | None:
    before = [a for a in said if a.cue_start <= at]
    return before[-1] if before else (said[0] if said else None)


def _reports_the_denied(cue: KindCue, denial_at: int, said: list[Attribution], folded: str) -> bool:
    """A cue after a denial states what was denied, unless the denier speaks again between
    them ("denied the report and said its troops still hold the town", "said the claim was
    false and that its forces held the city")."""
    if NEW_COMPLEMENT.search(folded, denial_at, cue.start):
        return False
    return not any(denial_at < a.cue_start < cue.start for a in said)
