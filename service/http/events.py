"""The events resource: the feed, page by page or followed live, for services that replay
the ledger."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import TooManyRequestsException
from litestar.openapi.spec import OpenAPIFormat
from litestar.params import QueryParameter
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage

from domain.vocabulary import ClaimKind, Side
from infra.readmodels.queries import EventsAbout
from service.access import Access
from service.app.errors import InvalidInput
from service.app.reads import Readings
from service.app.schemas import EventOut, EventPage
from service.http.guards import READ_SECURITY, caller, may_read_bodies
from service.http.paging import next_events
from service.http.resource import MAX_POSITION, Position, Resource, problems
from service.http.strict import parse_instant

EventType = Literal[
    "ArticleIngested",
    "ClaimRecorded",
    "ClaimCorroborated",
    "ClaimContested",
    "ClaimRetracted",
    "ClaimReviewed",
]


AboutPlace = Annotated[
    str | None,
    QueryParameter(
        max_length=200,
        description="only the events of claims about this place (an id or a name) or the"
        " places in it, and of the articles that gave evidence for them; such a feed stops"
        " at the events the claims projection has placed (a few milliseconds behind)",
    ),
]
AboutSides = Annotated[
    list[Side] | None,
    QueryParameter(description="only the events of claims by these claimant sides (as `place`)"),
]
AboutKinds = Annotated[
    list[ClaimKind] | None,
    QueryParameter(description="only the events of claims of these kinds (as `place`)"),
]


def _about(
    readings: Readings, place: str | None, side: list[Side] | None, kind: list[ClaimKind] | None
) -> EventsAbout:
    return readings.about(readings.place(place) if place else None, side or (), kind or ())


class EventController(Resource):
    """The event feed, for services that replay the ledger."""

    path = "/events"
    tags = ["events"]

    @get(
        "/",
        operation_id="listEvents",
        security=READ_SECURITY,
        summary="Events after a position, in order",
        responses=problems(404),
    )
    async def list_events(
        self,
        request: Request[Any, Any, Any],
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
        place: AboutPlace = None,
        side: AboutSides = None,
        kind: AboutKinds = None,
    ) -> Response[EventPage]:
        """Each event with its position, type, record time and JSON payload. A full page
        links to the next (`Link`, rel="next")."""
        page = await readings.events(
            after,
            limit,
            until=parse_instant(until, "until"),
            types=type or [],
            positions=positions or [],
            about=_about(readings, place, side, kind),
        )
        if not may_read_bodies(request):
            page = msgspec.structs.replace(page, events=[without_body(e) for e in page.events])
        link = (
            next_events(request.scope["path"], request.scope["query_string"], after=page.next_after)
            if len(page.events) == limit
            else None
        )
        return Response(page, headers={"Link": link} if link else None)

    @get(
        "/stream",
        operation_id="followEvents",
        security=READ_SECURITY,
        summary="Events after a position, then new ones live (server-sent events)",
        responses=problems(404),
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
        place: AboutPlace = None,
        side: AboutSides = None,
        kind: AboutKinds = None,
    ) -> ServerSentEvent:
        """One message per event (`id` its position, `event` its type, `data` the event as in
        `GET /events`), from `after` (or the `Last-Event-ID` header, when resuming) on,
        without end; a comment line every 15 s of quiet keeps the connection alive. A
        process keeps a limited number of streams open, in all and per caller (429 beyond
        either)."""
        start = max(after, _resumed_from(request.headers.get("last-event-id")))
        about = _about(readings, place, side, kind)
        access: Access = request.app.state.access
        give_back = access.open_stream(*caller(request.scope))
        if give_back is None:
            raise TooManyRequestsException(
                detail="too many event streams are open; close one or try again later",
                headers={"Retry-After": "5"},
            )

        bodies = may_read_bodies(request)

        async def messages() -> AsyncIterator[ServerSentEventMessage]:
            try:
                async for event in readings.follow(start, type or [], about=about):
                    if event is None:
                        yield ServerSentEventMessage(comment="keep-alive")
                    else:
                        shown = event if bodies else without_body(event)
                        yield ServerSentEventMessage(
                            data=msgspec.json.encode(shown).decode(),
                            event=shown.type,
                            id=shown.position,
                        )
            finally:
                give_back()

        stream = messages()
        weakref.finalize(stream, give_back)  # a stream never started gives its slot back too
        return ServerSentEvent(stream)


_ARTICLE = msgspec.json.Decoder(dict[str, Any])


def without_body(event: EventOut) -> EventOut:
    """The event with an article's body withheld (`null`), for callers bodies do not go
    to; other events as they are."""
    if event.type != "ArticleIngested":
        return event
    payload = _ARTICLE.decode(event.payload)
    payload["body"] = None
    return msgspec.structs.replace(event, payload=msgspec.Raw(msgspec.json.encode(payload)))


def _resumed_from(last_event_id: str | None) -> int:
    """The position a resuming subscriber last saw, from its `Last-Event-ID` header."""
    if last_event_id is None:
        return 0
    digits = last_event_id.strip()
    # Length first: a long string of digits is costly to convert, and no position.
    if not (0 < len(digits) <= len(str(MAX_POSITION)) and digits.isascii() and digits.isdigit()):
        raise InvalidInput.at("Last-Event-ID", "expected the position of an event")
    if int(digits) > MAX_POSITION:
        raise InvalidInput.at("Last-Event-ID", "expected the position of an event")
    return int(digits)
