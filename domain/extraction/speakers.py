"""Who voiced what: reporting cues ('a déclaré', 'selon', 'said', 'according to') and the
speaker each one names, resolved to a name and a side from the speakers data file."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from domain.extraction.lexicon import Lexicon, Speaker, UnnamedBody, side_table
from domain.extraction.text import Sentence
from domain.vocabulary import Side

_WINDOW = 140
CONTRAST = re.compile(r", (?:mais|but|while|whereas|alors que|tandis que) ")
"""A conjunction that opens a clause of its own, with its own subject and speaker."""
_BOUNDARY = re.compile(
    r"[;:\"]|(?<!\d)(?<!\b[a-z])[.!?](?!\d)"  # not "U.S."
    rf"|{CONTRAST.pattern}(?!(?:the|these|those|le|la|les|l'|ces) )(?=[\w' -]{{1,40}}$)"
)
"""Where a speaker's window opens: a stop, a quote, or a contrast that opens the clause
of the verb on a name ('..., mais Kovalev a declare'): a side named before it is the
other clause's. ('..., while the fighters said': a definite subject names what came
before.)"""
_SENTENCE_END = re.compile(r"\n|(?<!\d)[.!?](?!\d)")
_AFTER_STOP = re.compile(r"[,;:\"(]| (?:que|qu'|that|de ne|to) ")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A reporting cue and the speaker it names; `resolved` is False when the speaker was
    taken from an earlier sentence (a pronoun, 'the ministry')."""

    name: str
    side: Side
    cue_start: int
    cue_end: int
    resolved: bool = True
    claims_noun: bool = False
    """Named by its claims as a noun ('Russian claims that'), not by a verb of saying."""


@dataclass(frozen=True, slots=True)
class Speaking:
    """A speaker named in the text, with its side and where."""

    name: str
    side: Side
    start: int
    end: int


def reporting_cues(folded: str, start: int, end: int, lex: Lexicon) -> list[re.Match[str]]:
    """Reporting verbs and 'according to' phrases in a span, left to right."""
    cues = [
        m
        for m in lex.reporting.finditer(folded, start, end)
        if not lex.reporting_as_noun.search(
            folded, max(start, m.start() - 20), trimmed(folded, m.start())
        )
    ]
    cues += lex.reporting_prepositions.finditer(folded, start, end)
    return sorted(cues, key=lambda m: m.start())


def attributions(
    folded: str, start: int, end: int, lex: Lexicon, previous: Attribution | None
) -> list[Attribution]:
    """The attributions of one sentence (span of the folded body); `previous` is the last
    speaker named before it, for pronouns and definite descriptions."""
    found: list[Attribution] = []
    table = side_table()
    for claims in lex.side_claims.finditer(folded, start, end):
        # 'ISW could not confirm Russian claims that its forces captured X': Russia's.
        word = table.side_words.search(folded, claims.start(), claims.end())
        side = table.side_of_word[word.group()] if word else None
        if side in (Side.RUSSIA, Side.UKRAINE):
            found.append(
                Attribution(
                    side.value.title(), side, claims.start(), claims.end(), claims_noun=True
                )
            )
    for cue in reporting_cues(folded, start, end, lex):
        prepositional = lex.reporting_prepositions.fullmatch(cue.group()) is not None
        if (agent := _passive_agent(folded, cue, end, lex)) is not None:
            # 'Moscow's claim ... was dismissed by Kyiv': the agent speaks.
            found.append(Attribution(agent.name, agent.side, cue.start(), cue.end()))
            previous = found[-1]
            continue
        if (
            previous is not None
            and previous.cue_start >= start
            and _PARTICIPLE.match(folded[max(start, cue.start() - 2) : cue.end()])
        ):
            # 'Kyiv insisted ..., rejecting Moscow's claim': the participle's subject is
            # the speaker of the clause it hangs on.
            found.append(Attribution(previous.name, previous.side, cue.start(), cue.end()))
            continue
        speaker = _speaker(folded, start, end, cue, prepositional, lex)
        if speaker is not None and speaker.side is Side.MEDIA:
            speaker = _cited(folded, max(speaker.end, cue.end()), end) or speaker
        if speaker is not None:
            found.append(Attribution(speaker.name, speaker.side, cue.start(), cue.end()))
            previous = found[-1]
        elif (named := _pronoun_for_named(folded, start, cue, lex)) is not None:
            # 'DeepState, proche de l'armee, dresse un tableau sombre : il estimait': the
            # pronoun stands for the body its own sentence names.
            found.append(Attribution(named.name, named.side, cue.start(), cue.end(), False))
            previous = found[-1]
        elif _refers_back(folded, start, cue, lex) and previous is not None:
            found.append(Attribution(previous.name, previous.side, cue.start(), cue.end(), False))
    return sorted(found, key=lambda a: a.cue_start)


