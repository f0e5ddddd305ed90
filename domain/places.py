"""Places and how a name in any spelling or script finds them."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from domain.vocabulary import PlaceKind

# Russian and Ukrainian Cyrillic to a plain Latin spelling; soft and hard signs vanish.
_CYRILLIC = dict(
    zip(
        "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "e",
            "ie",
            "zh",
            "z",
            "y",
            "i",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "iu",
            "ia",
        ],
        strict=True,
    )
)
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_APOSTROPHES = re.compile(r"['’ʼ‘`´ʹ]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/]+")
# Spellings of one sound across English, French, German and transliteration schemes.
_FOLDS = (
    ("shch", "sch"),
    ("chtch", "sch"),  # French for the Cyrillic щ (Pichtchané, Klichtchiïvka)
    ("tch", "ch"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ou", "u"),
    ("w", "v"),
    ("y", "i"),
)
_DOUBLES = re.compile(r"(.)\1+")


LONGEST_NAME = 200
"""No place's id or name is longer (the gazetteer's longest name has 43 characters), so the
names remembered while resolving take a bounded amount of memory."""


def normalise_name(name: str) -> str:
    """Fold a place name to a key that ignores case, accents, apostrophes, script and the
    usual transliteration differences (Kupyansk, Koupiansk, Купянск: one key)."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_CYRILLIC_TABLE)
    if not text.isascii():  # ASCII has no accents to strip
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    text = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", text)).strip()
    for spelling, sound in _FOLDS:
        text = text.replace(spelling, sound)
    return _DOUBLES.sub(_first_letter, text)


# The letter Г is G in Russian-derived and French spellings and H in Ukrainian ones
# (Serguiïvka and Serhiivka, Drougué and Druhe; French writes a hard g before e and i as
# 'gu'). Folded only to find a name that has no match as spelt, since the same fold on
# ordinary words ('region', 'village') would blur them.
_G_AS_H = (("gue", "ge"), ("gui", "gi"), ("g", "h"))


# The Ukrainian ending -нє is -nie in the official transliteration and -ne in most news
# text (Dalnie and Dalne, Zarichnie and Zarichne); the Russian neuter endings -oye, -eye
# are the Ukrainian -e (Tonenkoye and Tonenke, Dalneye and Dalne).
_FINAL_IE = re.compile(r"ie\b")
_RUSSIAN_NEUTER = re.compile(r"(?<=\w\w)[oe]e\b")


# Y and I stand for the same sounds across transliterations (Dobropillya and Dobropillia,
# Kamyanske and Kamianske, Andriyivka and Andriivka): one I, however many.
_Y_AS_I = re.compile(r"[iy]+")


def variant_key(key: str) -> str:
    """A name's key (`normalise_name`) with G read as H, Y as I, CH as SH and a final -ie
    as -e: the key a name is looked up by when its own key finds nothing."""
    key = _Y_AS_I.sub("i", _RUSSIAN_NEUTER.sub("e", _FINAL_IE.sub("e", key)))
    # French writes ш as ch (Kindrachivka for Kindrashivka), English ч as ch: in the
    # variant key both are one sound.
    key = key.replace("ch", "sh")
    if "g" not in key:
        return key
    for spelling, sound in _G_AS_H:
        key = key.replace(spelling, sound)
    return _DOUBLES.sub(_first_letter, key)


def _first_letter(match: re.Match[str]) -> str:
    return match[1]


@dataclass(frozen=True)
class Place:
    """A place with a stable id (GeoNames where it has one) and every name it goes by."""

    id: str
    name: str
    kind: PlaceKind
    parent: str | None = None
    country: str | None = None
    population: int | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = field(default=())
    area: str | None = None
    """The codifier code of the territorial community (hromada) a settlement of Ukraine
    lies in ('UA1402001'; its first six characters are its raion's), where known."""

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class PlaceMatch:
    """A place found for a name, with how well the name fits (1.0: an exact key)."""

    place: Place
    score: float
    matched: str


