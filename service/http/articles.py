"""The articles resource: ingesting articles, one or a batch, reading and re-reading them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from service.app.ledger import IngestOutcome, Ledger
from service.app.reading import Reader
from service.app.reads import Readings
from service.app.reextraction import reextract_article
from service.app.schemas import (
    ArticleBatchIn,
    ArticleClaimsIn,
    ArticleClaimsResult,
    ArticleIn,
    ArticleOut,
    BatchResult,
    ClaimRef,
    IngestResult,
    ReextractResult,
)
from service.app.services import Services
from service.app.submissions import (
    stored_article_claims,
    to_submission,
    to_submissions,
)
from service.http.guards import READ_SECURITY, WRITE_SECURITY, may_read_bodies
from service.http.resource import Resource, also, problems


def _result(outcome: IngestOutcome) -> IngestResult:
    return IngestResult(
        article_id=outcome.article_id,
        created=outcome.created,
        events_appended=outcome.events,
        position=outcome.position,
        claims=[
            ClaimRef(local_id=local, id=claim_id)
            for local, claim_id in zip(outcome.local_ids, outcome.claim_ids, strict=True)
        ],
    )


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
        responses={**problems(403, 409, 413, 415), **also(200, IngestResult, "Already held")},
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
        responses=problems(403, 409, 413, 415),
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
            position=max((o.position for o in outcomes), default=0),
        )

    @get(
        "/{article_id:str}",
        operation_id="getArticle",
        security=READ_SECURITY,
        summary="A stored article",
        responses=problems(404),
    )
    async def get_article(
        self,
        request: Request[Any, Any, Any],
        article_id: FromPath[UUID],
        readings: NamedDependency[Readings],
    ) -> ArticleOut:
        """The article as ingested; its `body` is null for a caller without a key when the
        service keeps bodies to keyed callers (`CLAIMLEDGER_BODIES=keyed`, the default)."""
        article = await readings.article(article_id)
        return article if may_read_bodies(request) else msgspec.structs.replace(article, body=None)

    @post(
        "/{article_id:str}/claims",
        operation_id="addArticleClaims",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Add an analyst's claims read in a stored article",
        responses={
            **problems(403, 404, 409, 413, 415),
            **also(200, ArticleClaimsResult, "Every claim already held from this article"),
        },
    )
    def add_claims(
        self,
        article_id: FromPath[UUID],
        data: JSONBody[ArticleClaimsIn],
        ledger: NamedDependency[Ledger],
        readings: NamedDependency[Readings],
    ) -> Response[ArticleClaimsResult]:
        """Records the claims (and contestations) as the analyst's, with this article as
        their evidence: 201 when anything was new, 200 when all was already held."""
        submission = stored_article_claims(ledger, readings.gazetteer, article_id, data)
        change = ledger.annotate(article_id, submission)
        body = ArticleClaimsResult(
            article_id=article_id,
            claim_ids=[c.proposition.claim_id for c in submission.claims],
            recorded=change.recorded,
            contestations_added=change.contested,
            position=change.position,
        )
        created = change.recorded or change.contested
        return Response(body, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @post(
        "/{article_id:str}/reextract",
        operation_id="reextractArticle",
        security=WRITE_SECURITY,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Read a stored article again with the current extractor",
        responses=problems(403, 404, 409),
    )
    def reextract(
        self, article_id: FromPath[UUID], services: NamedDependency[Services]
    ) -> ReextractResult:
        """Records the claims the current extractor finds that the ledger does not yet hold
        from this article, and withdraws the article's evidence for claims an earlier
        extractor found in it and this one does not. An article an analyst annotated is
        refused (409): its claims are the analyst's."""
        totals = reextract_article(services, article_id)
        return ReextractResult(
            article_id=article_id,
            extractor=services.reader.name,
            recorded=totals.recorded,
            retracted=totals.retracted,
            contestations_added=totals.contested,
            position=totals.position,
        )