_PARTICIPLE = re.compile(r", \w+(?:ing|ant)$")
_PASSIVE = re.compile(
    r"(?:\b(?:was|were|been|is|are|being|ete|est|sont|etait|etaient|fut)(?: \w+)? |, )$"
)


def _passive_agent(folded: str, cue: re.Match[str], end: int, lex: Lexicon) -> Speaking | None:
    """The agent a passive reporting verb names after it ('was dismissed by Kyiv', 'a ete
    rejetee par Kiev', ', annoncee par Moscou,')."""
    if not _PASSIVE.search(folded, max(0, cue.start() - 20), cue.start()):
        return None
    agent = lex.denial_agent.match(folded, cue.end())
    if agent is None:
        return None
    return _nearest(folded, agent.end(), min(end, agent.end() + 50), from_left=True)


_CITING = re.compile(r",? (?:citing|quoting|citant|qui cite|reprenant) ")
_CITED_BY = re.compile(
    r"(?:cited|quoted|reported|interviewed|contacted|reached) by (?:the )?$|(?:cite|citee|cites|"
    r"citees|rapporte|rapportee|rapportes|rapportees|interroge|interrogee|interroges|interrogees|"
    r"contacte|contactee|contactes|joint|jointe|joints) par (?:l'|la |le |les )?$"
)


def _cited(folded: str, after: int, end: int) -> Speaking | None:
    """The source a news agency cites ('..., Reuters reported, citing the defence
    ministry', "a rapporte l'AFP, citant le ministere"): who made the claim."""
    citing = _CITING.match(folded, after)
    if citing is None:
        return None
    return _nearest(folded, citing.end(), _after_end(folded, citing.end(), end), from_left=True)


def _speaker(
    folded: str, start: int, end: int, cue: re.Match[str], prepositional: bool, lex: Lexicon
) -> Speaking | None:
    after_end = _after_end(folded, cue.end(), end)
    if prepositional:
        return _nearest(folded, cue.end(), after_end, from_left=True)
    tail = folded[start : cue.start()].rstrip()
    if (
        tail.endswith((",", '"'))
        or not tail
        or lex.inversion_before.search(tail)
        or lex.pronoun_inverted.match(
            folded, cue.end() + (folded[cue.end() : cue.end() + 1] == " ")
        )
    ):
        reach = min(after_end, cue.end() + _INVERTED)
        inverted = _nearest(folded, cue.end(), reach, from_left=True)
        if inverted is None or (
            inverted.side is Side.MEDIA
            and (
                _ADDRESSEE.search(folded, max(0, inverted.start - 4), inverted.start)
                or cue.group().endswith(("told", "tells"))
            )
        ):
            # 'said Petro Ivanenko, a spokesman for Ukraine's brigade': an unknown name
            # and the apposition after it that says whom it speaks for; 'a declare a
            # l'AFP Oleksandr, un soldat ukrainien': the agency is spoken to.
            after = max(cue.end(), inverted.end if inverted else 0)
            inverted = _titled(folded, after, end) or _apposition(folded, after, end)
        if (inverted is None or not speakers_named(folded, inverted.start, inverted.end)) and (
            apposed := _named_right_before(folded, start, start + len(tail) - 1)
        ):
            # 'the Moscow-installed governor of the region, Vladimir Saldo, said the
            # Ukrainian bridgehead...': a known name closing on the comma before the verb
            # speaks, unless a known speaker follows the verb.
            return apposed
        if (
            inverted is not None
            and not lex.clause_subject_after.match(
                folded[inverted.end : inverted.end + 30].lstrip()
            )
            and not (
                _APPOSITION_CLOSE.search(tail)
                and not _SPEAKER_ENDS.match(folded, inverted.end)
                and not speakers_named(folded, inverted.start, inverted.end)
            )
        ):
            return _named_next(folded, inverted) or inverted
    window_start = _window_start(folded, start, cue.start())
    subject_end = trimmed(folded, cue.start())
    if lex.pronoun_subject.search(folded, window_start, subject_end) or (
        lex.document_subject.search(folded, window_start, subject_end)
    ):
        return None
    found = _nearest(folded, window_start, cue.start(), from_left=False)
    if found is None:
        return None
    body = _sideless_subject(folded, found.end, subject_end)
    person = None if body else _GENERIC_SUBJECT.search(folded, found.end, subject_end)
    if body or person:
        # 'Russian troops repelled attacks by the Ukrainian army near X, the ministry
        # said', '..., the commander said': a speaker nothing else gives a side reports
        # its own side's deeds, those of the forces its sentence opens on, not the
        # forces named last.
        first = _nearest(folded, window_start, cue.start(), from_left=True)
        if first is None or first.side not in (Side.RUSSIA, Side.UKRAINE):
            return None
        if body:
            unnamed, match = body
            return Speaking(unnamed.names[first.side], first.side, match.start(), match.end())
        assert person is not None
        named = person.group("who")
        return Speaking(named, first.side, person.start("who"), person.end("who"))
    return found


