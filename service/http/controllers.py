"""Thin HTTP controllers: take a Struct, call one service method, return a Struct."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIFormat
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from domain.claim import ClaimError, Contestation
from domain.events import ArticleIngested, Evidence
from domain.vocabulary import ClaimKind, Side
from service.bootstrap import Services
from service.errors import Conflict, FieldProblem, InvalidInput, NotFound
from service.http.guards import READ_SECURITY, WRITE_SECURITY, authorize
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
    PlaceTimeline,
    ReextractResult,
    RetractionCreate,
    RetractResult,
)
from service.http.strict import StrictRequest, parse_instant, strict_input
from service.ledger import IngestOutcome, Ledger
from service.reading import Reader
from service.reads import Readings, place_out
from service.reextraction import CURRENT, reextract
from service.submissions import (
    locate,
    to_submission,
    to_submissions,
    window,
)

PRINTABLE_LINE = r"^[^\x00-\x1f\x7f]*$"
EventType = Literal[
    "ArticleIngested", "ClaimRecorded", "ClaimCorroborated", "ClaimContested", "ClaimRetracted"
]
# Positions are PostgreSQL bigints; the bound is the largest integer a JSON number carries
# exactly, so that the OpenAPI document states it exactly too.
MAX_POSITION = 2**53 - 1
Position = Annotated[int, QueryParameter(ge=0, le=MAX_POSITION)]
KnownAt = Annotated[
    str | None,
    QueryParameter(
        description="answer as the ledger knew it at this instant (RFC 3339; UTC when no"
        " offset is given; default: now)",
        format=OpenAPIFormat.DATE_TIME,
    ),
]


def instant(known_at: datetime | None) -> datetime | None:
    """A record-time instant made timezone-aware (UTC when naive); None stays None, which
    reads as "now" by the database's clock, the one that stamps events."""
    if known_at is None:
        return None
    return known_at if known_at.tzinfo else known_at.replace(tzinfo=UTC)


_JSON = msgspec.json.Encoder()


def _problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Problem responses for the OpenAPI document, beside the success response."""
    return {
        status: ResponseSpec(
            Problem,
            description=HTTPStatus(status).phrase,
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in (400, 401, 422, 429, 500, 503, *statuses)
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


class Resource(Controller):
    """Base of the API's resources: each request passes the access check and strict input
    before its body is read."""

    guards = [authorize, strict_input]
    request_class = StrictRequest


class ArticleController(Resource):
    """Ingesting and reading articles."""

    path = "/articles"
    tags = ["articles"]

    @post(
        "/",
        operation_id="ingestArticle",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Ingest one article with its claims and contestations",
        responses={**_problems(403, 409, 413, 415), **_also(200, IngestResult, "Already held")},
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
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Ingest up to 500 articles in one transaction",
        responses=_problems(403, 409, 413, 415),
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
        "/{article_id:str}",
        operation_id="getArticle",
        security=READ_SECURITY,
        summary="A stored article",
        responses=_problems(404),
    )
    async def get_article(
        self, article_id: FromPath[UUID], readings: NamedDependency[Readings]
    ) -> ArticleOut:
        """The article as ingested."""
        return await readings.article(article_id)

    @post(
        "/{article_id:str}/reextract",
        operation_id="reextractArticle",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Read a stored article again with the current extractor",
        responses=_problems(403, 404, 409),
    )
    def reextract(
        self, article_id: FromPath[UUID], services: NamedDependency[Services]
    ) -> ReextractResult:
        """Records the claims the current extractor finds that the ledger does not yet hold
        from this article, and withdraws the article's evidence for claims an earlier
        extractor found in it and this one does not. An article an analyst annotated is
        refused (409): its claims are the analyst's."""
        services.ledger.article(article_id)  # 404 when unknown
        totals = reextract(services, only=[article_id])
        if totals.skipped:
            raise Conflict("an analyst annotated this article; its claims are not re-read")
        return ReextractResult(
            article_id=article_id,
            extractor=CURRENT,
            recorded=totals.recorded,
            retracted=totals.retracted,
            contestations_added=totals.contested,
        )


