"""The other shapes of an answer, as `Accept` asks: GeoJSON (RFC 7946) of every place's
standing, CSV (RFC 4180, a header row) of claims and of places; the `bbox` parameter; and
the document's account of each shape beside the JSON one."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import Accept
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Schema,
)

from service.app.errors import InvalidInput
from service.app.schemas import ClaimOut, PlacesAsOf

GEO_JSON = "application/geo+json"
JSON = "application/json"
CSV = "text/csv"
CSV_TYPE = "text/csv; charset=utf-8; header=present"
DEFAULT_PLACES = 1000
MAX_PLACES = 10_000


def preferred(request: Request[Any, Any, Any], *offered: str) -> str:
    """The shape the caller's `Accept` prefers among JSON and those `offered` (JSON when it
    names none of them)."""
    return preferred_by(request.headers.get("accept", ""), *offered)


def preferred_by(accept: str, *offered: str) -> str:
    """The shape an `Accept` header prefers among JSON and those `offered` (JSON when it
    names none of them): the one rule, for the routes and for the held-answer shortcut."""
    return Accept(accept).best_match([JSON, *offered], default=JSON) if accept else JSON


CLAIM_COLUMNS = (
    "place_id",
    "claim_id",
    "claimant_side",
    "actor_side",
    "kind",
    "extent",
    "claimed_on",
    "window_start",
    "window_end",
    "status",
    "confidence",
    "sources",
    "claimants",
    "contested_by",
    "outlets",
    "first_quote",
    "recorded_at",
    "position",
)
"""The columns of a claims CSV, one row per claim."""


def claims_csv(claims: Iterable[ClaimOut]) -> bytes:
    """Claims as CSV, a header row and one row per claim (lists joined by `; `)."""
    rows = (
        (
            c.place_id,
            c.id,
            c.claimant_side,
            c.actor_side,
            c.kind,
            c.extent,
            c.claimed_on,
            c.claimed_window[0] if c.claimed_window else None,
            c.claimed_window[1] if c.claimed_window else None,
            c.status,
            c.confidence,
            c.sources,
            "; ".join(c.claimants),
            "; ".join(sorted({k.side for k in c.contestations})),
            "; ".join(sorted({e.outlet for e in c.evidence if e.outlet})),
            c.evidence[0].quote if c.evidence else None,
            msgspec.to_builtins(c.recorded_at),
            c.position,
        )
        for c in claims
    )
    return _csv(CLAIM_COLUMNS, rows)


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return text.getvalue().encode()


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet may read it safely: text that would start a formula (as
    a quoted article's `=`, `+`, `-` or `@` may) is written after an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(getattr(value, "value", value))
    return (
        "'" + text
        if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r")
        else text
    )


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


_CSV_SCHEMA = Schema(
    type=OpenAPIType.STRING,
    description="CSV (RFC 4180): a header row, then one row per item; lists joined by `; `.",
)


@dataclass
class AlsoGeoJSONAndCSV(Operation):
    """An operation whose success response also comes as GeoJSON or CSV, when asked."""

    def __post_init__(self) -> None:
        _also(self, {GEO_JSON: _COLLECTION, CSV: _CSV_SCHEMA})


@dataclass
class AlsoCSV(Operation):
    """An operation whose success response also comes as CSV, when asked."""

    def __post_init__(self) -> None:
        _also(self, {CSV: _CSV_SCHEMA})


def _also(operation: Operation, shapes: dict[str, Schema]) -> None:
    success = (operation.responses or {}).get("200")
    content = getattr(success, "content", None)
    if content is not None:
        for media_type, schema in shapes.items():
            content[media_type] = OpenAPIMediaType(schema=schema)