_APPOSITION_CLOSE = re.compile(
    r", (?:a|an|the|un|une|le|la|l'|son|sa|its|his|her|[\w'-]+ (?:of|for|de|du|des))"
    r" [^,;:\"]{3,100},$"
)
"""An apposition closing right before the verb ('Serhiy Cherevatyi, a spokesperson for
Ukraine's eastern group, said'): its subject came before it..."""
_SPEAKER_ENDS = re.compile(r" ?(?:[,.;:!?\"(]|$| on \w+| in a | late | earlier| yesterday| today)")
"""...unless what follows the verb is a known speaker, or one whose words end there (',
said the ministry.')."""

_INVERTED = 70
"""How far after its verb a speaker named after it may end ('a retorque jeudi soir le
porte-parole du groupement Khortytsia')."""

_GENERIC_SUBJECT = re.compile(
    r", (?P<who>(?:the|a|an|one|un|une|le|la|l') ?(?:[\w-]+ ){0,2}?(?:commander|spokesman"
    r"|spokeswoman|spokesperson|official|officer|soldier|source|general|colonel|commandant"
    r"|porte-parole|responsable|officier|soldat|militaire)s?)$"
)
"""A person named by a noun alone right before the verb ('..., the commander said')."""


def _sideless_subject(
    folded: str, after: int, subject_end: int
) -> tuple[UnnamedBody, re.Match[str]] | None:
    """A body named without its side, whose side nothing tells, right before the
    reporting verb, past a comma after `after` (a speaker named in the same phrase,
    "Moscow's defence ministry", says whose it is)."""
    for body in side_table().unnamed:
        for match in body.pattern.finditer(folded, after, subject_end):
            if subject_end - match.end() <= 1 and "," in folded[after : match.start()]:
                return body, match
    return None


def _named_next(folded: str, body: Speaking) -> Speaking | None:
    """A known speaker named right after a body, set off by a comma ('le porte-parole du
    groupement Sud, Vladyslav Volochyne,'): the person, whose side is surer."""
    if folded[body.end : body.end + 2] != ", ":
        return None
    return _known_at(folded, body.end + 2, body.end + 62)


def _known_at(folded: str, at: int, end: int) -> Speaking | None:
    """The known speaker whose name begins at `at`, if one does before `end`."""
    named = [s for s in speakers_named(folded, at, end) if s[1] == at]
    if not named:
        return None
    speaker, start, to = named[0]
    return Speaking(speaker.name, speaker.side, start, to)


_TITLE = re.compile(r" ?(?:the|a|an|le|la|l'|les|un|une) [^,;:.!?\"]{2,60}?, ")


