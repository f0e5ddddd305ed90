"""Places as GeoJSON (RFC 7946): the `Accept` negotiation, the FeatureCollection made from
an answer of every place's standing, the `bbox` parameter, and the document's account of
the GeoJSON answer beside the JSON one."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Schema,
)

from service.app.errors import InvalidInput
from service.app.schemas import PlacesAsOf

GEO_JSON = "application/geo+json"
JSON = "application/json"
DEFAULT_PLACES = 1000
MAX_PLACES = 10_000


def wants_geojson(request: Request[Any, Any, Any]) -> bool:
    """Whether the caller's `Accept` prefers GeoJSON to JSON (JSON when it says neither)."""
    return request.accept.best_match([JSON, GEO_JSON], default=JSON) == GEO_JSON


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` in degrees, each within the globe, west of east and south of
    north; InvalidInput naming `bbox` otherwise."""
    if text is None:
        return None
    parts = text.split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise InvalidInput.at("bbox", "four numbers: west,south,east,north") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise InvalidInput.at("bbox", "four finite numbers: west,south,east,north")
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidInput.at(
            "bbox", "west <= east within -180..180 and south <= north within -90..90"
        )
    return west, south, east, north


def feature_collection(answer: PlacesAsOf) -> dict[str, Any]:
    """The answer as a GeoJSON FeatureCollection: a Point for each place with coordinates
    (longitude first), the page's figures as foreign members."""
    features = [
        {
            "type": "Feature",
            "id": standing.place.id,
            "geometry": {"type": "Point", "coordinates": [standing.place.lon, standing.place.lat]},
            "properties": {
                "name": standing.place.name,
                "kind": standing.place.kind,
                "state": standing.state,
                "claims": standing.claims,
                "summary": msgspec.to_builtins(standing.summary),
            },
        }
        for standing in answer.places
        if standing.place.lat is not None and standing.place.lon is not None
    ]
    return {
        "type": "FeatureCollection",
        "as_of": answer.as_of.isoformat(),
        "known_at": msgspec.to_builtins(answer.known_at),
        "total": answer.total,
        "limit": answer.limit,
        "offset": answer.offset,
        "features": features,
    }


_POINT = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "coordinates"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, const="Point"),
        "coordinates": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(type=OpenAPIType.NUMBER),
            min_items=2,
            max_items=2,
            description="longitude, latitude (WGS 84)",
        ),
    },
)
_FEATURE = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "id", "geometry", "properties"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, const="Feature"),
        "id": Schema(type=OpenAPIType.STRING, description="the place's id"),
        "geometry": _POINT,
        "properties": Schema(
            type=OpenAPIType.OBJECT,
            required=["name", "kind", "state", "claims", "summary"],
            properties={
                "name": Schema(type=OpenAPIType.STRING),
                "kind": Schema(type=OpenAPIType.STRING),
                "state": Schema(
                    type=OpenAPIType.STRING,
                    enum=["disputed", "contested", "held", "claimed", "withdrawn"],
                ),
                "claims": Schema(type=OpenAPIType.INTEGER),
                "summary": Schema(type=OpenAPIType.OBJECT, description="as in the JSON answer"),
            },
        ),
    },
)
_COLLECTION = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "as_of", "known_at", "total", "limit", "offset", "features"],
    description="A GeoJSON FeatureCollection (RFC 7946) of the page's places that have"
    " coordinates, with the page's figures as foreign members.",
    properties={
        "type": Schema(type=OpenAPIType.STRING, const="FeatureCollection"),
        "as_of": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE),
        "known_at": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
        "total": Schema(type=OpenAPIType.INTEGER),
        "limit": Schema(type=OpenAPIType.INTEGER),
        "offset": Schema(type=OpenAPIType.INTEGER),
        "features": Schema(type=OpenAPIType.ARRAY, items=_FEATURE),
    },
)


@dataclass
class AlsoGeoJSON(Operation):
    """An operation whose success response also comes as GeoJSON, when asked."""

    def __post_init__(self) -> None:
        success = (self.responses or {}).get("200")
        content = getattr(success, "content", None)
        if content is not None:
            content[GEO_JSON] = OpenAPIMediaType(schema=_COLLECTION)
