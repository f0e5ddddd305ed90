"""Places named in a body: gazetteer names matched word by word on their keys, with the
guards that keep people and streets out and the context that picks an oblast over its city."""

from __future__ import annotations

import bisect
import difflib
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from domain.extraction.lexicon import Lexicon, not_places, side_table
from domain.extraction.text import Token, tokenize
from domain.places import Gazetteer, Place, normalise_name, variant_key
from domain.vocabulary import PlaceKind

_REGION_WORDS = frozenset(
    {"region", "regions", "province", "provinces", "oblast", "oblasts", "krai", "kray"}
)
_AFTER_PLACES = frozenset(
    normalise_name(word)
    for word in (
        *("cauldron", "pocket", "salient", "bridgehead", "direction", "axis", "front"),
        *("sector", "offensive", "counteroffensive", "operation", "district", "raion"),
        *("hromada", "airport", "airfield", "station", "railway", "bridge", "highway"),
        *("reservoir", "plant", "coke", "chemical", "thermal", "power", "mine", "factory"),
        *("works", "metallurgical", "steel", "industrial", "zone", "brigade", "group"),
        *("grouping", "university", "cokerie", "usine", "centrale", "gare", "aeroport"),
        *("secteur", "axe", "groupement", "chaudron", "poche", "pont", "universite"),
    )
)
"""Capitalised nouns that follow a place's name in a name of their own ('the Lyman
Cauldron', 'the Bakhmut Direction', 'the Avdiivka Coke Plant'): the place is still one,
neither a person's name nor a longer place name spelt otherwise."""
_CALENDAR = frozenset(
    (
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
    )
)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the body: where, which words (token indices), and whether a word
    like 'region' or 'oblast' came with it."""

    place: Place
    start: int
    end: int
    first: int
    last: int
    regional: bool
    alternatives: tuple[Place, ...] = field(default=())
    namesakes: tuple[Place, ...] = field(default=())
    """Villages spelt otherwise whose names are close (see `skeleton`): read when neither
    the place nor its alternatives fit the article, and only in the article's oblasts."""
    spelt_otherwise: bool = False
    """Found by `skeleton` alone: its places too are read only in the article's oblasts."""
    oblast: str | None = None
    """The oblast the words just after the name place it in ('de la region de Kharkiv'):
    of the places it may be, namesakes included, one there is meant."""
    names_oblast: Place | None = None
    """The oblast a city's name also names (Luhansk, Kharkiv): what 'the region' said
    after it refers back to."""


_SHORTEST_VILLAGE = 4
# A name with one of these words is a government's, in news text a speaker's ("the Donetsk
# People's Republic said"), not the place a claim is about; the place name in it still
# reads as a place where nothing guards it.
_GOVERNMENT_WORDS = frozenset({"republic", "republics", "republique", "republiques"})


def _as_spelt(keys: tuple[str, ...]) -> tuple[str, ...]:
    return keys


def _rank(
    places: list[Place], keys: tuple[str, ...], form: Callable[[tuple[str, ...]], tuple[str, ...]]
) -> None:
    """Order the places a name may be, in place: those so named before those that have it as
    an alias ('Krynky' is a village of its own before another name of Velyki Krynky), then
    the most populous first."""
    places.sort(
        key=lambda p: (form(tuple(t.key for t in tokenize(p.name))) == keys, p.population or 0),
        reverse=True,
    )


