"""An app on the test database, served in-process by Litestar's test client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec
import psycopg
import pytest
from litestar.testing import TestClient

from infra.postgres.database import psycopg_conninfo
from infra.readmodels.projector import Projector
from service.app.services import Services
from service.bootstrap import served_app
from service.cli.articles_io import read_articles
from tests.helpers import keyed_access, writer_headers


@pytest.fixture
def client(clean_database: str) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """A client of the app a server serves, built by the composition root."""
    app = served_app(lambda: Services.build(clean_database), access=keyed_access())
    with TestClient(app) as test_client:
        test_client.headers.update(writer_headers())
        yield test_client


@pytest.fixture
def project(clean_database: str) -> Callable[[], int]:
    """Bring the read models up to date (the app under test runs no projector thread)."""
    return Projector(clean_database).catch_up


@pytest.fixture
def event_count(clean_database: str) -> Callable[[], int]:
    """How many events the store holds."""

    def count() -> int:
        with psycopg.connect(psycopg_conninfo(clean_database)) as conn:
            row = conn.execute("SELECT count(*) FROM stored_events").fetchone()
            return int(row[0]) if row else 0

    return count


@pytest.fixture
def ingested(
    client: TestClient,  # type: ignore[type-arg]
    corpus_dir: Path,
    project: Callable[[], int],
) -> TestClient:  # type: ignore[type-arg]
    """The client, with the five seed articles and their gold claims ingested and projected."""
    articles = read_articles([corpus_dir / "articles"], corpus_dir / "gold")
    batch = {"articles": [msgspec.to_builtins(article) for _, article in articles]}
    response = client.post("/articles/batch", json=batch)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 5
    project()
    return client