class Gazetteer:
    """An in-memory index of places by normalised name, id and parent."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._by_id: dict[str, Place] = {}
        self._by_key: dict[str, list[Place]] = {}
        self._children: dict[str, list[str]] = {}
        for place in places:
            self._by_id[place.id] = place
            for name in place.names:
                bucket = self._by_key.setdefault(normalise_name(name), [])
                if place not in bucket:
                    bucket.append(place)
            if place.parent:
                self._children.setdefault(place.parent, []).append(place.id)
        self._keys = sorted(self._by_key)
        self._best_by_key = {key: max(bucket, key=_rank) for key, bucket in self._by_key.items()}
        self._by_variant: dict[str, list[Place]] = {}
        for key, bucket in self._by_key.items():
            variant = self._by_variant.setdefault(variant_key(key), [])
            variant.extend(p for p in bucket if p not in variant)
        # Submitted claims name the same places again and again.
        self._name_key = lru_cache(maxsize=16_384)(normalise_name)
        self._keys_by_initial: dict[str, list[str]] = {}
        for key in self._keys:
            self._keys_by_initial.setdefault(key[:1], []).append(key)

    def __len__(self) -> int:
        return len(self._by_id)

    def places(self) -> list[Place]:
        """Every place, in no particular order."""
        return list(self._by_id.values())

    def get(self, place_id: str) -> Place | None:
        """The place with this id, if known."""
        return self._by_id.get(place_id)

    def resolve(self, name_or_id: str) -> Place | None:
        """The one best place for an id or a name in any spelling; None when nothing fits.
        A name longer than LONGEST_NAME is nobody's, and is neither folded nor remembered."""
        if len(name_or_id) > LONGEST_NAME:
            return None
        if place := self._by_id.get(name_or_id.strip()):
            return place
        key = self._name_key(name_or_id)
        if best := self._best_by_key.get(key):
            return best
        variants = self._by_variant.get(variant_key(key))
        return max(variants, key=_rank) if variants else None

    def named(self, name: str) -> list[Place]:
        """Every place with this name in some spelling (homonyms included), best first."""
        if len(name) > LONGEST_NAME:
            return []
        key = self._name_key(name)
        found = self._by_key.get(key) or self._by_variant.get(variant_key(key), [])
        return sorted(found, key=_rank, reverse=True)

    def search(self, query: str, limit: int = 10) -> list[PlaceMatch]:
        """Places whose names fit the query, best first: exact keys, prefixes, near misses."""
        key = normalise_name(query)
        if not key:
            return []
        found: dict[str, PlaceMatch] = {}
        if place := self._by_id.get(query.strip()):
            found[place.id] = PlaceMatch(place, 1.0, place.id)
        for candidate, score in self._candidate_keys(key):
            for place in self._by_key[candidate]:
                if place.id not in found or found[place.id].score < score:
                    found[place.id] = PlaceMatch(place, score, candidate)
        ranked = sorted(found.values(), key=lambda m: (-m.score, *_rank_desc(m.place)))
        return ranked[:limit]

    def descendants(self, place_id: str) -> list[str]:
        """The place's id followed by the ids of every place under it."""
        ids, queue = [place_id], [place_id]
        while queue:
            children = self._children.get(queue.pop(), [])
            ids.extend(children)
            queue.extend(children)
        return ids

    def _candidate_keys(self, key: str) -> list[tuple[str, float]]:
        scored = [(key, 1.0)] if key in self._by_key else []
        start = bisect.bisect_right(self._keys, key)
        for candidate in self._keys[start : start + 50]:
            if not candidate.startswith(key):
                break
            scored.append((candidate, 0.9))
        # Near misses share the first letter and about the length (all Latin once folded).
        near = [k for k in self._keys_by_initial.get(key[:1], []) if abs(len(k) - len(key)) <= 3]
        close = difflib.get_close_matches(key, near, n=10, cutoff=0.75)
        scored += [
            (k, round(difflib.SequenceMatcher(None, key, k).ratio() * 0.85, 3))
            for k in close
            if k != key
        ]
        return scored


_KIND_ORDER = {
    PlaceKind.POPULATED_PLACE: 0,
    PlaceKind.OBLAST: 1,
    PlaceKind.RIVER: 2,
    PlaceKind.REGION: 3,
    PlaceKind.COUNTRY: 4,
}


def _rank(place: Place) -> tuple[int, int]:
    return (place.population or 0, -_KIND_ORDER[place.kind])


def _rank_desc(place: Place) -> tuple[int, int, str]:
    return (-(place.population or 0), _KIND_ORDER[place.kind], place.id)