def _variant(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(variant_key(k) for k in keys)


# Russian-derived spellings of Ukrainian villages (Krakhmalnoie for Krokhmalne, Ocheretino
# for Ocheretyne, Kleshcheevka for Klishchiivka) differ from the Ukrainian names, and from
# each other, mostly in their vowels: the Ukrainian i of -ivka is a Russian o or e, the
# adjectival -ne is -noe, -ine is -ino. A name no spelling matches is looked up by its
# consonants, where a place is expected, among settlements whose full key is close to it.
_VOWELS = str.maketrans("", "", "aeiouy")
_SKELETON_MIN = 4
"""Fewer consonants than this match too many villages to say which one is meant."""
_SKELETON_RATIO = 0.72
_SIMILAR_REMEMBERED = 8_192
_SKELETON_SHORTEST = 7
"""A shorter unknown word ('Brest') is more often a place abroad than a village spelt
otherwise."""
_SKELETON_CANDIDATES = 200
"""More names than this share the consonants (a short name): none of them is read."""


def skeleton(key: str) -> str:
    """The consonants of a name's key, G read as H, doubled letters single."""
    return _DOUBLE.sub(r"\1", variant_key(key).translate(_VOWELS).replace(" ", ""))


_DOUBLE = re.compile(r"(.)\1+")


class PlaceIndex:
    """Every name of every gazetteer place, as sequences of word keys (less the one-word
    names that mostly mean something else: first names, common words)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._names: dict[tuple[str, ...], list[Place]] = {}
        self._longest: dict[str, int] = {}
        # The same names with G read as H (see `variant_key`), looked in when a name has
        # no match as spelt.
        self._variants: dict[tuple[str, ...], list[Place]] = {}
        self._variant_longest: dict[str, int] = {}
        self._skeletons: dict[str, list[tuple[str, Place]]] = {}
        self._similar: dict[str, list[Place]] = {}
        seen: set[tuple[str, str]] = set()
        blocked = not_places()
        for place in gazetteer.places():
            if place.kind is PlaceKind.COUNTRY:
                continue
            for name in place.names:
                keys = tuple(t.key for t in tokenize(name))
                if (
                    not keys
                    or not _GOVERNMENT_WORDS.isdisjoint(keys)
                    or (
                        len(keys) == 1
                        and (
                            keys[0] in blocked.words
                            or keys[0] in blocked.first_names
                            # A short word ('As', 'Bor') names a village of the codifier more
                            # rarely than it means something else: only a counted town keeps it.
                            or (len(keys[0]) < _SHORTEST_VILLAGE and place.population is None)
                        )
                    )
                ):
                    continue
                for index, form in ((self._names, keys), (self._variants, _variant(keys))):
                    bucket = index.setdefault(form, [])
                    if place not in bucket:
                        bucket.append(place)
                self._longest[keys[0]] = max(self._longest.get(keys[0], 0), len(keys))
                if place.kind is PlaceKind.POPULATED_PLACE and len(keys) <= 2:
                    joined = " ".join(keys)
                    bones = skeleton(joined)
                    if len(bones) >= _SKELETON_MIN and (joined, place.id) not in seen:
                        seen.add((joined, place.id))
                        self._skeletons.setdefault(bones, []).append((joined, place))
                first = variant_key(keys[0])
                self._variant_longest[first] = max(self._variant_longest.get(first, 0), len(keys))
        for ranked, spelt in ((self._names, _as_spelt), (self._variants, _variant)):
            for name_keys, bucket in ranked.items():
                if len(bucket) > 1:
                    _rank(bucket, name_keys, spelt)

    def find(self, folded: str, tokens: list[Token], lex: Lexicon) -> list[PlaceMention]:
        """The places named in a body (folded copy and tokens given), left to right."""
        found: list[PlaceMention] = []
        index = 0
        while index < len(tokens):
            mention = self._longest_match(tokens, index)
            if mention is None or self._name_goes_on(mention, tokens):
                # 'Jelanne Drougue' is one village spelt otherwise, not the town once
                # called Jelanne and a word after it.
                otherwise = self._spelt_otherwise(folded, tokens, index, lex)
                if otherwise is not None and (mention is None or otherwise.last > mention.last):
                    mention = otherwise
            if mention is None:
                index += 1
                continue
            index = mention.last
            if _plausible(mention, folded, tokens, lex, self):
                found.append(self._qualified(self._with_namesakes(mention, tokens), folded, lex))
        return _in_context(_regional_readings(found, folded, tokens, lex, self))

    def lookup(self, keys: tuple[str, ...]) -> list[Place]:
        """Places with exactly this sequence of word keys."""
        return self._names.get(keys, [])

    def oblast_named(self, keys: tuple[str, ...]) -> Place | None:
        """The oblast that takes its name from these words ('Zaporizhzhia' -> the oblast)."""
        for form in ((*keys, "oblast"), (*keys, "region"), ("region", "de", *keys)):
            for place in self._names.get(form, []):
                if place.kind is PlaceKind.OBLAST:
                    return place
        return None

    def _longest_match(self, tokens: list[Token], index: int) -> PlaceMention | None:
        return self._match(tokens, index, self._names, self._longest, _as_spelt) or (
            self._match(tokens, index, self._variants, self._variant_longest, _variant)
            if tokens[index].capitalised
            else None
        )

    @staticmethod
    def _name_goes_on(mention: PlaceMention, tokens: list[Token]) -> bool:
        """Whether a one-word name is followed by another capitalised word of its name (not
        one that begins the name of something called after it: 'the Avdiivka Coke Plant')."""
        following = mention.last
        return (
            mention.last - mention.first == 1
            and following < len(tokens)
            and tokens[following].capitalised
            and not tokens[following].line_start
            and tokens[following].start - tokens[mention.first].end == 1
            and tokens[following].key not in _AFTER_PLACES
        )

    def _spelt_otherwise(
        self, folded: str, tokens: list[Token], index: int, lex: Lexicon
    ) -> PlaceMention | None:
        """A settlement named in another transliteration (see `skeleton`): one or two
        capitalised words where the words before expect a place ('le village de', 'near',
        a list of places), read as the settlements whose names are closest to them."""
        token = tokens[index]
        if not token.capitalised or token.key in not_places().first_names:
            return None
        before = folded[max(0, token.start - 40) : token.start].rstrip()
        if not lex.place_expected.search(before):
            return None
        for size in (2, 1):
            words = tokens[index : index + size]
            if len(words) < size or not all(w.capitalised for w in words):
                continue
            if size == 2 and folded[words[0].end : words[1].start] not in (" ", "-"):
                continue
            key = " ".join(w.key for w in words)
            close = self.similar(key) if len(key) >= _SKELETON_SHORTEST else []
            if close:
                return PlaceMention(
                    close[0],
                    words[0].start,
                    words[-1].end,
                    index,
                    index + size,
                    False,
                    tuple(close[1:]),
                    spelt_otherwise=True,
                )
        return None

    def similar(self, key: str) -> list[Place]:
        """Settlements whose names share the consonants of a name's key and are close to
        it, closest first; none when too many names share them. Remembered per key, as
        articles name the same villages again and again."""
        known = self._similar.get(key)
        if known is None:
            if len(self._similar) >= _SIMILAR_REMEMBERED:
                self._similar.clear()
            known = self._similar[key] = self._closest(key)
        return known

    def _closest(self, key: str) -> list[Place]:
        shared = self._skeletons.get(skeleton(key), [])
        if len(shared) > _SKELETON_CANDIDATES:
            return []
        scored = sorted(
            (
                (difflib.SequenceMatcher(None, key, name).ratio(), place.population or 0, place)
                for name, place in shared
            ),
            key=lambda s: (s[0], s[1]),
            reverse=True,
        )
        return list(dict.fromkeys(p for ratio, _, p in scored if ratio >= _SKELETON_RATIO))

    def _with_namesakes(self, mention: PlaceMention, tokens: list[Token]) -> PlaceMention:
        """A village's mention with the villages spelt otherwise that share its name (a
        Russian-derived spelling matches the GeoNames villages that list it, not the
        codifier's that only have their Ukrainian names), for when none of the villages
        spelt so fits the article."""
        places = [mention.place, *mention.alternatives]
        if mention.last - mention.first > 2 or any(
            p.kind is not PlaceKind.POPULATED_PLACE or (p.population or 0) >= _VILLAGE
            for p in places
        ):
            return mention
        key = " ".join(t.key for t in tokens[mention.first : mention.last])
        ids = {p.id for p in places}
        more = tuple(p for p in self.similar(key) if p.id not in ids)
        return replace(mention, namesakes=more) if more else mention

    def _qualified(self, mention: PlaceMention, folded: str, lex: Lexicon) -> PlaceMention:
        if mention.place.kind is not PlaceKind.POPULATED_PLACE:
            return mention
        after = lex.region_qualifier.match(folded, mention.end, mention.end + 60)
        if after is None:
            return mention
        keys = tuple(t.key for t in tokenize(after.group("name") or after.group("paren")))
        oblast = self.oblast_named(keys) or self.oblast_named(keys[:1])
        return replace(mention, oblast=oblast.id) if oblast is not None else mention

    def _match(
        self,
        tokens: list[Token],
        index: int,
        names: dict[tuple[str, ...], list[Place]],
        longest_by_first: dict[str, int],
        form: Callable[[tuple[str, ...]], tuple[str, ...]],
    ) -> PlaceMention | None:
        first = form((tokens[index].key,))[0]
        longest = longest_by_first.get(first, 0)
        for size in range(min(longest, len(tokens) - index), 0, -1):
            keys = form(tuple(t.key for t in tokens[index : index + size]))
            places = names.get(keys)
            if places:
                words = tokens[index : index + size]
                regional = any(t.key in _REGION_WORDS for t in words)
                return PlaceMention(
                    places[0],  # the likeliest first (see `_rank`)
                    words[0].start,
                    words[-1].end,
                    index,
                    index + size,
                    regional,
                    tuple(places[1:]),
                )
        return None


def _plausible(
    mention: PlaceMention, folded: str, tokens: list[Token], lex: Lexicon, index: PlaceIndex
) -> bool:
    words = tokens[mention.first : mention.last]
    if not any(t.capitalised for t in words):
        return False
    before = folded[max(0, mention.start - 40) : mention.start].rstrip()
    if lex.street.search(before) or lex.not_place_before.search(before):
        return False
    if lex.not_place_after.search(folded[mention.end : mention.end + 30].lstrip()):
        return False
    capital_side = side_table().capitals.get(mention.place.id)
    if capital_side is not None and not lex.locative.search(before):
        return False
    if mention.regional:
        return True
    return not _person_name(mention, tokens, folded, lex, index)


def _person_name(
    mention: PlaceMention, tokens: list[Token], folded: str, lex: Lexicon, index: PlaceIndex
) -> bool:
    """A place-like word that is part of a name: 'Vladimir Putin', 'President X'."""
    before = folded[max(0, mention.start - 30) : mention.start].rstrip()
    if lex.person_title.search(before):
        return True
    if mention.first > 0:
        previous = tokens[mention.first - 1]
        joined = folded[previous.end : mention.start] == " "
        if joined and previous.capitalised and previous.key in not_places().first_names:
            return True
    if mention.last >= len(tokens):
        return False
    following = tokens[mention.last]
    adjacent = folded[mention.end : following.start] == " " and not following.line_start
    if not (adjacent and following.capitalised) or following.key in _CALENDAR | _AFTER_PLACES:
        return False
    return not index.lookup((following.key,))


# A village (fewer inhabitants than this) named in an article lies in an oblast the article
# is about or near one of its other places; one elsewhere is a namesake of an unknown hamlet.
_VILLAGE = 5_000
_NEAR_DEGREES = 1.0
_NEAR = 0.5
"""How far (in degrees) from a place named with it a namesake counts as the one meant."""


def _in_context(found: list[PlaceMention]) -> list[PlaceMention]:
    """Settle each name by the rest of the article. Of the places sharing a name, take one
    in an oblast the article names or is about, else the nearest to its other places, else
    the most populous; drop a village that lies far from everything else named.

    The context is counted once per article, and each name settled once, so an article
    naming thousands of places costs time in proportion to them."""
    settled = {m.place.id: m.place for m in found if not m.alternatives}
    contributions = Counter(_oblast_of(place) for place in settled.values())
    # Settlements say where an article is; an oblast's middle says little more than its
    # name does (counted in `contributions`).
    points = [
        (place.id, point)
        for place in settled.values()
        if place.kind is not PlaceKind.OBLAST and (point := _where(place)) is not None
    ][:_CONTEXT_POINTS]
    areas = [(place.id, place.area) for place in settled.values() if place.area][:_CONTEXT_POINTS]
    chosen: dict[tuple[str | None, ...], Place | None] = {}
    # One name is one place through the article: the oblast named after one of its
    # mentions settles it, else its first mention does.
    meant: dict[tuple[str, ...], Place | None] = {}
    key: tuple[str | None, ...]
    for mention in found:
        if mention.oblast is not None:
            key = (mention.oblast, *_names(mention))
            if key not in chosen:
                chosen[key] = _settle(mention, settled, contributions, points, areas, [])
            meant.setdefault(_names(mention), chosen[key])
    sure = sorted((m for m in found if not m.alternatives), key=lambda m: m.start)
    starts = [m.start for m in sure]
    result = []
    for mention in found:
        names = _names(mention)
        if mention.oblast is not None:
            place = chosen[(mention.oblast, *names)]
        elif names in meant:
            place = meant[names]
        else:
            key = (None, *names)
            together: list[Place] = []
            if mention.alternatives:
                # The places named with it ('took Uspenivka and Novouspenivka') say where
                # it is before the rest of the article does.
                low = bisect.bisect_left(starts, mention.start - _TOGETHER)
                high = bisect.bisect_right(starts, mention.end + _TOGETHER)
                together = list({m.place.id: m.place for m in sure[low:high]}.values())
                key += tuple(sorted(p.id for p in together))
            if key not in chosen:
                chosen[key] = _settle(mention, settled, contributions, points, areas, together)
            place = meant[names] = chosen[key]
        if place is not None:
            result.append(replace(mention, place=place))
    return result


def _names(mention: PlaceMention) -> tuple[str, ...]:
    """The places a mention may be, by id: what names it."""
    return (
        mention.place.id,
        *(p.id for p in (*mention.alternatives, *mention.namesakes)),
    )


_CONTEXT_POINTS = 256
"""The places whose positions say where an article is (its first ones), enough to place
any village and few enough that an article naming thousands stays cheap to read."""
_TOGETHER = 120
"""How near in the text a place named with an ambiguous one is: a list, a sentence."""


def _oblast_of(place: Place) -> str | None:
    if place.kind is PlaceKind.OBLAST:
        return place.id
    return place.parent if place.kind is PlaceKind.POPULATED_PLACE else None


def _settle(
    mention: PlaceMention,
    settled: dict[str, Place],
    contributions: Counter[str | None],
    points: list[tuple[str, tuple[float, float]]],
    areas: list[tuple[str, str]],
    together: list[Place],
) -> Place | None:
    own = mention.place.id
    mine = _oblast_of(settled[own]) if own in settled else None
    oblasts = {
        oblast
        for oblast, count in contributions.items()
        if oblast is not None and count - (oblast == mine) > 0
    }
    located = _Around(
        [point for place_id, point in points if place_id != own],
        {code for place_id, area in areas if place_id != own for code in (area, area[:6])},
    )
    candidates = [mention.place, *mention.alternatives]
    # In the oblast named after it: a place so spelt, else a namesake spelt otherwise.
    there = [p for p in candidates if p.parent == mention.oblast] or [
        p for p in mention.namesakes if p.parent == mention.oblast
    ]
    if there:
        return _best(there, oblasts, located)
    if together:
        near = _Around(
            [point for place in together if (point := _where(place)) is not None],
            {code for place in together if place.area for code in (place.area, place.area[:6])},
        )
        nearby = {_oblast_of(place) for place in together} - {None}
        listed = [p for p in candidates if p.parent in nearby or _distance(p, near) <= _NEAR]
        if listed:
            return _best(listed, oblasts, near)
    if mention.spelt_otherwise:
        fitting = [p for p in candidates if _in_the_article(p, oblasts, located)]
    else:
        fitting = [p for p in candidates if _fits(p, oblasts, located)] or [
            p for p in mention.namesakes if _in_the_article(p, oblasts, located)
        ]
    return _best(fitting, oblasts, located) if fitting else None


def _in_the_article(place: Place, oblasts: set[str], located: _Around) -> bool:
    """A village read from a spelling that is not its own: in an oblast the article names,
    or near its other places, or in an article that names no other place."""
    if not (oblasts or located.points or located.areas) or place.parent in oblasts:
        return True
    return _distance(place, located) <= _NEAR_DEGREES


def _fits(place: Place, oblasts: set[str], located: _Around) -> bool:
    if place.kind is not PlaceKind.POPULATED_PLACE or place.population is None:
        return True
    if (
        place.population >= _VILLAGE
        or not (oblasts or located.points or located.areas)
        or place.parent in oblasts
    ):
        return True
    return _distance(place, located) <= _NEAR_DEGREES


def _best(candidates: list[Place], oblasts: set[str], located: _Around) -> Place:
    in_context = [p for p in candidates if p.parent in oblasts] or candidates
    # Ties keep the order `_rank` gave: a place so named before one with the name as an
    # alias, then the most populous.
    return min(
        in_context, key=lambda place: (_distance(place, located), _far_from_the_front(place))
    )


_FRONT = frozenset(
    {
        "geonames:706482",  # Kharkiv Oblast
        "geonames:702657",  # Luhansk Oblast
        "geonames:709716",  # Donetsk Oblast
        "geonames:687699",  # Zaporizhzhia Oblast
        "geonames:706442",  # Kherson Oblast
        "geonames:709929",  # Dnipropetrovsk Oblast
        "geonames:692196",  # Sumy Oblast
        "geonames:538555",  # Kursk Oblast
        "geonames:578071",  # Belgorod Oblast
    }
)
"""The oblasts where the ground war has been fought since its first months."""
_CRIMEA = "geonames:703883"


def _far_from_the_front(place: Place) -> int:
    """How far from the fighting a place lies: 0 in an oblast of the front, 1 elsewhere in
    Ukraine, 2 in Crimea or in Russia beyond the front. Of namesakes nothing else settles,
    the nearest is meant ('Konstantinovka' is Kostiantynivka of Donetsk, not the village of
    Crimea spelt so; 'Kalynove' one of Donetsk's, not Kyiv's); `min` keeps their order
    otherwise."""
    if place.parent in _FRONT:
        return 0
    return 2 if place.parent == _CRIMEA or place.country == "RU" else 1


@dataclass(frozen=True, slots=True)
class _Around:
    """Where an article's other places are: their positions, and the territorial
    communities and raions of those the codifier places (`Place.area`)."""

    points: list[tuple[float, float]]
    areas: set[str]


_SAME_COMMUNITY = 0.1
_SAME_RAION = 0.5
"""How far (in degrees) a settlement with no position counts as lying from a place of
the article in its territorial community, or in its raion: Andriivka of Bakhmut's
community is the one meant next to Bakhmut."""


def _distance(place: Place, located: _Around) -> float:
    """How far (in degrees) a place lies from the nearest of the article's other places:
    by position, or by the community or raion it shares with one."""
    here = _where(place)
    apart = math.inf
    if here is not None:
        apart = min((math.dist(here, point) for point in located.points), default=math.inf)
    if place.area is not None:
        if place.area in located.areas:
            apart = min(apart, _SAME_COMMUNITY)
        elif place.area[:6] in located.areas:
            apart = min(apart, _SAME_RAION)
    return apart


def _where(place: Place) -> tuple[float, float] | None:
    return (place.lat, place.lon) if place.lat is not None and place.lon is not None else None


def _regional_readings(
    found: list[PlaceMention], folded: str, tokens: list[Token], lex: Lexicon, index: PlaceIndex
) -> list[PlaceMention]:
    """Read a city's name as its oblast where the words say so: a list opened by
    'provinces de', a following 'regions', or an oblast the article named before by that
    name ('the Kursk region ... advanced in Kursk'). Elsewhere a city keeps the oblast its
    name names (`PlaceMention.names_oblast`)."""
    named_oblasts: dict[tuple[str, ...], int] = {}
    for m in found:
        if m.regional and m.place.kind is PlaceKind.OBLAST:
            keys = tuple(t.key for t in tokens[m.first : m.last] if t.capitalised)
            named_oblasts.setdefault(keys, m.start)
    result: list[PlaceMention] = []
    for position, mention in enumerate(found):
        oblast = None
        if mention.place.kind is PlaceKind.POPULATED_PLACE:
            oblast = index.oblast_named(tuple(t.key for t in tokens[mention.first : mention.last]))
        if oblast is None:
            result.append(mention)
            continue
        previous = result[position - 1] if position else None
        if _reads_as_oblast(mention, previous, folded, tokens, lex, named_oblasts):
            result.append(
                replace(mention, place=oblast, regional=True, alternatives=(), namesakes=())
            )
        else:
            result.append(replace(mention, names_oblast=oblast))
    return result


def _reads_as_oblast(
    mention: PlaceMention,
    previous: PlaceMention | None,
    folded: str,
    tokens: list[Token],
    lex: Lexicon,
    named_oblasts: dict[tuple[str, ...], int],
) -> bool:
    after = folded[mention.end : mention.end + 40].lstrip()
    if lex.region_suffix.search(after):
        return True
    if previous is not None and previous.regional and previous.place.kind is PlaceKind.OBLAST:
        between = folded[previous.end : mention.start].strip()
        if lex.coordination.search(between):
            return True
    before = folded[max(0, mention.start - 30) : mention.start].rstrip()
    if lex.region_named_before.search(before):
        return True
    keys = tuple(t.key for t in tokens[mention.first : mention.last])
    return named_oblasts.get(keys, mention.start) < mention.start and not (
        lex.city_marker.search(before)
    )
