"""The review queue: what the reader recorded that no analyst has confirmed or rejected yet.
Verdicts are posted to the claim (`POST /claims/{id}/reviews`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from service.app.errors import InvalidInput
from service.app.reads import Readings
from service.app.schemas import ReviewQueue
from service.app.submissions import EARLIEST, LATEST
from service.http.guards import READ_SECURITY
from service.http.paging import next_offset
from service.http.places import MAX_OFFSET
from service.http.resource import Resource, problems

MAX_ITEMS = 200


class ReviewController(Resource):
    """The evidence awaiting review."""

    path = "/reviews"
    tags = ["reviews"]

    @get(
        "/",
        operation_id="getReviewQueue",
        security=READ_SECURITY,
        summary="Evidence awaiting review, least confident first",
        responses=problems(404),
    )
    async def queue(
        self,
        request: Request[Any, Any, Any],
        readings: NamedDependency[Readings],
        place: Annotated[
            str | None,
            QueryParameter(
                max_length=200,
                description="only evidence about this place (an id or a name) and the places in it",
            ),
        ] = None,
        from_: Annotated[
            date | None, QueryParameter(name="from", description="first claim date")
        ] = None,
        to: Annotated[date | None, QueryParameter(description="last claim date")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_ITEMS)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
    ) -> Response[ReviewQueue]:
        """Each piece of evidence a reader recorded and no analyst has confirmed or
        rejected, as known now, least confident first (then oldest first): the claim as read
        and the quote with its offsets in the article; a page with a next one links to it
        (`Link`, rel="next"). 404 for an unknown place."""
        start, end = from_ or EARLIEST, to or LATEST
        if start > end:
            raise InvalidInput.at("from", "must not be after `to`")
        found = readings.place(place) if place is not None else None
        page = await readings.review_queue(found, start, end, limit=limit, offset=offset)
        link = (
            None
            if page.next_offset is None
            else next_offset(
                request.scope["path"], request.scope["query_string"], offset=page.next_offset
            )
        )
        return Response(page, headers={"Link": link} if link else None)
