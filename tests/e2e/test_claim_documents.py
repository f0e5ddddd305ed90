"""Stored claim documents change no answer: every answer over a history that grows by
corroboration, a reader's evidence confirmed, a contestation dated later and a withdrawal is
the same with the stored documents as when every claim is rendered from its parts, at every
record time and date; and the migrations that bring them store what the projection would."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec
import psycopg
from alembic import command
from litestar.testing import TestClient

from infra.postgres.database import psycopg_conninfo
from infra.postgres.migrate import alembic_config, upgrade
from infra.readmodels.projections import ClaimsProjection
from infra.readmodels.projector import Projector
from service.app.schemas import ClaimOut
from tests.helpers import article

KUPIANSK = "geonames:703656"
Client = TestClient  # type: ignore[type-arg]
DATES = ["2025-11-17", "2025-11-18", "2025-11-19", "2025-11-24", "2025-11-25", "2026-06-01"]


def now() -> str:
    return datetime.now(UTC).isoformat()


def history(client: Client, project: Callable[[], int]) -> tuple[list[str | None], list[str]]:
    """Record times between the steps of a claim's life, and the claims' ids."""
    marks: list[str | None] = [now()]
    first = client.post("/articles", json=article())
    assert first.status_code == 201, first.text
    ids = [c["id"] for c in first.json()["claims"]]
    project()
    marks.append(now())
    again = client.post("/articles", json=article(url="https://example.test/news/2"))
    assert again.status_code == 201, again.text
    project()
    marks.append(now())
    unread = article(url="https://example.test/news/3")
    del unread["claims"], unread["contestations"]
    read = client.post("/articles", json=unread)
    assert read.status_code == 201, read.text
    project()
    marks.append(now())
    confirm = {"verdict": "confirmed", "by": "analyst B", "article_id": read.json()["article_id"]}
    assert client.post(f"/claims/{ids[0]}/reviews", json=confirm).status_code == 201
    project()
    marks.append(now())
    contest = {"by": "Kremlin", "by_side": "russia", "contested_on": "2025-11-25", "note": "no"}
    assert client.post(f"/claims/{ids[1]}/contestations", json=contest).status_code == 201
    project()
    marks.append(now())
    withdraw = {"reason": "misread", "by": "analyst A", "article_id": first.json()["article_id"]}
    assert client.post(f"/claims/{ids[0]}/retractions", json=withdraw).status_code == 201
    project()
    marks.append(None)
    return marks, ids


def answers(client: Client, marks: list[str | None], ids: list[str]) -> list[Any]:
    found = []
    for known_at in marks:
        at = {"known_at": known_at} if known_at else {}
        for as_of in DATES:
            paths = [f"/places/{KUPIANSK}/claims?as_of={as_of}"]
            paths.append(f"/places/{KUPIANSK}/timeline?from=2025-11-18&to={as_of}")
            for path in paths:
                response = client.get(path, params=at)
                assert response.status_code == 200, response.text
                found.append(_without_clock(response.json()))
        for claim_id in ids:
            response = client.get(f"/claims/{claim_id}", params=at)
            assert response.status_code in (200, 404), response.text
            found.append(_without_clock(response.json()))
    return found


def _without_clock(answer: Any) -> Any:
    """An answer without the record time it echoes when none was asked for (nor, for a
    problem, the id of the request it names)."""
    if isinstance(answer, dict):
        answer.pop("known_at", None)
        answer.pop("instance", None)
    return answer


def stored(url: str) -> dict[str, Any]:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        rows = conn.execute("SELECT claim_id::text, document FROM claim_documents").fetchall()
    return {claim_id: json.loads(document) for claim_id, document in rows}


def test_answers_are_the_same_with_or_without_stored_documents(
    client: Client, project: Callable[[], int], clean_database: str
) -> None:
    marks, ids = history(client, project)
    documents = stored(clean_database)
    assert sorted(documents) == sorted(ids)
    with_documents = answers(client, marks, ids)

    with psycopg.connect(psycopg_conninfo(clean_database)) as conn:
        conn.execute("DELETE FROM claim_documents")
    rendered = answers(client, marks, ids)

    assert with_documents == rendered
    assert any(answer.get("status") == "contested" for answer in rendered)
    assert any(answer.get("status") == "asserted" for answer in rendered)


def test_a_stored_document_is_the_claim_as_answered_now(
    client: Client, project: Callable[[], int], clean_database: str
) -> None:
    _, ids = history(client, project)
    documents = stored(clean_database)

    for claim_id in ids:
        response = client.get(f"/claims/{claim_id}")
        assert response.status_code == 200
        answered = msgspec.json.decode(response.content, type=ClaimOut)
        assert answered == msgspec.convert(documents[claim_id], ClaimOut)
    assert documents[ids[1]]["status"] == "contested"
    assert len(documents[ids[0]]["retractions"]) == 1


def test_the_migration_renders_what_the_projection_stored(
    client: Client, project: Callable[[], int], clean_database: str
) -> None:
    """Migration 0006, run over claims projected before it, stores the same documents and
    sources as the projection."""
    history(client, project)
    projected = _rows(clean_database)
    assert projected["claim_documents"] and projected["claim_sources"]

    command.downgrade(alembic_config(clean_database), "0005")
    upgrade(clean_database)

    assert _rows(clean_database) == projected


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("claim_documents", "claim_sources")
        }


def test_documents_name_their_outlets_whatever_the_articles_projection_has_done(
    client: Client, clean_database: str
) -> None:
    assert client.post("/articles", json=article()).status_code == 201
    Projector(clean_database, projections=[ClaimsProjection()]).catch_up()

    documents = stored(clean_database).values()
    assert documents
    for document in documents:
        assert [e["outlet"] for e in document["evidence"]] == ["example.test"]
        assert [e["published_on"] for e in document["evidence"]] == ["2025-11-19"]
