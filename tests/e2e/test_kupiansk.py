"""Acceptance: the corpus articles with their gold claims give the four Kupiansk answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from service.cli.articles_io import read_articles

KUPIANSK = "geonames:703656"
Client = TestClient  # type: ignore[type-arg]


def gold_kupiansk_claims(corpus_dir: Path, as_of: str) -> set[tuple[str, str, str, str]]:
    """(claimed_on, claimant side, actor side, kind) of every gold claim about Kupiansk
    made by `as_of`, as distinct propositions."""
    found = set()
    for path in sorted((corpus_dir / "gold").glob("*.json")):
        for claim in msgspec.json.decode(path.read_bytes())["claims"]:
            if claim["place"] == "Kupiansk" and claim["claimed_on"] <= as_of:
                found.add(
                    (
                        claim["claimed_on"],
                        claim["claimant_side"],
                        claim["actor_side"],
                        claim["kind"],
                    )
                )
    return found


def answer(client: Client, as_of: str, known_at: str | None = None) -> dict[str, Any]:
    params = {"as_of": as_of} | ({"known_at": known_at} if known_at else {})
    response = client.get(f"/places/{KUPIANSK}/claims", params=params)
    assert response.status_code == 200
    return response.json()


def by_key(body: dict[str, Any]) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    return {
        (c["claimed_on"], c["claimant_side"], c["actor_side"], c["kind"]): c for c in body["claims"]
    }


@pytest.mark.parametrize("as_of", ["2022-09-30", "2025-11-01", "2025-11-15", "2025-11-21"])
def test_answer_holds_exactly_the_gold_claims_made_by_then(
    ingested: Client, corpus_dir: Path, as_of: str
) -> None:
    assert set(by_key(answer(ingested, as_of))) == gold_kupiansk_claims(corpus_dir, as_of)


def test_2022_retaking_is_reported_by_two_outlets(ingested: Client) -> None:
    claims = by_key(answer(ingested, "2022-09-30"))
    retaken = claims[("2022-09-10", "ukraine", "ukraine", "control")]
    entered = claims[("2022-09-10", "ukraine", "ukraine", "advance")]
    assert retaken["sources"] == 2 and retaken["status"] == "asserted"
    assert entered["status"] == "asserted"


def test_encirclement_of_october_is_contested_by_zelensky(ingested: Client) -> None:
    claims = by_key(answer(ingested, "2025-11-01"))
    encircled = claims[("2025-10-26", "russia", "russia", "encirclement")]
    assert encircled["status"] == "contested"
    assert encircled["contestations"][0]["by"] == "Volodymyr Zelensky"
    assert "fausse information" in encircled["contestations"][0]["quote"]
    assert claims[("2025-10-27", "ukraine", "ukraine", "control")]["status"] == "asserted"


def test_repelled_claim_is_contested_by_moscow_only_from_its_date(ingested: Client) -> None:
    claims = by_key(answer(ingested, "2025-11-15"))
    repelled = claims[("2025-11-05", "ukraine", "ukraine", "repelled")]
    assert repelled["status"] == "contested"
    assert repelled["contestations"][0]["side"] == "russia"
    assert ("2025-11-11", "russia", "russia", "advance") in claims
    assert ("2025-11-11", "russia", "russia", "encirclement") in claims
    earlier = by_key(answer(ingested, "2025-11-04"))
    assert ("2025-11-05", "ukraine", "ukraine", "repelled") not in earlier


def test_november_20_control_claim_has_two_sources_and_the_place_is_disputed(
    ingested: Client,
) -> None:
    body = answer(ingested, "2025-11-21")
    control = by_key(body)[("2025-11-20", "russia", "russia", "control")]
    assert control["sources"] == 2
    assert control["claimants"] == ["Valery Gerasimov"]
    assert body["summary"]["latest"]["russia"]["kind"] == "control"
    assert body["summary"]["disputed"] is True


def test_ingesting_the_corpus_again_appends_nothing(
    ingested: Client, corpus_dir: Path, event_count: Callable[[], int]
) -> None:
    before = event_count()
    articles = read_articles([corpus_dir / "articles"], corpus_dir / "gold")
    again = ingested.post(
        "/articles/batch",
        json={"articles": [msgspec.to_builtins(article) for _, article in articles]},
    )
    assert again.json()["created"] == 0 and again.json()["events_appended"] == 0
    assert event_count() == before


def test_projecting_again_from_the_first_event_gives_identical_answers(
    ingested: Client, clean_database: str
) -> None:
    from infra.readmodels.projector import Projector

    dates = ["2022-09-30", "2025-11-01", "2025-11-15", "2025-11-21"]
    now = datetime.now(UTC).isoformat()
    before = [answer(ingested, d, now) for d in dates]
    projector = Projector(clean_database)
    projector.reset()
    projector.catch_up()
    assert [answer(ingested, d, now) for d in dates] == before


def test_the_timeline_of_kupiansk_lists_each_sides_claims_and_the_clash(
    ingested: Client,
) -> None:
    response = ingested.get(
        f"/places/{KUPIANSK}/timeline", params={"from": "2022-09-01", "to": "2025-11-21"}
    )
    assert response.status_code == 200, response.text
    timeline = response.json()
    assert {"russia", "ukraine"} <= set(timeline["sides"])
    for claims in timeline["sides"].values():
        days = [c["claimed_on"] for c in claims]
        assert days == sorted(days)
    russia = timeline["sides"]["russia"]
    assert ("2025-11-20", "control") in {(c["claimed_on"], c["kind"]) for c in russia}
    clashes = timeline["contradictions"]
    assert clashes and clashes[-1]["end"] is None
    assert clashes[-1]["start"] <= "2025-11-20"
    assert all(c["reasons"] for c in clashes)

    backwards = ingested.get(
        f"/places/{KUPIANSK}/timeline", params={"from": "2025-01-02", "to": "2025-01-01"}
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "from"
