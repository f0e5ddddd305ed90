"""The claims resource: reading a claim as of a date, contesting and retracting it."""

from __future__ import annotations

from uuid import UUID

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from service.app.ledger import Ledger
from service.app.reads import Readings
from service.app.schemas import (
    ClaimOut,
    ContestationCreate,
    ContestResult,
    RetractionCreate,
    RetractResult,
)
from service.app.submissions import check_retraction, to_contestation
from service.http.guards import READ_SECURITY, WRITE_SECURITY
from service.http.resource import KnownAt, MinPosition, Resource, also, problems
from service.http.strict import parse_instant


class ClaimController(Resource):
    """Reading and contesting claims."""

    path = "/claims"
    tags = ["claims"]

    @get(
        "/{claim_id:str}",
        operation_id="getClaim",
        security=READ_SECURITY,
        summary="A claim with all its evidence",
        responses=problems(404),
    )
    async def get_claim(
        self,
        claim_id: FromPath[UUID],
        readings: NamedDependency[Readings],
        known_at: KnownAt = None,
        min_position: MinPosition = None,
    ) -> ClaimOut:
        """The claim's standing evidence, contestations and retractions, as known then."""
        await readings.reached(min_position)
        return await readings.claim(claim_id, parse_instant(known_at, "known_at"))

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
