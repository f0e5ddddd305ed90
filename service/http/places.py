"""The places resource: the gazetteer, and the core query, what was claimed about a place as
of a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from domain.vocabulary import ClaimKind, Side
from service.app.errors import InvalidInput
from service.app.reads import PlaceQuery, Readings, place_out
from service.app.schemas import (
    PlaceClaims,
    PlaceClaimsText,
    PlaceHit,
    PlaceOut,
    PlaceSearch,
    PlaceTimeline,
)
from service.http.caching import settle
from service.http.formats import CSV, CSV_TYPE, AlsoCSV, claims_csv, preferred
from service.http.guards import READ_SECURITY
from service.http.paging import next_claims, unpinned
from service.http.resource import (
    KnownAt,
    MinConfidence,
    MinPosition,
    PageCursor,
    Resource,
    Reviewed,
    also,
    problems,
)
from service.http.strict import parse_instant

PRINTABLE_LINE = r"^[^\x00-\x1f\x7f]*$"
# The page of a place's claims: how many, and how far in, an answer may go.
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
_JSON = msgspec.json.Encoder()


def encoded(answer: PlaceClaimsText) -> bytes:
    """The core query's answer as sent, by the route and by the held-answer shortcut."""
    return _JSON.encode(answer)


def claims_link(path: str, query: str | bytes, answer: PlaceClaimsText) -> str | None:
    """The core query's `Link` to its next page, by the route and by the held-answer
    shortcut (None on the last page)."""
    return next_claims(
        path,
        query,
        known_at=answer.known_at,
        offset=answer.offset,
        limit=answer.limit,
        total=answer.total,
    )


class PlaceController(Resource):
    """The gazetteer, and the core query: what was claimed about a place as of a date."""

    path = "/places"
    tags = ["places"]

    @get(
        "/",
        operation_id="searchPlaces",
        security=READ_SECURITY,
        summary="Resolve a name in any spelling",
        responses=problems(),
    )
    async def search(
        self,
        readings: NamedDependency[Readings],
        q: Annotated[str, QueryParameter(min_length=1, max_length=200, pattern=PRINTABLE_LINE)],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 10,
    ) -> PlaceSearch:
        """Places whose names fit `q`, best first."""
        hits = readings.gazetteer.search(q, limit)
        return PlaceSearch(
            query=q, places=[PlaceHit(score=h.score, place=place_out(h.place)) for h in hits]
        )

    @get(
        "/{place_id:str}",
        operation_id="getPlace",
        security=READ_SECURITY,
        summary="One place",
        responses=problems(404),
    )
    async def get_place(
        self, place_id: FromPath[str], readings: NamedDependency[Readings]
    ) -> PlaceOut:
        """The place with this id."""
        return place_out(readings.place(place_id))

    @get(
        "/{place_id:str}/claims",
        operation_id="getPlaceClaims",
        security=READ_SECURITY,
        summary="What was claimed about a place as of a date",
        # The answer is encoded here, its claims sent as the database rendered them
        # (`PlaceClaimsText`); it is documented as the `PlaceClaims` it spells.
        responses={
            **problems(404),
            **also(HTTP_200_OK, PlaceClaims, "Request fulfilled, document follows"),
        },
        description="With `Accept: text/csv`, the page's claims as CSV, one row per claim.",
        operation_class=AlsoCSV,
    )
    async def place_claims(
        self,
        request: Request[Any, Any, Any],
        place_id: FromPath[str],
        readings: NamedDependency[Readings],
        as_of: Annotated[date | None, QueryParameter(description="default: today")] = None,
        side: Annotated[list[Side] | None, QueryParameter(description="claimant sides")] = None,
        kind: Annotated[list[ClaimKind] | None, QueryParameter(description="claim kinds")] = None,
        include: Annotated[str | None, QueryParameter(pattern="^descendants$")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
        known_at: KnownAt = None,
        min_position: MinPosition = None,
        min_confidence: MinConfidence = 0.0,
        reviewed: Reviewed = False,
        cursor: PageCursor = None,
    ) -> Response[bytes]:
        """Claims made by `as_of`, their status then, and each side's latest claim, as the
        ledger knew them at `known_at`. A page with a next one links to it (`Link`,
        rel="next") by a `cursor` that pins this page's `known_at`."""
        await readings.reached(min_position)
        known_at, offset, pinned = unpinned(cursor, known_at, offset, MAX_OFFSET)
        asked = pinned or parse_instant(known_at, "known_at")
        query = PlaceQuery(
            readings.place(place_id),
            as_of or date.today(),
            asked,
            sides=side or (),
            kinds=kind or (),
            descendants=include == "descendants",
            limit=limit,
            offset=offset,
            min_confidence=min_confidence,
            reviewed=reviewed,
        )
        answer = await readings.place_claims(query)
        settle(request, asked, answer.known_at)
        link = claims_link(request.scope["path"], request.scope["query_string"], answer)
        headers = {"Link": link} if link else None
        if preferred(request, CSV) == CSV:
            claims = answer.decoded().claims
            return Response(claims_csv(claims), media_type=CSV_TYPE, headers=headers)
        return Response(encoded(answer), media_type=MediaType.JSON, headers=headers)

    @get(
        "/{place_id:str}/timeline",
        operation_id="getPlaceTimeline",
        security=READ_SECURITY,
        summary="A place's claims in claim-time order per side, with contradiction periods",
        description="With `Accept: text/csv`, the claims as CSV, one row per claim.",
        responses={
            **problems(404),
            **also(HTTP_200_OK, PlaceTimeline, "Request fulfilled, document follows"),
        },
        operation_class=AlsoCSV,
    )
    async def timeline(
        self,
        request: Request[Any, Any, Any],
        place_id: FromPath[str],
        readings: NamedDependency[Readings],
        from_: Annotated[
            date | None, QueryParameter(name="from", description="first claim date")
        ] = None,
        to: Annotated[
            date | None, QueryParameter(description="last claim date; default today")
        ] = None,
        include: Annotated[str | None, QueryParameter(pattern="^descendants$")] = None,
        known_at: KnownAt = None,
        min_position: MinPosition = None,
        min_confidence: MinConfidence = 0.0,
        reviewed: Reviewed = False,
    ) -> Response[bytes]:
        """Each side's claims made from `from` to `to`, oldest first, with their status then,
        and the periods in which Russia's and Ukraine's latest claims contradict each other."""
        end = to or date.today()
        if from_ is not None and from_ > end:
            raise InvalidInput.at("from", "must not be after `to`")
        await readings.reached(min_position)
        asked = parse_instant(known_at, "known_at")
        answer = await readings.timeline(
            readings.place(place_id),
            from_,
            end,
            asked,
            descendants=include == "descendants",
            min_confidence=min_confidence,
            reviewed=reviewed,
        )
        settle(request, asked, answer.known_at)
        if preferred(request, CSV) == CSV:
            claims = sorted(
                (c for side in answer.sides.values() for c in side),
                key=lambda c: (c.claimed_on, c.position),
            )
            return Response(claims_csv(claims), media_type=CSV_TYPE)
        return Response(_JSON.encode(answer), media_type=MediaType.JSON)
