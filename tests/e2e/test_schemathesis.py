"""Property-based tests of the running API against its committed OpenAPI document.

Schemathesis generates requests for every operation from openapi/openapi.json, the boundary
values of every schema first and then random ones, valid and not, and sends them to a real
server on a database holding a stored article, a contested claim and a withdrawn one. No answer
may be a server error, and each must keep to the document: a documented status, the documented
content type, a body of the documented schema. Invalid requests must be refused. Generation is
derandomized with a fixed seed, so every run sends the same requests.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import schemathesis
from schemathesis import Case

from domain.ids import article_id, claim_id
from domain.vocabulary import ClaimKind, Side
from infra.postgres.database import psycopg_conninfo
from service.app.services import Services
from service.bootstrap import served_app
from tests.conftest import READ_MODELS
from tests.e2e.live import serving
from tests.helpers import READER_KEY, article, keyed_access, writer_headers

DOCUMENT = Path(__file__).parents[2] / "openapi" / "openapi.json"
KUPIANSK = "geonames:703656"
# Statuses that refuse a request, as the document declares them per operation.
REFUSALS = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
CHECKS = {
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    "response_headers_conformance": {"enabled": True},
    "negative_data_rejection": {"enabled": True, "expected-statuses": REFUSALS},
    "unsupported_method": {"enabled": True},
    "ignored_auth": {"enabled": True},
    # Valid by the document is not always acceptable: a quote must occur in its article, a
    # place must exist, `from` must not follow `to`. The corpus of bad requests covers those.
    "positive_data_acceptance": {"enabled": False},
}

STORED = article()
ARTICLE = str(article_id(STORED["url"], STORED["body"]))
CONTESTED, WITHDRAWN = (
    str(
        claim_id(
            KUPIANSK,
            Side(c["claimant_side"]),
            Side(c["actor_side"]),
            ClaimKind(c["kind"]),
            None,
            date.fromisoformat(c["claimed_on"]),
        )
    )
    for c in STORED["claims"]
)


@pytest.fixture(scope="module")
def base_url(database_url: str) -> Iterator[str]:
    """A server with the projector running, on the run's database emptied, then seeded."""
    with psycopg.connect(psycopg_conninfo(database_url), autocommit=True) as conn:
        conn.execute(f"TRUNCATE stored_events, {', '.join(READ_MODELS)} RESTART IDENTITY")
    app = served_app(
        lambda: Services.build(database_url), run_projector=True, access=keyed_access()
    )
    with serving(app) as url:
        seed(url)
        yield url


def seed(base_url: str) -> None:
    """Store an article with two claims, contest one and withdraw the other, and wait for
    the read models to hold them."""
    with httpx.Client(base_url=base_url, headers=writer_headers(), timeout=30) as http:
        stored = http.post("/articles", json=STORED).raise_for_status().json()
        assert stored["article_id"] == ARTICLE
        assert [c["id"] for c in stored["claims"]] == [CONTESTED, WITHDRAWN]
        note = {"by": "analyst", "by_side": "media", "contested_on": "2025-11-20", "note": "n"}
        http.post(f"/claims/{CONTESTED}/contestations", json=note).raise_for_status()
        retraction = {"reason": "a wrong reading", "by": "analyst"}
        http.post(f"/claims/{WITHDRAWN}/retractions", json=retraction).raise_for_status()
        deadline = time.monotonic() + 20
        while http.get(f"/claims/{WITHDRAWN}").status_code != 200:
            assert time.monotonic() < deadline, "the projector did not catch up"
            time.sleep(0.1)


def configuration(max_examples: int) -> schemathesis.Config:
    """Stored ids and names are drawn as often as random ones, so that reads find data."""
    dictionary: dict[str, Any] = {"probability": 0.5}
    return schemathesis.Config.from_dict(
        {
            "seed": 20251121,
            "request-timeout": 60,
            "max-stream-events": 2,
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": CHECKS,
            "dictionaries": {
                "ids": {"values": [ARTICLE, CONTESTED, WITHDRAWN]},
                "places": {"values": [KUPIANSK, "Kupiansk", "Купянськ"]},
            },
            "parameters": {
                "path.article_id": {"dictionary": "ids", **dictionary},
                "path.claim_id": {"dictionary": "ids", **dictionary},
                "path.place_id": {"dictionary": "places", **dictionary},
                "query.q": {"dictionary": "places", **dictionary},
            },
            "operations": [
                # A live feed answers until the timeout: each request takes that long.
                {
                    "include-name": "GET /events/stream",
                    "request-timeout": 1,
                    "generation": {"max-examples": 5},
                },
            ],
        }
    )


API = schemathesis.openapi.from_path(DOCUMENT, config=configuration(20))


@API.parametrize()
def test_every_operation_keeps_to_the_document_for_a_writer(case: Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, headers=writer_headers())


# `exclude`, because with `operations` configured Schemathesis adds an include-all filter
# that an `include` here would only widen.
@API.exclude(method="POST").parametrize()
def test_reads_keep_to_the_document_for_a_reader(case: Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {READER_KEY}"})
