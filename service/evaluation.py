"""Scoring the extractor against gold annotations, by the development corpus's rules.

A found claim matches a gold claim when place, claimant side (or an alternative), actor
side and kind (or an alternative) agree and its date is within a day of the gold date or
inside the gold window. Required gold claims with the same key count once; found claims
that match only optional gold claims count neither way. A contestation matches when the
claim it contests matches and the contesting side agrees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from domain.extraction import Extraction, Extractor, FoundClaim, FoundContestation
from domain.places import Gazetteer


@dataclass(frozen=True)
class Score:
    """Counts behind a precision, recall and F1."""

    hits: int = 0
    found: int = 0
    recalled: int = 0
    required: int = 0

    @property
    def precision(self) -> float:
        """Matching found items over found items that count."""
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """Recalled required gold items over required gold items."""
        return self.recalled / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.hits + other.hits,
            self.found + other.found,
            self.recalled + other.recalled,
            self.required + other.required,
        )


@dataclass(frozen=True)
class ArticleScore:
    """One article's scores, with what was missed and what was wrong."""

    article: str
    claims: Score
    contestations: Score
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Evaluation:
    """Per-article and total scores over a corpus."""

    articles: list[ArticleScore]

    @property
    def claims(self) -> Score:
        """Claim counts summed over every article."""
        return sum((a.claims for a in self.articles), Score())

    @property
    def contestations(self) -> Score:
        """Contestation counts summed over every article."""
        return sum((a.contestations for a in self.articles), Score())


def evaluate_corpus(corpus_dir: Path, extractor: Extractor, gazetteer: Gazetteer) -> Evaluation:
    """Extract every article of `corpus_dir/articles` and score it against `corpus_dir/gold`."""
    scores = []
    for path in sorted((corpus_dir / "articles").glob("*.json")):
        gold_path = corpus_dir / "gold" / path.name
        if not gold_path.is_file():
            continue
        article = json.loads(path.read_text(encoding="utf-8"))
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        published = date.fromisoformat(article.get("published_on") or article["published"])
        extraction = extractor.extract(article["body"], published, article.get("language"))
        scores.append(score_article(path.name, gold, extraction, gazetteer))
    return Evaluation(scores)


@dataclass(frozen=True)
class _Gold:
    id: str
    place_id: str | None
    sides: frozenset[str]
    actor: str
    kinds: frozenset[str]
    on: date
    window: tuple[date, date] | None
    required: bool
    text: str

    def key(self) -> tuple[object, ...]:
        return (self.place_id, min(self.sides), self.actor, min(self.kinds), self.on)

    def matches(self, claim: FoundClaim) -> bool:
        return (
            claim.place_id == self.place_id
            and claim.claimant_side.value in self.sides
            and claim.actor_side.value == self.actor
            and claim.kind.value in self.kinds
            and (
                abs((claim.claimed_on - self.on).days) <= 1
                or (
                    self.window is not None and self.window[0] <= claim.claimed_on <= self.window[1]
                )
            )
        )


def _gold_claim(raw: dict[str, Any], gazetteer: Gazetteer) -> _Gold:
    place = gazetteer.resolve(raw["place"])
    window = raw.get("claimed_window")
    return _Gold(
        id=raw["id"],
        place_id=place.id if place else None,
        sides=frozenset([raw["claimant_side"], *raw.get("claimant_side_alternatives", [])]),
        actor=raw["actor_side"],
        kinds=frozenset([raw["kind"], *raw.get("kind_alternatives", [])]),
        on=date.fromisoformat(raw["claimed_on"]),
        window=(date.fromisoformat(window[0]), date.fromisoformat(window[1])) if window else None,
        required=raw.get("required", True),
        text=f"{raw['place']} {raw['claimant_side']}/{raw['actor_side']} {raw['kind']} "
        f"{raw['claimed_on']}: {raw['quote']!r}",
    )


def score_article(
    name: str, gold: dict[str, Any], extraction: Extraction, gazetteer: Gazetteer
) -> ArticleScore:
    """Score one article's extraction against its gold annotations."""
    golds = [_gold_claim(raw, gazetteer) for raw in gold.get("claims", [])]
    claims, missed, wrong = _score_claims(golds, list(extraction.claims))
    contestations, c_missed, c_wrong = _score_contestations(
        gold.get("contestations", []), golds, extraction
    )
    return ArticleScore(name, claims, contestations, missed + c_missed, wrong + c_wrong)


def _score_claims(
    golds: list[_Gold], found: list[FoundClaim]
) -> tuple[Score, list[str], list[str]]:
    hits = counted = 0
    wrong = []
    for claim in found:
        if any(g.required and g.matches(claim) for g in golds):
            hits += 1
            counted += 1
        elif not any(g.matches(claim) for g in golds):
            counted += 1
            wrong.append(f"claim {describe(claim)}")
    groups: dict[tuple[object, ...], list[_Gold]] = {}
    for g in golds:
        if g.required:
            groups.setdefault(g.key(), []).append(g)
    missed = [
        f"claim {members[0].text}"
        for members in groups.values()
        if not any(g.matches(c) for g in members for c in found)
    ]
    return Score(hits, counted, len(groups) - len(missed), len(groups)), missed, wrong


def _score_contestations(
    raws: list[dict[str, Any]], golds: list[_Gold], extraction: Extraction
) -> tuple[Score, list[str], list[str]]:
    by_id = {g.id: g for g in golds}
    claims = {c.id: c for c in extraction.claims}

    def matches(raw: dict[str, Any], found: FoundContestation) -> bool:
        target, claim = by_id.get(raw["contests"]), claims.get(found.contests)
        return bool(
            target and claim and target.matches(claim) and raw["by_side"] == found.by_side.value
        )

    hits = counted = 0
    wrong = []
    for found in extraction.contestations:
        if any(r.get("required", True) and matches(r, found) for r in raws):
            hits += 1
            counted += 1
        elif not any(matches(r, found) for r in raws):
            counted += 1
            wrong.append(f"contestation of {found.contests} by {found.by_side.value}")
    required = [r for r in raws if r.get("required", True)]
    missed = [
        f"contestation {r['id']} of {r['contests']} by {r['by_side']}"
        for r in required
        if not any(matches(r, f) for f in extraction.contestations)
    ]
    return Score(hits, counted, len(required) - len(missed), len(required)), missed, wrong


def describe(claim: FoundClaim) -> str:
    """A one-line account of a found claim."""
    return (
        f"{claim.id} {claim.place_name} {claim.claimant_side.value}/{claim.actor_side.value} "
        f"{claim.kind.value} {claim.claimed_on}: {claim.quote!r}"
    )


def report(evaluation: Evaluation, verbose: bool = False) -> list[str]:
    """Lines of a plain-text report: one per article, the total, and under --verbose what
    was missed and what was wrong."""
    lines = [f"{'article':<12} {'claims P/R/F1':<22} contestations P/R/F1"]
    for article in evaluation.articles:
        lines.append(
            f"{article.article:<12} {_figures(article.claims):<22} "
            f"{_figures(article.contestations)}"
        )
        if verbose:
            lines += [f"    missed {item}" for item in article.missed]
            lines += [f"    wrong  {item}" for item in article.wrong]
    lines.append(
        f"{'total':<12} {_figures(evaluation.claims):<22} {_figures(evaluation.contestations)}"
    )
    return lines


def _figures(score: Score) -> str:
    return f"{score.precision:.2f}/{score.recall:.2f}/{score.f1:.2f}"
