"""The data files of the extractor, loaded once: cue lexicons per language and the table
of speakers and sides. Every pattern runs over folded text (see text.fold)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from domain.places import normalise_name
from domain.vocabulary import ClaimKind, Side

DATA_DIR = Path(__file__).with_name("data")
LANGUAGES = ("fr", "en")


def words(pattern: str) -> re.Pattern[str]:
    """A cue pattern matched as whole words (an ending apostrophe may touch the next word)."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?:(?<=')|(?![\w]))")


def tail(pattern: str) -> re.Pattern[str]:
    """A pattern anchored at the end of the text before a cue."""
    return re.compile(rf"(?<![\w])(?:{pattern})")


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return words("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class DateWords:
    """Words for dates in one language."""

    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    month_abbreviations: tuple[str, ...]
    """Each month's short forms, written with a full stop ('Oct.', 'janv.')."""
    relative: dict[str, str]


@dataclass(frozen=True)
class Lexicon:
    """The cues of one language, compiled."""

    language: str
    reporting: re.Pattern[str]
    reporting_prepositions: re.Pattern[str]
    reporting_as_noun: re.Pattern[str]
    """A determiner or possessive before a reporting word ("Russia's claims", "l'annonce"):
    the word is a noun, no one speaks by it."""
    claim_nominal_prefix: re.Pattern[str]
    nominal_control: re.Pattern[str]
    nominal_completed: re.Pattern[str]
    named_after: re.Pattern[str]
    """Unnamed places named after all ('plusieurs localites, dont X et Y', 'several
    villages, including X'): a capture of them is a claim about the places named."""
    naming_them: re.Pattern[str]
    """A sentence that names the places the one before took without naming them ('They
    are X, Y and Z', "Il s'agit de X et Y")."""
    unnamed_object: re.Pattern[str]
    """An unnamed object after a noun of capture ('la prise d'un village', 'the capture of
    two villages'): the places named next only say where it lies."""
    object_preposition: re.Pattern[str]
    """A cue that ends on a preposition ('une contre-offensive dans', 'the siege of'):
    the place it speaks of is the one that follows."""
    reported_claim: re.Pattern[str]
    side_claims: re.Pattern[str]
    """A side's claims named as a noun ('Russian claims that its forces captured X', 'les
    affirmations russes selon lesquelles'): an attribution to that side."""
    kinds: tuple[tuple[ClaimKind, re.Pattern[str]], ...]
    idioms: re.Pattern[str]
    """Set phrases that hold a cue's words and claim nothing ('a douze reprises', 'took
    part'): a cue inside one is none."""
    lost_control: re.Pattern[str]
    """Control a side says it lost or lacks ('nous n'avons aucun controle a X', 'Ukraine
    has lost control of X'): a claim that the other side controls the place."""
    still_held: re.Pattern[str]
    """Words that set a side's holding a place against a claim of its loss ('au
    contraire', 'toujours', 'still', 'however'): such a claim contests the enemy's claim
    of the place's capture."""
    expelled: re.Pattern[str]
    """Forces driven out of a place by their enemy ('ont chasse les Russes du village de
    X', 'pushed Russian troops out of X', 'cleared X of Russian infiltrators'): a claim
    that the side driving them out holds it."""
    fighting_near: re.Pattern[str]
    """Fighting near a place, no forces named as waging it ('de violents combats se
    deroulent dans les environs de X', 'heavy fighting is under way on the outskirts of
    X'): the side that would take it advances there."""
    fallen: re.Pattern[str]
    """A place said to have fallen, no one named as taking it ('Avdiivka has fallen',
    'Koupiansk est tombee'): taken by the side its country fights, the place named just
    before being its subject."""
    passive_auxiliary: re.Pattern[str]
    trapped: re.Pattern[str]
    """Words of encirclement that name the encircled, not the encircler, as their forces
    ('5,000 Russian troops ended up in the Lyman cauldron', 'bloques a Koupiansk')."""
    active_auxiliary: re.Pattern[str]
    negation: re.Pattern[str]
    negation_after: re.Pattern[str]
    guards: tuple[re.Pattern[str], ...]
    order_before: re.Pattern[str]
    """An order just before a cue ('ordered troops to', 'a ordonne aux troupes de'): no
    claim of taking a place, but how a withdrawal is announced."""
    attempt_before: re.Pattern[str]
    """An attempt ('tried to', 'tentent de'): no claim of what it aimed at, except an
    advance, which an attempt to advance is ('tried to advance near X eight times')."""
    anaphora_settlement: re.Pattern[str]
    anaphora_region: re.Pattern[str]
    anaphora_village: re.Pattern[str]
    anaphora_city: re.Pattern[str]
    """'The village' and 'the city' refer back to a settlement of their size."""
    coordination: re.Pattern[str]
    agent: re.Pattern[str]
    locative: re.Pattern[str]
    side_locative: re.Pattern[str]
    street: re.Pattern[str]
    not_place_before: re.Pattern[str]
    clause_opener: re.Pattern[str]
    narration_after: re.Pattern[str]
    """A clause the outlet adds after what a speaker said (', as Moscow presses its
    advance', ', alors que'): not the speaker's words."""
    days_after: tuple[tuple[int, re.Pattern[str]], ...]
    """A claim told as the background of another ('a day after Moscow claimed', 'au
    lendemain de l'annonce par Moscou'), and how many days before the day its sentence
    gives it was made (-1: the day after)."""
    background_clause: re.Pattern[str]
    """A clause of background ('where Ukraine had launched an incursion in August', 'ou
    l'armee ukrainienne avait lance une incursion en aout'), or an apposition telling a
    town's past (', la ville occupee par les troupes russes en mai'): its dates are neither
    the claim's nor those of the sentences after it."""
    destination: re.Pattern[str]
    purpose: re.Pattern[str]
    """A purpose after a withdrawal ('regrouped to reinforce efforts in Donetsk'): the
    places after it are where the troops went."""
    not_place_after: re.Pattern[str]
    person_title: re.Pattern[str]
    region_plural: re.Pattern[str]
    region_suffix: re.Pattern[str]
    region_named_before: re.Pattern[str]
    """A region's noun before a name, with words between ('la region meridionale de
    Zaporijjia'): the name is the oblast's, not its capital's."""
    region_qualifier: re.Pattern[str]
    """The oblast a settlement's name is placed in just after it ('Synkivka, dans la region
    de Kharkiv', 'Synkivka in the Kharkiv region'), its words in the group `name`."""
    pronoun_subject: re.Pattern[str]
    pronoun_inverted: re.Pattern[str]
    pronoun_object: re.Pattern[str]
    """A pronoun after 'selon' or 'according to' ('selon lui'): the speaker named before."""
    document_object: re.Pattern[str]
    """A document named after 'selon' or 'according to' without its author ('selon le
    rapport', 'according to the statement'): the last speaker's."""
    inversion_before: re.Pattern[str]
    """Words after which the speaker follows its verb ('ce que dement Kiev')."""
    denial_agent: re.Pattern[str]
    """The agent after a denial in the passive ('une information dementie par Kiev',
    'a claim denied by Kyiv'): who denies."""
    clause_subject_after: re.Pattern[str]
    """A verb just after a side named past a reporting verb ('..., said Russian troops had
    entered X'): the side is the subject of what was said, not an inverted speaker."""
    definite_subject: re.Pattern[str]
    document_subject: re.Pattern[str]
    """A report or statement as the subject of a reporting verb ('the report said'): its
    author was named before."""
    since: re.Pattern[str]
    city_marker: re.Pattern[str]
    settlement_noun: re.Pattern[str]
    """A settlement named by what it is ('le village', 'two villages'): a region named just
    after it only says where the settlement lies."""
    points_back: re.Pattern[str]
    """A sentence opening that names the speaker of the sentence before it ('This was
    stated by X', "C'est ce qu'a declare X")."""
    anaphora_plural: re.Pattern[str]
    """Words for the several places just named ('both villages', 'les deux localites')."""
    near_the_one_before: re.Pattern[str]
    """A place set after a comma and 'pres de' or 'near' just after another ('le village de
    X, pres de Pokrovsk'): where the one before lies, when a place is held or taken."""
    since_event: re.Pattern[str]
    """An event a time is counted from ('depuis la chute de X', 'since the fall of X'): its
    place is history, not the claim's."""
    settlement_near: re.Pattern[str]
    """Settlements placed by a town near them ('five villages near Lyman', 'le village de
    X pres de Koupiansk'): the town only says where they are."""
    place_expected: re.Pattern[str]
    """Words after which a place name is expected ('le village de', 'near', a list's
    comma): where a name in another transliteration is looked up."""
    axis_before: re.Pattern[str]
    axis_after: re.Pattern[str]
    """A place that names a line of the front ('dans les directions de Berdiansk et de
    Melitopol', 'in the Kramatorsk sector'): an axis is no place taken or held."""
    distance_from: re.Pattern[str]
    """A distance to a place ('a 20 kilometres a l'ouest de Donetsk', 'seven miles from the
    border of the Dnipropetrovsk region'): the place is a landmark, not what is claimed."""
    denials: re.Pattern[str]
    fighting_on: re.Pattern[str]
    """A side still fighting in a place ('its troops are still fighting in the city', 'les
    combats se poursuivent dans la ville'): a denial of the enemy's capture of that place
    alone (one of the `denials`)."""
    denied_not_claim: re.Pattern[str]
    """What a side rejects that is no claim of the war's ('cette decision a ete rejetee',
    'rejected the proposal'): such a rejection contests nothing."""
    dates: DateWords


def _read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _ends(pattern: str) -> re.Pattern[str]:
    return tail(pattern.removesuffix("$") + "$") if pattern.endswith("$") else tail(pattern)


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of a language ('fr' or 'en'; anything else gets English)."""
    data = _read(f"lexicon_{language if language in LANGUAGES else 'en'}.json")
    kinds = tuple((ClaimKind(kind), _alternation(p)) for kind, p in data["kinds"].items())
    return Lexicon(
        language=data["language"],
        reporting=_alternation(data["reporting_verbs"]),
        reporting_prepositions=_alternation(data["reporting_prepositions"]),
        reporting_as_noun=_ends(data["reporting_as_noun"]),
        claim_nominal_prefix=_ends(data["claim_nominal_prefix"] + "$"),
        nominal_control=words(data["nominal_control"]),
        nominal_completed=words(data["nominal_completed"]),
        named_after=re.compile(data["named_after"]),
        naming_them=re.compile(data["naming_them"]),
        unnamed_object=re.compile(data["unnamed_object"]),
        object_preposition=_ends(data["object_preposition"]),
        reported_claim=_ends(data["reported_claim"]),
        side_claims=words(data["side_claims"]),
        kinds=kinds,
        idioms=_alternation(data["idioms"]),
        lost_control=_alternation(data["lost_control"]),
        expelled=_alternation(data["expelled"]),
        fighting_near=_alternation(data["fighting_near"]),
        fallen=_alternation(data["fallen"]),
        still_held=words(data["still_held"]),
        passive_auxiliary=_ends(data["passive_auxiliary"]),
        trapped=re.compile(data["trapped"]),
        active_auxiliary=_ends(data["active_auxiliary"]),
        negation=_ends(data["negation"]),
        negation_after=re.compile(data["negation_after"]),
        guards=tuple(_ends(p) for p in data["guard_before"]),
        order_before=_ends(data["order_before"]),
        attempt_before=_ends(data["attempt_before"]),
        anaphora_settlement=words(data["anaphora_settlement"]),
        anaphora_region=words(data["anaphora_region"]),
        anaphora_village=words(data["anaphora_village"]),
        anaphora_city=words(data["anaphora_city"]),
        coordination=re.compile(data["coordination"]),
        agent=_ends(data["agent"]),
        locative=_ends(data["locative"]),
        side_locative=_ends(data["side_locative"]),
        street=_ends(data["street"]),
        not_place_before=_ends(data["not_place_before"]),
        clause_opener=words(data["clause_opener"]),
        narration_after=re.compile(data["narration_after"]),
        days_after=tuple((int(days), words(p)) for days, p in data["days_after"].items()),
        background_clause=re.compile(data["background_clause"]),
        destination=_ends(data["destination"]),
        purpose=re.compile(data["purpose"]),
        not_place_after=re.compile(data["not_place_after"]),
        person_title=_ends(data["person_title"]),
        region_plural=re.compile(data["region_plural"]),
        region_suffix=re.compile(data["region_suffix"]),
        region_named_before=_ends(data["region_named_before"]),
        region_qualifier=re.compile(data["region_qualifier"]),
        pronoun_subject=_ends(data["pronoun_subject"]),
        pronoun_inverted=re.compile(data["pronoun_inverted"]),
        pronoun_object=re.compile(data["pronoun_object"]),
        document_object=re.compile(data["document_object"]),
        inversion_before=_ends(data["inversion_before"]),
        denial_agent=re.compile(data["denial_agent"]),
        clause_subject_after=re.compile(data["clause_subject_after"]),
        definite_subject=_ends(data["definite_subject"]),
        document_subject=_ends(data["document_subject"]),
        since=_ends(data["since"]),
        city_marker=_ends(data["city_marker"]),
        settlement_noun=words(data["settlement_noun"]),
        points_back=re.compile(data["points_back"]),
        anaphora_plural=words(data["anaphora_plural"]),
        near_the_one_before=re.compile(data["near_the_one_before"]),
        since_event=re.compile(data["since_event"]),
        settlement_near=_ends(data["settlement_near"]),
        place_expected=_ends(data["place_expected"]),
        axis_before=_ends(data["axis_before"]),
        axis_after=re.compile(data["axis_after"]),
        distance_from=_ends(data["distance_from"]),
        denials=_alternation([*data["denials"], data["fighting_on"]]),
        fighting_on=words(data["fighting_on"]),
        denied_not_claim=words(data["denied_not_claim"]),
        dates=DateWords(
            tuple(data["weekdays"]),
            tuple(data["months"]),
            tuple(data["month_abbreviations"]),
            data["dates"],
        ),
    )


@dataclass(frozen=True)
class Speaker:
    """A body or person who voices claims, and the side they speak for."""

    name: str
    side: Side
    pattern: re.Pattern[str]
    stands_with: Side | None = None
    """A third party's belligerent of reference: whose forces its 'enemy' and 'our
    troops' are (DeepState's 'the enemy occupied X' is about Russia's forces)."""


@dataclass(frozen=True)
class UnnamedBody:
    """A body named without its side ('the General Staff'), and its name on each side."""

    pattern: re.Pattern[str]
    names: dict[Side, str]
    otherwise: Side | None = None
    """The side it speaks for when nothing in the article says."""


@dataclass(frozen=True)
class SideTable:
    """Who speaks for whom, which words name a side, which nouns are forces."""

    speakers: tuple[Speaker, ...]
    side_words: re.Pattern[str]
    side_of_word: dict[str, Side]
    forces: re.Pattern[str]
    own_side: re.Pattern[str]
    own_forces: re.Pattern[str]
    """A side's own forces as it names them ('nos hommes', 'our troops', 'we')."""
    named_again: re.Pattern[str]
    """Forces named again without their side ('the sabotage group', 'les assaillants'),
    the noun in the group `noun`."""
    actor_noun: re.Pattern[str]
    capitals: dict[str, Side]
    unnamed: tuple[UnnamedBody, ...]
    not_speakers: re.Pattern[str]
    """Nouns a side's adjective qualifies without naming a speaker ('Russian attacks')."""
    voice: tuple[tuple[Side, re.Pattern[str]], ...]
    """Words only one side uses ('the invaders', 'the Kyiv regime'), by that side."""


@cache
def side_table() -> SideTable:
    """The speakers and sides data file, compiled."""
    data = _read("speakers.json")
    speakers = tuple(
        Speaker(
            s["name"],
            Side(s["side"]),
            _alternation(s["patterns"]),
            Side(s["stands_with"]) if "stands_with" in s else None,
        )
        for s in data["speakers"]
    )
    side_of_word = {w: Side(side) for side, ws in data["side_words"].items() for w in ws}
    alternatives = sorted(side_of_word, key=len, reverse=True)
    side_words = words("|".join(re.escape(w) for w in alternatives))
    nouns = "|".join(data["actor_nouns"])
    adjective = "|".join(re.escape(w) for w in alternatives)
    forces = words(
        rf"(?:(?:{adjective}) (?:\w+ )?(?:{nouns}))|(?:(?:{nouns}) (?:\w+ )?(?:{adjective}))"
        rf"|(?:(?:{nouns}) (?:de|of|d') (?:la |l')?(?:russie|ukraine|kiev|kyiv|moscou|moscow))"
        # The people named for the army ('aux mains des Russes', 'fell to the Russians').
        r"|(?:(?<=\bles )|(?<=\bdes )|(?<=\baux )|(?<=\bthe ))"
        r"(?:russes|ukrainiens|russians|ukrainians)"
    )
    own = words("|".join(data["own_side_words"]))
    own_forces = words(rf"(?:{own.pattern}) (?:\w+ )?(?:{nouns})|nous|we")
    # Named again: by a noun that singles a group out ('the sabotage group'); 'the
    # soldiers' or 'les troupes' may be either side's.
    specific = "|".join(n for n in data["actor_nouns"] if n not in data["generic_actor_nouns"])
    named_again = words(rf"(?:the|les|le|la|l'|ces|this|these) (?P<noun>{specific})")
    capitals = {k: Side(v) for k, v in data["capitals"].items()}
    unnamed = tuple(
        UnnamedBody(
            _alternation(b["patterns"]),
            {Side(k): v for k, v in b["as"].items()},
            Side(b["otherwise"]) if "otherwise" in b else None,
        )
        for b in data["unnamed_bodies"]
    )
    voice = tuple((Side(side), _alternation(ws)) for side, ws in data["voice"].items())
    not_speakers = words("|".join(data["not_speakers"]))
    return SideTable(
        speakers,
        side_words,
        side_of_word,
        forces,
        own,
        own_forces,
        named_again,
        words(nouns),
        capitals,
        unnamed,
        not_speakers,
        voice,
    )


@dataclass(frozen=True)
class NotPlaces:
    """Name keys that are not places in news text: first names (which also make the next
    capitalised word a surname) and other words that small places happen to be called."""

    first_names: frozenset[str]
    words: frozenset[str]


@cache
def not_places() -> NotPlaces:
    """The not-places data file, as name keys."""
    data = _read("not_places.json")
    return NotPlaces(
        frozenset(normalise_name(n) for n in data["first_names"]),
        frozenset(normalise_name(w) for w in data["words"]),
    )