class ClaimController(Resource):
    """Reading and contesting claims."""

    path = "/claims"
    tags = ["claims"]

    @get(
        "/{claim_id:str}",
        operation_id="getClaim",
        security=READ_SECURITY,
        summary="A claim with all its evidence",
        responses=_problems(404),
    )
    async def get_claim(
        self,
        claim_id: FromPath[UUID],
        readings: NamedDependency[Readings],
        known_at: KnownAt = None,
    ) -> ClaimOut:
        """The claim's standing evidence, contestations and retractions, as known then."""
        return await readings.claim(claim_id, parse_instant(known_at, "known_at"))

    @post(
        "/{claim_id:str}/contestations",
        operation_id="contestClaim",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Record a rejection of a claim",
        responses={
            **_problems(403, 404, 409, 413, 415),
            **_also(200, ContestResult, "Already held"),
        },
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

    @post(
        "/{claim_id:str}/retractions",
        operation_id="retractClaim",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Withdraw a claim from answers from now on",
        responses={
            **_problems(403, 404, 409, 413, 415),
            **_also(200, RetractResult, "Nothing left to withdraw"),
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
        _retraction(data)
        created = ledger.retract(claim_id, data.reason, data.by, data.article_id)
        return Response(
            RetractResult(claim_id=claim_id, created=created),
            status_code=HTTP_201_CREATED if created else HTTP_200_OK,
        )


def _retraction(data: RetractionCreate) -> None:
    if not data.reason.strip():
        raise InvalidInput.at("reason", "a retraction needs a reason")


def _contestation(data: ContestationCreate, ledger: Ledger) -> Contestation:
    problems: list[FieldProblem] = []
    contested_window = window(data.contested_window, "contested_window", problems)
    evidence = None
    if data.article_id is not None and data.quote:
        span = locate(_stored_article(ledger, data.article_id).body, data.quote)
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


def _stored_article(ledger: Ledger, article_id: UUID) -> ArticleIngested:
    try:
        return ledger.article(article_id)
    except NotFound:
        raise InvalidInput.at("article_id", "no article has this id") from None


class PlaceController(Resource):
    """The gazetteer, and the core query: what was claimed about a place as of a date."""

    path = "/places"
    tags = ["places"]

    @get(
        "/",
        operation_id="searchPlaces",
        security=READ_SECURITY,
        summary="Resolve a name in any spelling",
        responses=_problems(),
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
        responses=_problems(404),
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
            **_problems(404),
            **_also(HTTP_200_OK, PlaceClaims, "Request fulfilled, document follows"),
        },
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
        known_at: KnownAt = None,
    ) -> Response[bytes]:
        """Claims made by `as_of`, their status then, and each side's latest claim, as the
        ledger knew them at `known_at`."""
        answer = await readings.place_claims(
            readings.place(place_id),
            as_of or date.today(),
            parse_instant(known_at, "known_at"),
            sides=side or [],
            kinds=kind or [],
            descendants=include == "descendants",
            limit=limit,
            offset=offset,
        )
        return Response(_JSON.encode(answer), media_type=MediaType.JSON)

    @get(
        "/{place_id:str}/timeline",
        operation_id="getPlaceTimeline",
        security=READ_SECURITY,
        summary="A place's claims in claim-time order per side, with contradiction periods",
        responses=_problems(404),
    )
    async def timeline(
        self,
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
    ) -> PlaceTimeline:
        """Each side's claims made from `from` to `to`, oldest first, with their status then,
        and the periods in which Russia's and Ukraine's latest claims contradict each other."""
        end = to or date.today()
        if from_ is not None and from_ > end:
            raise InvalidInput.at("from", "must not be after `to`")
        return await readings.timeline(
            readings.place(place_id),
            from_,
            end,
            parse_instant(known_at, "known_at"),
            descendants=include == "descendants",
        )


class EventController(Resource):
    """The event feed, for services that replay the ledger."""

    path = "/events"
    tags = ["events"]

    @get(
        "/",
        operation_id="listEvents",
        security=READ_SECURITY,
        summary="Events after a position, in order",
        responses=_problems(),
    )
    async def list_events(
        self,
        readings: NamedDependency[Readings],
        after: Position = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        until: Annotated[
            str | None,
            QueryParameter(
                description="only events recorded at or before this instant (RFC 3339)",
                format=OpenAPIFormat.DATE_TIME,
            ),
        ] = None,
        type: Annotated[
            list[EventType] | None, QueryParameter(description="only events of these types")
        ] = None,
        positions: Annotated[
            list[Annotated[int, msgspec.Meta(ge=1, le=MAX_POSITION)]] | None,
            QueryParameter(
                description="only the events at these positions (as an answer's `positions`)",
                max_items=1000,
                schema_extra={"items": {"type": "integer", "minimum": 1, "maximum": MAX_POSITION}},
            ),
        ] = None,
    ) -> EventPage:
        """Each event with its position, type, record time and JSON payload."""
        return await readings.events(
            after,
            limit,
            until=parse_instant(until, "until"),
            types=type or [],
            positions=positions or [],
        )

    @get(
        "/stream",
        operation_id="followEvents",
        security=READ_SECURITY,
        summary="Events after a position, then new ones live (server-sent events)",
        responses=_problems(),
        media_type="text/event-stream",
    )
    async def follow_events(
        self,
        request: Request[Any, Any, Any],
        readings: NamedDependency[Readings],
        after: Position = 0,
        type: Annotated[
            list[EventType] | None, QueryParameter(description="only events of these types")
        ] = None,
    ) -> ServerSentEvent:
        """One message per event (`id` its position, `event` its type, `data` the event as in
        `GET /events`), from `after` (or the `Last-Event-ID` header, when resuming) on,
        without end; a comment line every 15 s of quiet keeps the connection alive."""
        start = max(after, _resumed_from(request.headers.get("last-event-id")))

        async def messages() -> AsyncIterator[ServerSentEventMessage]:
            async for event in readings.follow(start, type or []):
                if event is None:
                    yield ServerSentEventMessage(comment="keep-alive")
                else:
                    yield ServerSentEventMessage(
                        data=msgspec.json.encode(event).decode(),
                        event=event.type,
                        id=event.position,
                    )

        return ServerSentEvent(messages())


def _resumed_from(last_event_id: str | None) -> int:
    """The position a resuming subscriber last saw, from its `Last-Event-ID` header."""
    if last_event_id is None:
        return 0
    if not last_event_id.isdecimal() or int(last_event_id) > MAX_POSITION:
        raise InvalidInput.at("Last-Event-ID", "expected the position of an event")
    return int(last_event_id)
