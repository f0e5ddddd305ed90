"""The extractor scored on articles written for these tests, in English and French, about
other places and years than the development corpus (Avdiivka, Bakhmut, Kherson, Sudzha,
Vuhledar), with their own gold annotations in the corpus layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.extraction import Extractor
from infra.reference.gazetteer import default_gazetteer
from service.app.evaluation import (
    ERROR_CLASSES,
    Evaluation,
    GoldError,
    evaluate_corpus,
    report,
    score_article,
)

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


def test_every_error_has_one_class_and_the_untouched_articles_are_reported_first(
    evaluation: Evaluation,
) -> None:
    for article in evaluation.articles:
        errors = len(article.errors)
        assert errors <= len(article.missed) + len(article.wrong)
        near_misses = sum(1 for kind, _ in article.errors if kind not in {"spurious", "missed"})
        assert errors >= len(article.missed) + len(article.wrong) - near_misses
    names = {a.article.removesuffix(".json") for a in evaluation.articles}
    first = sorted(names)[:1]
    lines = report(evaluation, errors=True, untouched=set(first))
    totals = [line.split()[0] for line in lines if line.startswith(("untouched", "tuned", "total"))]
    assert totals == ["untouched", "tuned", "total"]
    assert any(line.strip().startswith("contestation link") for line in lines)
    bands = evaluation.calibration()
    assert sum(found for *_, found, _ in bands) == evaluation.claims.found
    assert sum(right for *_, right in bands) == evaluation.claims.hits
    assert any(line.startswith("confidence") for line in lines)


def test_the_untouched_articles_errors_are_counted_but_not_listed(
    evaluation: Evaluation,
) -> None:
    names = {a.article.removesuffix(".json") for a in evaluation.articles if a.errors}
    assert names, "the written articles have no error left to hide"
    listed = report(evaluation, verbose=True, errors=True)
    hidden = report(evaluation, verbose=True, errors=True, untouched=names)
    assert any(line.startswith("    ") for line in listed)
    assert not any(line.startswith("    ") for line in hidden)
    counted = sum(int(line.split()[-1]) for line in hidden[-len(ERROR_CLASSES) :])
    assert counted == sum(len(a.errors) for a in evaluation.articles)


def _gold(claim: dict[str, object]) -> dict[str, object]:
    return {"claims": [claim], "contestations": []}


CLAIM = {
    "id": "c1",
    "place": "Bakhmut",
    "claimant": "Russian Ministry of Defence",
    "claimant_side": "russia",
    "actor_side": "russia",
    "kind": "control",
    "quote": "Bakhmut",
    "required": True,
}


def test_a_gold_claim_the_text_only_bounds_is_scored_by_its_window() -> None:
    gazetteer = default_gazetteer()
    extraction = Extractor(gazetteer).extract(
        "Russia's defence ministry said last week that its forces had captured Bakhmut.",
        date(2025, 11, 13),
    )
    window = {"claimed_window": ["2025-11-03", "2025-11-09"]}
    score = score_article("a.json", _gold(CLAIM | window), extraction, gazetteer)
    assert (score.claims.hits, score.claims.recalled) == (1, 1)


def test_a_gold_claim_with_no_day_is_an_error_that_names_it() -> None:
    gazetteer = default_gazetteer()
    extraction = Extractor(gazetteer).extract("Nothing here.", date(2025, 11, 13))
    with pytest.raises(GoldError, match="claim c1"):
        score_article("a.json", _gold(CLAIM), extraction, gazetteer)
