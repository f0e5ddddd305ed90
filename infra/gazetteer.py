"""The gazetteer's data: places shipped with the code as a JSON file (GeoNames-derived)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec

from domain.places import Gazetteer, Place

PLACES_FILE = Path(__file__).with_name("data") / "places.json"


class _PlacesFile(msgspec.Struct, frozen=True):
    attribution: str
    places: list[Place]


def load_places(path: Path = PLACES_FILE) -> list[Place]:
    """Every place in a places file."""
    data = msgspec.json.decode(path.read_bytes(), type=_PlacesFile)
    return data.places


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from the shipped places file, loaded once per process."""
    return Gazetteer(load_places())