def _titled(folded: str, after: int, end: int) -> Speaking | None:
    """A known speaker named after a title the table does not know ('a declare le
    porte-parole du groupement Joint, Viktor Tregoubov')."""
    title = _TITLE.match(folded, after)
    if title is None or title.end() >= end:
        return None
    return _known_at(folded, title.end(), min(end, title.end() + 60))


_ADDRESSEE = re.compile(r"\b(?:to|a|aux?) (?:the |l'|la |le )?$")
_APPOSITION = re.compile(
    r" ?[\w'-]+(?: [\w'-]+){0,3}, (?:a|an|the|un|une|le|la|l'|les|chef|head|commander|spokesman"
    r"|porte-parole|commandant)\b"
)
"""A name the table does not know, then an apposition ('Petro Ivanenko, a spokesman for')."""


def _apposition(folded: str, after: int, end: int) -> Speaking | None:
    """The speaker an apposition after an unknown name says it is ('said Petro Ivanenko, a
    spokesman for Ukraine's 14th brigade', 'Oleksandr, un soldat ukrainien')."""
    found = _APPOSITION.match(folded, after)
    if found is None:
        return None
    start = found.end() - len(found.group().rsplit(", ", 1)[1])
    return _nearest(folded, start, _after_end(folded, start, end), from_left=True)


def denier_after(folded: str, end: int, limit: int, lex: Lexicon) -> Attribution | None:
    """Who denies, named as the agent of a passive denial ending at `end` ('dementie par
    Kiev', 'denied by Kyiv')."""
    agent = lex.denial_agent.match(folded, end)
    if agent is None:
        return None
    named = _nearest(folded, agent.end(), min(limit, agent.end() + 50), from_left=True)
    return Attribution(named.name, named.side, end, agent.end()) if named else None


def later_speakers(
    folded: str, sentences: Sequence[Sentence], lex: Lexicon
) -> dict[int, Attribution]:
    """Speakers named after what they said, by the start of each sentence they said: a
    sentence that opens by pointing back ('This was stated by X', "C'est ce qu'a declare
    X") names the speaker of the sentence before it, and 'X said' (or 'said X') just after a
    closing quote names the speaker of every sentence within the quote."""
    found: dict[int, Attribution] = {}
    for before, after in itertools.pairwise(sentences):
        opening = _QUOTE_OR_SPACE.match(folded, after.start)
        at = opening.end() if opening else after.start
        pointer = lex.points_back.match(folded, at)
        if pointer is not None:
            named = _nearest(folded, pointer.end(), after.end, from_left=True)
            if named is not None:
                found[before.start] = Attribution(
                    named.name, named.side, pointer.start(), pointer.end()
                )
    ends = {sentence.paragraph: sentence.end for sentence in sentences}
    starts = [sentence.start for sentence in sentences]
    for quote in _QUOTED.finditer(folded):
        inside = sentences[
            bisect.bisect_left(starts, quote.start()) : bisect.bisect_left(starts, quote.end())
        ]
        if not inside:
            continue
        # A speaker named in the next paragraph said what follows it, not the quote.
        tail = min(len(folded), quote.end() + _AFTER_QUOTE, ends[inside[-1].paragraph])
        said = attributions(folded, quote.end(), tail, lex, None)
        if said and said[0].cue_start - quote.end() <= _AFTER_QUOTE // 2:
            for sentence in inside:
                found.setdefault(sentence.start, said[0])
    return found


_QUOTE_OR_SPACE = re.compile(r"[\s\"]+")
_QUOTED = re.compile(r'"[^"\n]{40,}"')
_AFTER_QUOTE = 60


def trimmed(folded: str, end: int) -> int:
    """The end of the text before `end` without its trailing spaces."""
    while end > 0 and folded[end - 1] == " ":
        end -= 1
    return end


def _after_end(folded: str, position: int, end: int) -> int:
    stop = _AFTER_STOP.search(folded, position, end)
    return min(stop.start() if stop else end, position + 90)


def _window_start(folded: str, start: int, cue_start: int) -> int:
    window_start = max(start, cue_start - _WINDOW)
    ends = [
        m.end()
        for m in _BOUNDARY.finditer(folded, window_start, cue_start)
        if not _NICKNAME.match(folded, m.start())
        and not _NICKNAME_END.search(folded, max(0, m.end() - 30), m.end())
    ]
    return ends[-1] if ends else window_start


