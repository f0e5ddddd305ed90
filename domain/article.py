"""The Article aggregate: one news article, ingested once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.events import ArticleIngested
from domain.ids import article_id, body_sha256


@dataclass(frozen=True)
class ArticleDraft:
    """An article as submitted, before it has an identity in the ledger."""

    url: str | None
    outlet: str | None
    language: str
    published_on: date | None
    title: str | None
    body: str
    # The id the article will have in the ledger.
    id: UUID = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", article_id(self.url, self.body))


class Article(Aggregate):
    """A news article; the ledger keeps its text so every quote can be checked against it."""

    ingested: ArticleIngested | None = None

    @classmethod
    def ingest(cls, draft: ArticleDraft) -> Article:
        """Start a new article's history with its ingestion."""
        article = cls(draft.id)
        article.trigger(
            ArticleIngested(
                article_id=article.id,
                url=draft.url,
                outlet=draft.outlet,
                language=draft.language,
                published_on=draft.published_on,
                title=draft.title,
                body=draft.body,
                body_sha256=body_sha256(draft.body),
            )
        )
        return article

    def apply(self, event: Any) -> None:
        """Articles have one event so far: their ingestion."""
        if isinstance(event, ArticleIngested):
            self.ingested = event
        else:  # pragma: no cover - guards a store holding events from a newer version
            raise TypeError(f"an article cannot apply {type(event).__name__}")
