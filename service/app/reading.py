"""Automatic reading of articles: the rule extractor, in this process or on every core, or a
language model when one is configured (`infra.reading.model`)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date

from domain.extraction import Extractor
from domain.extraction.model import Extraction
from infra.reading.model import ModelReader
from infra.reference.gazetteer import default_gazetteer

Article = tuple[str, date, str | None]
_PARALLEL_FROM = 8  # fewer articles than this are read in-process
_worker: Extractor | None = None


def _start_worker() -> None:
    global _worker  # noqa: PLW0603 - one extractor per worker process, built once
    _worker = Extractor(default_gazetteer())


def _read_in_worker(article: Article) -> Extraction:
    assert _worker is not None
    return _worker.extract(*article)


class Reader:
    """Runs the reader over articles: the rules (batches go to a pool of worker processes),
    or the model when one is given (its requests run `concurrency` at a time)."""

    def __init__(self, workers: int | None = None, model: ModelReader | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.model = model
        self._extractor: Extractor | None = None
        self._pool: Executor | None = None

    @property
    def name(self) -> str:
        """The name readings are recorded under (`Extraction.recorded_by`)."""
        return self.model.name if self.model is not None else Extractor.name

    def read(self, body: str, published_on: date, language: str | None) -> Extraction:
        """The claims and contestations of one article."""
        if self.model is not None:
            return self.model.extract(body, published_on, language)
        if self._extractor is None:
            self._extractor = Extractor(default_gazetteer())
        return self._extractor.extract(body, published_on, language)

    def read_many(self, articles: list[Article]) -> list[Extraction]:
        """Every article's extraction, in order, in parallel when there are many."""
        if self.model is not None:
            return self.model.read_many(articles)
        if len(articles) < _PARALLEL_FROM or self.workers < 2:
            return [self.read(*article) for article in articles]
        if self._pool is None:
            # forkserver: the serving process has threads and pools that must not be forked.
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_start_worker
            )
        chunk = max(1, len(articles) // (self.workers * 4))
        return list(self._pool.map(_read_in_worker, articles, chunksize=chunk))

    def close(self) -> None:
        """Stop the worker processes, close the model's connections."""
        if self.model is not None:
            self.model.close()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
