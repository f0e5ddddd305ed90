"""The README's Kupiansk story, run as the README tells it: the corpus ingested by the command
line, the README's own `curl` article posted, and the answers checked against the figures the
README states, so that the README stays true."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from service.cli.main import main

README = Path(__file__).resolve().parents[2] / "README.md"
KUPIANSK = "geonames:703656"
Client = TestClient  # type: ignore[type-arg]


def _readme_article() -> dict[str, Any]:
    """The article the README posts with curl (its `-d '...'` body)."""
    found = re.search(r"-d '(\{.*?\})'", README.read_text(), re.DOTALL)
    assert found, "the README posts an article with curl"
    posted: dict[str, Any] = json.loads(found.group(1))
    return posted


def _claims(client: Client, as_of: str) -> list[dict[str, Any]]:
    response = client.get(f"/places/{KUPIANSK}/claims", params={"as_of": as_of})
    assert response.status_code == 200
    claims: list[dict[str, Any]] = response.json()["claims"]
    return claims


def _said(claims: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(c["claimed_on"], c["claimant_side"], c["kind"]) for c in claims}


def test_the_readme_story_answers_as_the_readme_says(
    client: Client,
    project: Callable[[], int],
    clean_database: str,
    corpus_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", clean_database)
    assert main(["ingest", str(corpus_dir / "articles"), "--gold", str(corpus_dir / "gold")]) == 0
    posted = client.post("/articles", json=_readme_article())
    assert posted.status_code == 201, posted.text
    project()
    readme = README.read_text()

    in_2022 = _claims(client, "2022-09-30")
    assert _said(in_2022) == {
        ("2022-09-10", "ukraine", "advance"),
        ("2022-09-10", "ukraine", "control"),
        ("2022-09-15", "media", "control"),
    }
    retaken = next(c for c in in_2022 if c["kind"] == "control" and c["claimant_side"] == "ukraine")
    assert retaken["sources"] == 2  # "reported by two outlets"

    november = _claims(client, "2025-11-01")
    assert {("2022-11-01", "media", "control"), ("2025-10-27", "ukraine", "control")} <= _said(
        november
    )
    encircled = next(c for c in november if c["claimed_on"] == "2025-10-26")
    assert encircled["status"] == "contested"
    assert "Zelensky" in encircled["contestations"][0]["by"]
    assert "fausse information" in readme

    mid = _claims(client, "2025-11-15")
    repelled = next(c for c in mid if c["kind"] == "repelled")
    assert (repelled["claimed_on"], repelled["status"]) == ("2025-11-05", "contested")
    assert {("2025-11-11", "russia", "advance"), ("2025-11-11", "russia", "encirclement")} <= (
        _said(mid)
    )

    answer = client.get(f"/places/{KUPIANSK}/claims", params={"as_of": "2025-11-21"}).json()
    full = next(
        c
        for c in answer["claims"]
        if (c["claimed_on"], c["claimant_side"], c["kind"]) == ("2025-11-20", "russia", "control")
    )
    stated = re.search(r'`"sources": (\d+)`', readme)
    assert stated and full["sources"] == int(stated.group(1))
    assert answer["summary"]["disputed"] is True
