"""The extractor scored on articles written for these tests, in English and French, about
other places and years than the development corpus (Avdiivka, Bakhmut, Kherson, Sudzha,
Vuhledar), with their own gold annotations in the corpus layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.extraction import Extractor
from infra.gazetteer import default_gazetteer
from service.evaluation import Evaluation, evaluate_corpus, report

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    gazetteer = default_gazetteer()
    return evaluate_corpus(FIXTURES, Extractor(gazetteer), gazetteer)


def test_claims_f1_on_the_written_articles_is_at_least_090(evaluation: Evaluation) -> None:
    assert evaluation.claims.f1 >= 0.90, "\n".join(report(evaluation, verbose=True))


def test_contestations_f1_on_the_written_articles_is_at_least_080(
    evaluation: Evaluation,
) -> None:
    assert evaluation.contestations.f1 >= 0.80, "\n".join(report(evaluation, verbose=True))
