"""The extractor the extraction tests share, and their helpers."""

from __future__ import annotations

from datetime import date

import pytest

from domain.extraction import Extraction, Extractor
from domain.vocabulary import ClaimKind, Side
from infra.reference.gazetteer import default_gazetteer

PUBLISHED = date(2025, 11, 13)  # a Thursday


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """One extractor for the whole run (building its place index takes a second)."""
    return Extractor(default_gazetteer())


def read(extractor: Extractor, text: str, language: str | None = None) -> Extraction:
    return extractor.extract(text, PUBLISHED, language)


def one(extraction: Extraction) -> tuple[str, Side, Side, ClaimKind]:
    assert len(extraction.claims) == 1, extraction.claims
    claim = extraction.claims[0]
    return claim.place_name, claim.claimant_side, claim.actor_side, claim.kind