_NICKNAME = re.compile(r'" ?[\w\' -]{1,24} ?"')
_NICKNAME_END = re.compile(r'" ?[\w\' -]{1,24} ?"$')
"""A few words in quotation marks ('le commandant, sous le nom de code « Kupol », a
declare'): a name, not a quote that ends the speaker's window."""


def _inverted_pronoun(folded: str, cue: re.Match[str], lex: Lexicon) -> bool:
    after = cue.end() + (folded[cue.end() : cue.end() + 1] == " ")
    return lex.pronoun_inverted.match(folded, after) is not None


def _named_right_before(folded: str, start: int, comma: int) -> Speaking | None:
    """The known speaker whose name ends right at `comma`."""
    for speaker, at, to in speakers_named(folded, start, comma):
        if (
            to == comma
            and folded[at - 2 : at] == ", "
            and not _CITED_BY.search(folded, max(start, at - 24), at)
        ):
            return Speaking(speaker.name, speaker.side, at, to)
    return None


def _pronoun_for_named(
    folded: str, start: int, cue: re.Match[str], lex: Lexicon
) -> Speaking | None:
    """The known speaker its sentence names before a pronoun that is the verb's subject."""
    window_start = _window_start(folded, start, cue.start())
    pronoun = lex.pronoun_subject.search(folded, window_start, trimmed(folded, cue.start()))
    if pronoun is None:
        return None
    named = [
        Speaking(s.name, s.side, at, to)
        for s, at, to in speakers_named(folded, start, pronoun.start())
        if not _ADJECTIVE.match(folded, to)
    ]
    return named[0] if named else None


def _refers_back(folded: str, start: int, cue: re.Match[str], lex: Lexicon) -> bool:
    window_start = _window_start(folded, start, cue.start())
    end = trimmed(folded, cue.start())
    return bool(
        lex.pronoun_subject.search(folded, window_start, end)
        or lex.definite_subject.search(folded, window_start, end)
        or lex.document_subject.search(folded, window_start, end)
        or lex.pronoun_inverted.match(
            folded, cue.end() + (folded[cue.end() : cue.end() + 1] == " ")
        )
        or (
            lex.reporting_prepositions.fullmatch(cue.group()) is not None
            and (
                lex.pronoun_object.match(folded, cue.end()) is not None
                or lex.document_object.match(folded, cue.end()) is not None
            )
        )
    )


def _nearest(folded: str, start: int, end: int, *, from_left: bool) -> Speaking | None:
    """The speaker named in a window nearest to the cue: a known body or person first,
    else a phrase with a side's adjective ('un rapport russe'), else a body named without
    its side whose side the context gives (`_unnamed`)."""
    if start >= end:
        return None
    table = side_table()
    candidates = [
        owned(Speaking(s.name, s.side, at, to), folded, start)
        for s, at, to in speakers_named(folded, start, end)
        if not _ADJECTIVE.match(folded, to)
    ]
    known = list(candidates)
    candidates += [
        u
        for u, usual in _unnamed(folded, start, end)
        if not (usual and any(_same_phrase(folded, c, u) for c in known))
        and not any(c.start <= u.start < c.end or u.start <= c.start < u.end for c in candidates)
    ]
    candidates += [
        Speaking(
            _side_phrase(folded, start, m, end), table.side_of_word[m.group()], m.start(), m.end()
        )
        for m in table.side_words.finditer(folded, start, end)
        if not any(
            c.start <= m.start() < c.end
            or (c.start >= m.end() and folded[m.end() : c.start].strip() == "")
            for c in candidates
        )
        and not _qualifies_a_thing(folded, m, table.not_speakers)
        and not any(_in_apposition_of(folded, k, m.start()) for k in known)
    ]
    # A source's relay is no speaker: "Ukraine's military, cited by the BBC, said"; nor a
    # body named to say what a speaker is.
    candidates = [
        c
        for c in candidates
        if not _CITED_BY.search(folded, max(start, c.start - 24), c.start)
        and not any(_described(folded, k, c.start) for k in known)
    ]
    if not candidates:
        return None
    if from_left:
        return min(candidates, key=lambda f: (f.start, -f.end))
    return max(candidates, key=lambda f: (f.end, -f.start))


