"""What every resource shares: the access check and strict input, the problem responses
the OpenAPI document lists, and the query parameters several resources take."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIFormat
from litestar.params import QueryParameter
from litestar.types import ASGIApp, Receive, Scope, Send

from service.http.guards import authorize
from service.http.paging import MAX_CURSOR
from service.http.problems import PROBLEM_JSON, Problem, status_title
from service.http.strict import StrictRequest, strict_input

# Positions are PostgreSQL bigints; the bound is the largest integer a JSON number carries
# exactly, so that the OpenAPI document states it exactly too.
MAX_POSITION = 2**53 - 1
Position = Annotated[int, QueryParameter(ge=0, le=MAX_POSITION)]
KnownAt = Annotated[
    str | None,
    QueryParameter(
        description="answer as the ledger knew it at this instant (RFC 3339; UTC when no"
        " offset is given; default: now). An instant past the watermark, up to which the"
        " read models are complete, is taken as the watermark; the answer's `known_at`"
        " says which instant it is as of",
        format=OpenAPIFormat.DATE_TIME,
    ),
]
MinConfidence = Annotated[
    float,
    QueryParameter(
        ge=0,
        le=1,
        description="only claims the reader (or the analyst) gave at least this confidence"
        " (`claimledger eval` shows how often the reader's claims of each confidence were"
        " right)",
    ),
]
Reviewed = Annotated[
    bool,
    QueryParameter(
        description="only evidence an analyst confirmed by `known_at` (what an analyst recorded"
        " counts as confirmed as it is recorded); claims without any are left out",
    ),
]
PageCursor = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_CURSOR,
        description="where a page starts and the record time all pages are as of, as the"
        ' previous page\'s `Link` (rel="next") gives it; it stands for `known_at` and'
        " `offset`, which must then be left out",
    ),
]
MinPosition = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=MAX_POSITION,
        description="first wait (up to 5 s) until the read models hold the event at this"
        " position, as a write's `position` gives it, so as to read that write; 503 when"
        " they do not by then",
    ),
]


def instant(known_at: datetime | None) -> datetime | None:
    """A record-time instant made timezone-aware (UTC when naive); None stays None, which
    reads as "now" by the database's clock, the one that stamps events."""
    if known_at is None:
        return None
    return known_at if known_at.tzinfo else known_at.replace(tzinfo=UTC)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Problem responses for the OpenAPI document, beside the success response."""
    return {
        status: ResponseSpec(
            Problem,
            description=status_title(status),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in (400, 401, 414, 422, 429, 500, 503, *statuses)
    }


def also(status: int, body: type, description: str) -> dict[int, ResponseSpec]:
    """Another success response for the OpenAPI document."""
    return {status: ResponseSpec(body, description=description, generate_examples=False)}


class Admission(ASGIMiddleware):
    """The access check, then strict input, before the route reads the body. A middleware
    rather than a guard: Litestar hands each guard of each request its own copy of the
    route handler, which took a twentieth of the server's time under the as-of load."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope, receive, send)
        handler: BaseRouteHandler = scope["route_handler"]
        await authorize(connection, handler)
        await strict_input(connection, handler)
        await next_app(scope, receive, send)


class Resource(Controller):
    """Base of the API's resources: each request passes the access check and strict input
    before its body is read."""

    middleware = [Admission()]
    request_class = StrictRequest
