"""The gazetteer's data: places shipped with the code as a JSON file (GeoNames-derived)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec

from domain.places import Gazetteer, Place
from domain.vocabulary import PlaceKind

PLACES_FILE = Path(__file__).with_name("data") / "places.json"


class _PlaceRecord(msgspec.Struct, frozen=True):
    id: str
    name: str
    kind: PlaceKind
    parent: str | None = None
    country: str | None = None
    population: int | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()


class _PlacesFile(msgspec.Struct, frozen=True):
    attribution: str
    places: list[_PlaceRecord]


def load_places(path: Path = PLACES_FILE) -> list[Place]:
    """Every place in a places file."""
    data = msgspec.json.decode(path.read_bytes(), type=_PlacesFile)
    return [Place(**msgspec.structs.asdict(record)) for record in data.places]


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from the shipped places file, loaded once per process."""
    return Gazetteer(load_places())
