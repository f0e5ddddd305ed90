"""The claims resource: every place's standing as of a date (JSON, GeoJSON or CSV), reading
a claim as of a date, contesting, retracting and reviewing it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from domain.vocabulary import ClaimKind, Side
from service.app.ledger import Ledger
from service.app.reads import PlacesQuery, Readings
from service.app.schemas import (
    ClaimOut,
    ContestationCreate,
    ContestResult,
    PlacesAsOf,
    RetractionCreate,
    RetractResult,
    ReviewCreate,
    ReviewResult,
)
from service.app.submissions import check_retraction, check_review, to_contestation
from service.http.caching import settle
from service.http.formats import (
    CSV,
    CSV_TYPE,
    DEFAULT_PLACES,
    GEO_JSON,
    MAX_PLACES,
    AlsoGeoJSONAndCSV,
    claims_csv,
    feature_collection,
    parse_bbox,
    preferred,
)
from service.http.guards import READ_SECURITY, WRITE_SECURITY
from service.http.paging import next_claims, unpinned
from service.http.places import MAX_OFFSET
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

_JSON = msgspec.json.Encoder()
MAX_CSV_CLAIMS = 20_000
"""The most claims `GET /claims` sends as CSV in one answer."""


class ClaimController(Resource):
    """Reading and contesting claims."""

    path = "/claims"
    tags = ["claims"]

    @get(
        "/",
        operation_id="getPlacesAsOf",
        security=READ_SECURITY,
        summary="Every place with claims, how it stands as of a date",
        description="With `Accept: application/geo+json`, the same page as a GeoJSON"
        " FeatureCollection (RFC 7946): a Point feature for each place that has coordinates,"
        " its id, name, state, claims and summary as properties. With `Accept: text/csv`, the"
        " claims behind the page's places as CSV, a header row then one row per claim, by"
        f" place then claim time (422 at `limit` past {MAX_CSV_CLAIMS:,} claims).",
        # Encoded here; documented as the `PlacesAsOf` it spells (and, when asked, GeoJSON).
        responses={
            **problems(),
            **also(HTTP_200_OK, PlacesAsOf, "Request fulfilled, document follows"),
        },
        operation_class=AlsoGeoJSONAndCSV,
    )
    async def every_place(
        self,
        request: Request[Any, Any, Any],
        readings: NamedDependency[Readings],
        as_of: Annotated[date | None, QueryParameter(description="default: today")] = None,
        side: Annotated[list[Side] | None, QueryParameter(description="claimant sides")] = None,
        kind: Annotated[list[ClaimKind] | None, QueryParameter(description="claim kinds")] = None,
        bbox: Annotated[
            str | None,
            QueryParameter(
                max_length=200,
                description="only places within this box: west,south,east,north in degrees"
                " (WGS 84), as GeoJSON orders them",
            ),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PLACES)] = DEFAULT_PLACES,
        offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
        known_at: KnownAt = None,
        min_position: MinPosition = None,
        min_confidence: MinConfidence = 0.0,
        reviewed: Reviewed = False,
        cursor: PageCursor = None,
    ) -> Response[bytes]:
        """Each place with claims made by `as_of`, as the ledger knew them at `known_at`,
        ordered by place id: how it stands (`state`), how many claims, and its summary. A
        page with a next one links to it (`Link`, rel="next") by a `cursor` that pins this
        page's `known_at`."""
        await readings.reached(min_position)
        known_at, offset, pinned = unpinned(cursor, known_at, offset, MAX_OFFSET)
        asked = pinned or parse_instant(known_at, "known_at")
        query = PlacesQuery(
            as_of or date.today(),
            asked,
            sides=side or (),
            kinds=kind or (),
            min_confidence=min_confidence,
            reviewed=reviewed,
            bbox=parse_bbox(bbox),
            limit=limit,
            offset=offset,
        )
        answer = await readings.every_place(query)
        settle(request, asked, answer.known_at)
        link = next_claims(
            request.scope["path"],
            request.scope["query_string"],
            known_at=answer.known_at,
            offset=answer.offset,
            limit=answer.limit,
            total=answer.total,
        )
        headers = {"Link": link} if link else None
        shape = preferred(request, GEO_JSON, CSV)
        if shape == GEO_JSON:
            body, media_type = _JSON.encode(feature_collection(answer)), GEO_JSON
        elif shape == CSV:
            claims = await readings.claims_behind(answer, query, MAX_CSV_CLAIMS)
            body, media_type = claims_csv(claims), CSV_TYPE
        else:
            body, media_type = _JSON.encode(answer), MediaType.JSON
        return Response(body, media_type=media_type, headers=headers)

    @get(
        "/{claim_id:str}",
        operation_id="getClaim",
        security=READ_SECURITY,
        summary="A claim with all its evidence",
        responses=problems(404),
    )
    async def get_claim(
        self,
        request: Request[Any, Any, Any],
        claim_id: FromPath[UUID],
        readings: NamedDependency[Readings],
        known_at: KnownAt = None,
        min_position: MinPosition = None,
    ) -> ClaimOut:
        """The claim's standing evidence, contestations and retractions, as known then."""
        await readings.reached(min_position)
        asked = parse_instant(known_at, "known_at")
        known, claim = await readings.claim(claim_id, asked)
        settle(request, asked, known)
        return claim

    @post(
        "/{claim_id:str}/contestations",
        operation_id="contestClaim",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Record a rejection of a claim",
        responses={
            **problems(403, 404, 409, 413, 415),
            **also(200, ContestResult, "Already held"),
        },
    )
    def contest(
        self,
        claim_id: FromPath[UUID],
        data: JSONBody[ContestationCreate],
        ledger: NamedDependency[Ledger],
    ) -> Response[ContestResult]:
        """201 when the contestation is new, 200 when the same one was already held."""
        done = ledger.contest(claim_id, to_contestation(data, ledger))
        return Response(
            ContestResult(claim_id=claim_id, created=done.created, position=done.position),
            status_code=HTTP_201_CREATED if done.created else HTTP_200_OK,
        )

    @post(
        "/{claim_id:str}/retractions",
        operation_id="retractClaim",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Withdraw a claim from answers from now on",
        responses={
            **problems(403, 404, 409, 413, 415),
            **also(200, RetractResult, "Nothing left to withdraw"),
        },
    )
    def retract(
        self,
        claim_id: FromPath[UUID],
        data: JSONBody[RetractionCreate],
        ledger: NamedDependency[Ledger],
    ) -> Response[RetractResult]:
        """201 when something was withdrawn; 200 when nothing was left standing (already
        retracted, or that article's evidence already withdrawn or never given)."""
        check_retraction(data)
        done = ledger.retract(claim_id, data.reason, data.by, data.article_id)
        return Response(
            RetractResult(claim_id=claim_id, created=done.created, position=done.position),
            status_code=HTTP_201_CREATED if done.created else HTTP_200_OK,
        )

    @post(
        "/{claim_id:str}/reviews",
        operation_id="reviewClaim",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Confirm or reject what an article gave for a claim",
        responses={
            **problems(403, 404, 409, 413, 415),
            **also(200, ReviewResult, "Already confirmed, or already withdrawn"),
        },
    )
    def review(
        self,
        claim_id: FromPath[UUID],
        data: JSONBody[ReviewCreate],
        ledger: NamedDependency[Ledger],
    ) -> Response[ReviewResult]:
        """One event: a `ClaimReviewed` for a confirmation, a `ClaimRetracted` of the
        article's evidence for a rejection (which needs a `reason`). `article_id` may be
        left out when one article gives the claim's standing evidence. 201 when the
        review changed something; 200 when that evidence was already confirmed (or, for a
        rejection naming its article, already withdrawn); 422 at `article_id` when the
        article gives no standing evidence or several articles do and none is named."""
        check_review(data)
        done = ledger.review(claim_id, data.verdict, data.by, data.reason, data.article_id)
        return Response(
            ReviewResult(
                claim_id=claim_id,
                article_id=done.article_id,
                verdict=data.verdict,
                created=done.created,
                position=done.position,
            ),
            status_code=HTTP_201_CREATED if done.created else HTTP_200_OK,
        )
