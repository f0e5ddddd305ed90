"""The gazetteer's data, shipped with the code: GeoNames populated places
(``data/geonames.json``, written by ``infra.reference.geonames_build``), the
settlements of Ukraine's official codifier that GeoNames lacks (``data/katottg.json``, written by
``infra.reference.katottg_build``), under a curated file (``data/places.json``) of oblasts, rivers,
regions and the spellings both lack."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import msgspec

from domain.places import Gazetteer, Place

DATA_DIR = Path(__file__).with_name("data")
GEONAMES_FILE = DATA_DIR / "geonames.json"
KATOTTG_FILE = DATA_DIR / "katottg.json"
CURATED_FILE = DATA_DIR / "places.json"


class _PlacesFile(msgspec.Struct, frozen=True):
    attribution: str
    places: list[Place]


def read_places(path: Path) -> list[Place]:
    """Every place in one places file."""
    return msgspec.json.decode(path.read_bytes(), type=_PlacesFile).places


def merge(base: list[Place], curated: list[Place]) -> list[Place]:
    """Places of both lists by id. Where the curated list has a place too, its name, kind
    and parent win, missing figures come from the base, and the names of both are kept."""
    merged = {place.id: place for place in base}
    for place in curated:
        known = merged.get(place.id)
        if known is None:
            merged[place.id] = place
            continue
        names = dict.fromkeys((*place.aliases, known.name, *known.aliases))
        names.pop(place.name, None)
        merged[place.id] = replace(
            place,
            population=place.population or known.population,
            lat=place.lat if place.lat is not None else known.lat,
            lon=place.lon if place.lon is not None else known.lon,
            aliases=tuple(names),
            area=place.area or known.area,
        )
    return list(merged.values())


def load_places() -> list[Place]:
    """Every place of the shipped gazetteer."""
    # The codifier's file holds the settlements GeoNames lacks, and the former names of
    # some it has (by their GeoNames id): merged in, so that those keep their figures.
    codifier = merge(read_places(GEONAMES_FILE), read_places(KATOTTG_FILE))
    return merge(codifier, read_places(CURATED_FILE))


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from the shipped files, loaded once per process."""
    return Gazetteer(load_places())
