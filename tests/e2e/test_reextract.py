"""Re-reading stored articles with the current extractor: the difference is appended as
events (new claims recorded, claims no longer found withdrawn from that record time on),
old answers stay as they were, and analysts' articles are left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from litestar.testing import TestClient

from domain.article import ArticleDraft
from domain.claim import Proposition
from domain.extraction import Extractor
from domain.vocabulary import ClaimKind, Side
from service.app.ledger import ClaimDraft, Submission
from service.app.reextraction import reextract
from service.app.services import Services
from tests.helpers import BODY, article

CURRENT = Extractor.name

Client = TestClient  # type: ignore[type-arg]
IZIUM = "geonames:707292"


def unannotated() -> dict[str, Any]:
    body = article()
    del body["claims"], body["contestations"]
    return body


def plant_old_reading(services: Services, article_id: Any) -> Any:
    """What an older, wronger extractor found: Izium encircled, from the same quote."""
    proposition = Proposition(
        IZIUM, Side.RUSSIA, Side.RUSSIA, ClaimKind.ENCIRCLEMENT, None, date(2025, 11, 18)
    )
    quote = "Fighting continues near Izium"
    start = BODY.index(quote)
    draft = ClaimDraft(
        proposition, "the ministry", quote, start, start + len(quote), "claimledger-rules/0.0.1"
    )
    submission = Submission(ArticleDraft(None, None, "en", None, None, BODY), [draft])
    services.ledger.reextract(article_id, submission, [], "test")
    return proposition.claim_id


def test_reextract_withdraws_what_the_current_extractor_no_longer_finds(
    client: Client, project: Callable[[], int], clean_database: str
) -> None:
    posted = client.post("/articles", json=unannotated()).json()
    assert posted["claims"], "the extractor should find the Russian control claim"
    services = Services.build(clean_database)
    try:
        stale = plant_old_reading(services, posted["article_id"])
        project()
        before = datetime.now(UTC).isoformat()
        assert client.get(f"/claims/{stale}").json()["status"] == "asserted"

        totals = reextract(services)
        assert (totals.articles, totals.recorded, totals.retracted) == (1, 0, 1)
        assert reextract(services).retracted == 0  # nothing left to change
    finally:
        services.close()
    project()
    now = client.get(f"/claims/{stale}").json()
    assert now["status"] == "retracted"
    assert now["retractions"][0]["reason"] == f"superseded by extractor {CURRENT}"
    then = client.get(f"/claims/{stale}", params={"known_at": before}).json()
    assert then["status"] == "asserted"


def test_reextract_over_http(client: Client, project: Callable[[], int]) -> None:
    read = client.post("/articles", json=unannotated()).json()
    annotated = client.post("/articles", json=article(url="https://example.test/2")).json()
    project()
    response = client.post(f"/articles/{read['article_id']}/reextract")
    assert response.status_code == 200, response.text
    assert response.json()["extractor"] == CURRENT
    assert response.json()["recorded"] == 0 and response.json()["retracted"] == 0
    refused = client.post(f"/articles/{annotated['article_id']}/reextract")
    assert refused.status_code == 409
    missing = client.post("/articles/00000000-0000-0000-0000-000000000000/reextract")
    assert missing.status_code == 404
