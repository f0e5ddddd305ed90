"""Reading stored articles again with the current extractor, appending only the difference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.article import ArticleDraft
from infra.readmodels.projector import Projector
from infra.readmodels.stored_articles import StoredArticle, article_batches
from service.app.errors import Conflict
from service.app.ledger import Reextraction
from service.app.services import Services
from service.app.submissions import extracted


@dataclass
class Totals:
    """What a re-reading changed, over all articles."""

    articles: int = 0
    skipped: int = 0
    recorded: int = 0
    retracted: int = 0
    contested: int = 0
    position: int = 0
    """The position of the last event appended (0 when none was)."""

    def add(self, change: Reextraction) -> None:
        """Count one article's changes."""
        self.articles += 1
        self.recorded += change.recorded
        self.retracted += change.retracted
        self.contested += change.contested
        self.position = max(self.position, change.position)


def reextract(
    services: Services,
    batch_size: int = 200,
    only: Sequence[UUID] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> Totals:
    """Read stored articles (all, or `only` these) with the configured reader (the rules or a
    model). Claims it now finds are recorded; claims an earlier reading (an older version,
    or the other reader) found in an article and this one does not lose that article's
    evidence, with the reason "superseded by extractor <name>". Articles an analyst
    annotated are left alone. Old events are never touched."""
    Projector(services.database_url).catch_up()
    totals = Totals()
    reason = f"superseded by extractor {services.reader.name}"
    for batch in article_batches(services.database_url, batch_size, only):
        readable = [a for a in batch if not a.annotated]
        totals.skipped += len(batch) - len(readable)
        readings = services.reader.read_many([_input(a) for a in readable])
        for article, extraction in zip(readable, readings, strict=True):
            submission = extracted(_draft(article), extraction)
            totals.add(services.ledger.reextract(article.id, submission, article.extracted, reason))
        if on_batch:
            on_batch(len(batch))
    return totals


def _input(article: StoredArticle) -> tuple[str, date, str | None]:
    return article.body, article.published_on or date.today(), article.language


def _draft(article: StoredArticle) -> ArticleDraft:
    return ArticleDraft(None, None, article.language, article.published_on, None, article.body)


def reextract_article(services: Services, article_id: UUID) -> Totals:
    """Read one stored article again (see `reextract`). NotFound when no article has this
    id; Conflict when an analyst annotated it, since its claims are then the analyst's."""
    services.ledger.article(article_id)
    totals = reextract(services, only=[article_id])
    if totals.skipped:
        raise Conflict("an analyst annotated this article; its claims are not re-read")
    return totals