_ADJECTIVE = re.compile(
    r"-(?:installed|appointed|backed|based|controlled|held|occupied|led|aligned|friendly"
    r"|leaning|allied|annexed)\b"
)
"""A name made an adjective ('the Moscow-installed head'): it qualifies a speaker."""

_APPOSITION_OPEN = re.compile(r", (?:a|an|the|un|une|le|la|l'|les) [^,]*")
_DESCRIBED = re.compile(
    r", (?:which|who|qui|(?:(?:is|seen as|considered|widely seen as) )?(?:closely )?(?:close"
    r"|linked|affiliated|allied|aligned|proche|liee?|affiliee?|alliee?)s?\b)[^,;:\"]{0,80},"
)
"""A clause that says what a speaker is ('DeepState, which is close to the Ukrainian
military, said'; 'DeepState, proche de l'armee, estime'): a body it names does not speak."""


def _in_apposition_of(folded: str, speaker: Speaking, at: int) -> bool:
    """Whether `at` lies in an apposition right after a known speaker ('DeepState, a
    Ukrainian group that maps the front, said'): the side word there describes it."""
    opened = _APPOSITION_OPEN.match(folded, speaker.end)
    return opened is not None and opened.end() >= at > speaker.end


def _described(folded: str, speaker: Speaking, at: int) -> bool:
    """Whether `at` lies in a clause describing a known speaker (`_DESCRIBED`)."""
    clause = _DESCRIBED.match(folded, speaker.end)
    return clause is not None and clause.end() > at > speaker.end


def speakers_named(folded: str, start: int, end: int) -> list[tuple[Speaker, int, int]]:
    """The known speakers named from `start` to `end`: each with where it is named."""
    starts, found = _speaker_matches(folded)
    speakers = side_table().speakers
    low, high = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return [(speakers[index], at, to) for at, to, index in found[low:high] if to <= end]


@lru_cache(maxsize=2)  # the article being read
def _speaker_matches(folded: str) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Every known speaker named in a body, by where it starts (then by its place in the
    table): looked for once per article, as each sentence and window asks again."""
    found = sorted(
        (
            (m.start(), m.end(), index)
            for index, speaker in enumerate(side_table().speakers)
            for m in speaker.pattern.finditer(folded)
        ),
        key=lambda f: (f[0], f[2]),
    )
    return [f[0] for f in found], found


def _same_phrase(folded: str, one: Speaking, other: Speaking) -> bool:
    """Whether two names stand in one phrase, no comma between them: a body known by name
    there says whose a body named without its side is; past a comma it says nothing of it
    ('Russian forces advanced, the General Staff said')."""
    low, high = min(one.end, other.end), max(one.start, other.start)
    return "," not in folded[low:high]


def _qualifies_a_thing(folded: str, word: re.Match[str], things: re.Pattern[str]) -> bool:
    """A side's adjective next to a noun that names no speaker ('20 Russian attacks', 'les
    positions ukrainiennes')."""
    after = things.match(folded, word.end() + 1)
    before = things.search(folded, max(0, word.start() - 14), max(0, word.start() - 1))
    return after is not None or (before is not None and before.end() == word.start() - 1)


def _unnamed(folded: str, start: int, end: int) -> list[tuple[Speaking, bool]]:
    """Bodies named without their side in a window ('a declare l'etat-major', 'the defence
    ministry said'), each given the side of the voice of its sentence (words only one side
    uses: 'the invaders', 'the Kyiv regime'), else of the last body of its kind that the
    article named with its side, else the body's usual side (flagged: a named speaker in
    the same window wins over it). Left out when none tells."""
    found = []
    for body in side_table().unnamed:
        for match in body.pattern.finditer(folded, start, end):
            side = _voice(folded, match.start()) or _named_before(body, folded, match.start())
            usual = side is None
            side = side or body.otherwise
            if side is not None:
                found.append((Speaking(body.names[side], side, match.start(), match.end()), usual))
    return found


