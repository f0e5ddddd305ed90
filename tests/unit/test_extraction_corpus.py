"""The extractor scored on the development corpus (read from its own folder, never copied)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from domain.extraction import Extractor
from infra.reference.gazetteer import default_gazetteer
from service.app.evaluation import Evaluation, evaluate_corpus, report

CORPUS = Path(
    os.environ.get("CLAIMLEDGER_CORPUS_DIR")
    or Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
)
pytestmark = pytest.mark.skipif(
    not (CORPUS / "articles").is_dir() or not (CORPUS / "gold").is_dir(),
    reason=f"development corpus not found at {CORPUS} (set CLAIMLEDGER_CORPUS_DIR)",
)


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    gazetteer = default_gazetteer()
    return evaluate_corpus(CORPUS, Extractor(gazetteer), gazetteer)


def test_claims_f1_on_the_corpus_is_at_least_090(evaluation: Evaluation) -> None:
    assert evaluation.claims.f1 >= 0.90, "\n".join(report(evaluation, verbose=True))


def test_contestations_f1_on_the_corpus_is_at_least_080(evaluation: Evaluation) -> None:
    assert evaluation.contestations.f1 >= 0.80, "\n".join(report(evaluation, verbose=True))


def test_every_quote_is_its_span_of_the_body() -> None:
    extractor = Extractor(default_gazetteer())
    for path in sorted((CORPUS / "articles").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        body = article["body"]
        extraction = extractor.extract(body, date.fromisoformat(article["published"]))
        for claim in extraction.claims:
            assert body[claim.start : claim.end] == claim.quote, (path.name, claim.id)
