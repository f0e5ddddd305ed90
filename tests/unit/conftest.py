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


def readings(extraction: Extraction) -> list[tuple[str, Side, Side, ClaimKind]]:
    """Each claim as place, claimant's side, actor's side and kind."""
    return [(c.place_name, c.claimant_side, c.actor_side, c.kind) for c in extraction.claims]


def one(extraction: Extraction) -> tuple[str, Side, Side, ClaimKind]:
    assert len(extraction.claims) == 1, extraction.claims
    return readings(extraction)[0]


def contested(extraction: Extraction) -> list[tuple[str, Side]]:
    """Each contestation as the claim it contests and the contesting side."""
    return [(k.contests, k.by_side) for k in extraction.contestations]
