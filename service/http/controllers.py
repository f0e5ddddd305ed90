"""Thin HTTP controllers: take a Struct, call one service method, return a Struct."""

from __future__ import annotations

from datetime import date
from http import HTTPStatus
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from domain.claim import ClaimError, Contestation
from domain.events import Evidence
from domain.vocabulary import ClaimKind, Side
from service.errors import FieldProblem, InvalidInput
from service.http.problems import PROBLEM_JSON, Problem
from service.http.schemas import (
    ArticleBatchIn,
    ArticleIn,
    ArticleOut,
    BatchResult,
    ClaimOut,
    ClaimRef,
    ContestationCreate,
    ContestResult,
    EventPage,
    IngestResult,
    PlaceClaims,
    PlaceHit,
    PlaceOut,
    PlaceSearch,
)
from service.ledger import IngestOutcome, Ledger
from service.reading import Reader
from service.reads import Readings, place_out
from service.submissions import (
    control_characters,
    locate,
    to_submission,
    to_submissions,
    window,
)


def _problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Problem responses for the OpenAPI document, beside the success response."""
    return {
        status: ResponseSpec(
            Problem,
            description=HTTPStatus(status).phrase,
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in (400, 422, 500, 503, *statuses)
    }


def _also(status: int, body: type, description: str) -> dict[int, ResponseSpec]:
    return {status: ResponseSpec(body, description=description, generate_examples=False)}


def _result(outcome: IngestOutcome) -> IngestResult:
    return IngestResult(
        article_id=outcome.article_id,
        created=outcome.created,
        events_appended=outcome.events,
        claims=[
            ClaimRef(local_id=local, id=claim_id)
            for local, claim_id in zip(outcome.local_ids, outcome.claim_ids, strict=True)
        ],
    )


class ArticleController(Controller):
    """Ingesting and reading articles."""

    path = "/articles"
    tags = ["articles"]

    @post(
        "/",
        operation_id="ingestArticle",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Ingest one article with its claims and contestations",
        responses={**_problems(409, 413), **_also(200, IngestResult, "Already held")},
    )
    def ingest(
        self,
        data: JSONBody[ArticleIn],
        ledger: NamedDependency[Ledger],
        readings: NamedDependency[Readings],
        reader: NamedDependency[Reader],
    ) -> Response[IngestResult]:
        """201 when the article is new; 200 with the same ids when it was already held."""
        submission = to_submission(data, readings.gazetteer, reader)
        outcome = ledger.ingest([submission])[0]
        body = _result(outcome)
        return Response(body, status_code=HTTP_201_CREATED if outcome.created else HTTP_200_OK)

    @post(
        "/batch",
        operation_id="ingestArticleBatch",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Ingest up to 500 articles in one transaction",
        responses=_problems(409, 413),
    )
    def ingest_batch(
        self,
        data: JSONBody[ArticleBatchIn],
        ledger: NamedDependency[Ledger],
        readings: NamedDependency[Readings],
        reader: NamedDependency[Reader],
    ) -> BatchResult:
        """Every article is checked first; one bad article fails the batch, nothing written."""
        outcomes = ledger.ingest(to_submissions(data.articles, readings.gazetteer, reader))
        results = [_result(o) for o, a in zip(outcomes, data.articles, strict=True)]
        created = sum(o.created for o in outcomes)
        return BatchResult(
            created=created,
            existing=len(outcomes) - created,
            events_appended=sum(o.events for o in outcomes),
            results=results,
        )

    @get(
        "/{article_id:uuid}",
        operation_id="getArticle",
        summary="A stored article",
        responses=_problems(404),
    )
    async def get_article(
        self, article_id: FromPath[UUID], readings: NamedDependency[Readings]
    ) -> ArticleOut:
        """The article as ingested."""
        return await readings.article(article_id)


class ClaimController(Controller):
    """Reading and contesting claims."""

    path = "/claims"
    tags = ["claims"]

    @get(
        "/{claim_id:uuid}",
        operation_id="getClaim",
        summary="A claim with all its evidence",
        responses=_problems(404),
    )
    async def get_claim(
        self, claim_id: FromPath[UUID], readings: NamedDependency[Readings]
    ) -> ClaimOut:
        """Every piece of evidence and every contestation of the claim."""
        return await readings.claim(claim_id)

    @post(
        "/{claim_id:uuid}/contestations",
        operation_id="contestClaim",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Record a rejection of a claim",
        responses={**_problems(404, 409), **_also(200, ContestResult, "Already held")},
    )
    def contest(
        self,
        claim_id: FromPath[UUID],
        data: JSONBody[ContestationCreate],
        ledger: NamedDependency[Ledger],
    ) -> Response[ContestResult]:
        """201 when the contestation is new, 200 when the same one was already held."""
        created = ledger.contest(claim_id, _contestation(data, ledger))
        return Response(
            ContestResult(claim_id=claim_id, created=created),
            status_code=HTTP_201_CREATED if created else HTTP_200_OK,
        )


def _contestation(data: ContestationCreate, ledger: Ledger) -> Contestation:
    problems = control_characters(data)
    contested_window = window(data.contested_window, "contested_window", problems)
    evidence = None
    if data.article_id is not None and data.quote:
        span = locate(ledger.article(data.article_id).body, data.quote)
        if span is None:
            problems.append(FieldProblem("quote", "the quote does not occur in that article"))
        else:
            evidence = Evidence(data.by, data.article_id, data.quote, *span)
    elif data.article_id is not None or data.quote:
        problems.append(
            FieldProblem(
                "quote" if data.article_id else "article_id",
                "a quote needs its article, and an article its quote",
            )
        )
    if problems:
        raise InvalidInput(problems)
    try:
        return Contestation(
            data.by, data.by_side, data.contested_on, contested_window, evidence, data.note
        )
    except ClaimError as error:
        raise InvalidInput.at("note", str(error)) from None


class PlaceController(Controller):
    """The gazetteer, and the core query: what was claimed about a place as of a date."""

    path = "/places"
    tags = ["places"]

    @get(
        "/",
        operation_id="searchPlaces",
        summary="Resolve a name in any spelling",
        responses=_problems(),
    )
    async def search(
        self,
        readings: NamedDependency[Readings],
        q: Annotated[str, QueryParameter(min_length=1, max_length=200)],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 10,
    ) -> PlaceSearch:
        """Places whose names fit `q`, best first."""
        hits = readings.gazetteer.search(q, limit)
        return PlaceSearch(
            query=q, places=[PlaceHit(score=h.score, place=place_out(h.place)) for h in hits]
        )

    @get("/{place_id:str}", operation_id="getPlace", summary="One place", responses=_problems(404))
    async def get_place(
        self, place_id: FromPath[str], readings: NamedDependency[Readings]
    ) -> PlaceOut:
        """The place with this id."""
        return place_out(readings.place(place_id))

    @get(
        "/{place_id:str}/claims",
        operation_id="getPlaceClaims",
        summary="What was claimed about a place as of a date",
        responses=_problems(404),
    )
    async def place_claims(
        self,
        place_id: FromPath[str],
        readings: NamedDependency[Readings],
        as_of: Annotated[date | None, QueryParameter(description="default: today")] = None,
        side: Annotated[list[Side] | None, QueryParameter(description="claimant sides")] = None,
        kind: Annotated[list[ClaimKind] | None, QueryParameter(description="claim kinds")] = None,
        include: Annotated[str | None, QueryParameter(pattern="^descendants$")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> PlaceClaims:
        """Claims made by `as_of`, their status then, and each side's latest claim."""
        return await readings.place_claims(
            readings.place(place_id),
            as_of or date.today(),
            sides=side or [],
            kinds=kind or [],
            descendants=include == "descendants",
            limit=limit,
            offset=offset,
        )


class EventController(Controller):
    """The event feed, for services that replay the ledger."""

    path = "/events"
    tags = ["events"]

    @get(
        "/",
        operation_id="listEvents",
        summary="Events after a position, in order",
        responses=_problems(),
    )
    async def list_events(
        self,
        readings: NamedDependency[Readings],
        after: Annotated[int, QueryParameter(ge=0)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> EventPage:
        """Each event with its position, type, record time and JSON payload."""
        return await readings.events(after, limit)