def _voice(folded: str, at: int) -> Side | None:
    """The one side whose words the sentence around `at` uses, if only one's are there."""
    reach = max(0, at - 300)
    low = max((m.end() for m in _SENTENCE_END.finditer(folded, reach, at)), default=reach)
    high_match = _SENTENCE_END.search(folded, at, at + 300)
    high = high_match.start() if high_match else min(len(folded), at + 300)
    if aside := _ASIDE.search(folded, at, high):
        high = aside.start()
    sides = {side for side, words in side_table().voice if words.search(folded, low, high)}
    return sides.pop() if len(sides) == 1 else None


_ASIDE = re.compile(
    r", (?:a claim|an assertion|a statement|a report|claims|une affirmation|une annonce"
    r"|une information|ce que|ce qu'|which|something)\b"
)
"""An aside the outlet adds after a speaker's words ('..., a claim refuted by Ukraine's
Southern Defense Forces'): its words are not the speaker's voice."""


def _named_before(body: UnnamedBody, folded: str, at: int) -> Side | None:
    """The side of the last body of this kind named with its side before `at`."""
    named = _named_bodies(folded, tuple(sorted(body.names.values())))
    index = bisect.bisect_left(named, (at,))
    return named[index - 1][1] if index else None


@lru_cache(maxsize=2)  # the article being read
def _named_bodies(folded: str, names: tuple[str, ...]) -> list[tuple[int, Side]]:
    """Where an article names these speakers, in text order (one pass per article)."""
    return sorted(
        (match.start(), speaker.side)
        for speaker in side_table().speakers
        if speaker.name in names
        for match in speaker.pattern.finditer(folded)
    )


def owned(found: Speaking, folded: str, start: int) -> Speaking:
    """A body named with a side's word just before it speaks for that side ("Ukraine's
    southern group of forces" is not Russia's Southern group)."""
    table = side_table()
    if found.side is Side.THIRD_PARTY:
        # Analysts and trackers are third parties whatever their nationality.
        return found
    owner = None
    for match in table.side_words.finditer(folded, max(start, found.start - 25), found.start):
        if folded[match.end() : found.start].strip() == "":
            owner = match
    if owner is None and (after := _OWNER_AFTER.match(folded, found.end)):
        # 'le groupement Est de l'armee ukrainienne': the army named after the body.
        word = table.side_words.match(folded, after.end())
        if word is not None and table.side_of_word[word.group()] is not found.side:
            side = table.side_of_word[word.group()]
            return Speaking(folded[found.start : word.end()], side, found.start, word.end())
    if owner is None or table.side_of_word[owner.group()] is found.side:
        return found
    side = table.side_of_word[owner.group()]
    return Speaking(_phrase(folded, owner.start(), found.end), side, owner.start(), found.end)


_OWNER_AFTER = re.compile(
    r" (?:de l'armee|des forces(?: armees)?|de l'|of the(?: armed forces| army)?|of) (?=\w)"
)


def _phrase(folded: str, start: int, end: int) -> str:
    """The last words before `end`, from `start` but not across a comma or a quote."""
    clause = re.split(r"[,;:\"«»]", folded[start:end])[-1]
    return " ".join(clause.split()[-4:])


def _side_phrase(folded: str, start: int, word: re.Match[str], limit: int) -> str:
    """A speaker named by a side's adjective: with the noun it qualifies when one follows
    ('ukrainian-backed fighters'), else the words before it ('un rapport russe')."""
    noun = _SPEAKER_NOUN.match(folded, word.end(), limit)
    return folded[word.start() : noun.end()] if noun else _phrase(folded, start, word.end())


_SPEAKER_NOUN = re.compile(
    r" (?:forces|troops|fighters?|officials?|sources?|authorities|military|army|media|bloggers?"
    r"|commanders?|officers?|analysts?|units|soldiers?|groups?|volunteers?|defenders|servicem[ae]n"
    r"|spokes(?:man|woman|person)|generals?|colonels?|medics?|pilots?|marines?|journalists?"
    r"|lawmakers?|deputies|deputy|governors?|mayors?|ministers?|diplomats?|intelligence|side|ministry|command|government"
    r"|brigades?|battalions?|regiments?|divisions?|corps)\b"
)
