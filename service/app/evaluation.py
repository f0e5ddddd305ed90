"""Scoring the extractor against gold annotations, by the development corpus's rules.

A found claim matches a gold claim when place, claimant side (or an alternative), actor
side and kind (or an alternative) agree and its date is within a day of the gold date or
inside the gold window. Required gold claims with the same key count once; found claims
that match only optional gold claims count neither way. A contestation matches when the
claim it contests matches and the contesting side agrees.

Every miss and false find is also given one class (`ERROR_CLASSES`): a false find paired
with the missed gold claim about the same place that it is nearest to is one error of the
first field in which they differ; what is left is a place the gazetteer does not know, a
place read wrongly from the same words, a spurious find or a plain miss.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from domain.extraction import Extraction, FoundClaim, FoundContestation, Reader
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


ERROR_CLASSES = (
    "place not found",
    "wrong place",
    "claimant side",
    "actor side",
    "kind",
    "date",
    "spurious",
    "missed",
    "contestation link",
)
"""What went wrong, in the order the report lists it."""

CONFIDENCE_BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))
"""The bands of confidence the report checks the reader's confidence against."""


@dataclass(frozen=True)
class ArticleScore:
    """One article's scores, with what was missed and what was wrong, and each error's
    class."""

    article: str
    claims: Score
    contestations: Score
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(class, what) for every miss and false find, a near miss counted once."""
    judged: list[tuple[float, bool]] = field(default_factory=list)
    """(confidence, right) for every found claim that counts for precision."""


@dataclass(frozen=True)
class Evaluation:
    """Per-article and total scores over a corpus."""

    articles: list[ArticleScore]

    def only(self, names: set[str]) -> Evaluation:
        """The articles whose id (file name less `.json`) is among `names`."""
        return Evaluation([a for a in self.articles if a.article.removesuffix(".json") in names])

    def without(self, names: set[str]) -> Evaluation:
        """The other articles."""
        return Evaluation(
            [a for a in self.articles if a.article.removesuffix(".json") not in names]
        )

    def calibration(self) -> list[tuple[float, float, int, int]]:
        """(low, high, found, right) for each band of confidence (`CONFIDENCE_BANDS`)."""
        judged = [j for a in self.articles for j in a.judged]
        return [
            (
                low,
                high,
                sum(1 for c, _ in judged if low <= c < high),
                sum(1 for c, right in judged if low <= c < high and right),
            )
            for low, high in CONFIDENCE_BANDS
        ]

    def error_counts(self) -> dict[str, int]:
        """How many errors of each class, every class listed."""
        counts = dict.fromkeys(ERROR_CLASSES, 0)
        for article in self.articles:
            for kind, _ in article.errors:
                counts[kind] += 1
        return counts

    @property
    def claims(self) -> Score:
        """Claim counts summed over every article."""
        return sum((a.claims for a in self.articles), Score())

    @property
    def contestations(self) -> Score:
        """Contestation counts summed over every article."""
        return sum((a.contestations for a in self.articles), Score())


def evaluate_corpus(corpus_dir: Path, extractor: Reader, gazetteer: Gazetteer) -> Evaluation:
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
        try:
            scores.append(score_article(path.name, gold, extraction, gazetteer))
        except GoldError as error:
            raise GoldError(f"{gold_path}: {error}") from None
    return Evaluation(scores)


@dataclass(frozen=True)
class _Gold:
    id: str
    place_id: str | None
    place_ids: frozenset[str]
    """Every place that bears the gold's place name: the gold names a place, and any of its
    homonyms is a reading of that name."""
    sides: frozenset[str]
    actor: str
    kinds: frozenset[str]
    on: date
    window: tuple[date, date] | None
    required: bool
    quote: str
    text: str

    def key(self) -> tuple[object, ...]:
        return (self.place_id, min(self.sides), self.actor, min(self.kinds), self.on)

    def differences(self, claim: FoundClaim) -> list[str]:
        """The fields in which a found claim differs from this one, in ERROR_CLASSES order."""
        dated = abs((claim.claimed_on - self.on).days) <= 1 or (
            self.window is not None and self.window[0] <= claim.claimed_on <= self.window[1]
        )
        checks = (
            ("wrong place", claim.place_id in self.place_ids),
            ("claimant side", claim.claimant_side.value in self.sides),
            ("actor side", claim.actor_side.value == self.actor),
            ("kind", claim.kind.value in self.kinds),
            ("date", dated),
        )
        return [name for name, same in checks if not same]

    def matches(self, claim: FoundClaim) -> bool:
        return (
            claim.place_id in self.place_ids
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


class GoldError(ValueError):
    """A gold file the scorer cannot read: which file, which claim, what is wrong."""


def _gold_claim(raw: dict[str, Any], gazetteer: Gazetteer) -> _Gold:
    try:
        return _read_gold_claim(raw, gazetteer)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise GoldError(f"claim {raw.get('id', '?')}: {error!r}") from None


def _read_gold_claim(raw: dict[str, Any], gazetteer: Gazetteer) -> _Gold:
    place = gazetteer.resolve(raw["place"])
    window = raw.get("claimed_window")
    # A claim the text only bounds may give its window alone.
    on = raw.get("claimed_on") or (window[0] if window else raw["claimed_on"])
    return _Gold(
        id=raw["id"],
        place_id=place.id if place else None,
        place_ids=frozenset(p.id for p in gazetteer.named(raw["place"]))
        | ({place.id} if place else set()),
        sides=frozenset([raw["claimant_side"], *raw.get("claimant_side_alternatives", [])]),
        actor=raw["actor_side"],
        kinds=frozenset([raw["kind"], *raw.get("kind_alternatives", [])]),
        on=date.fromisoformat(on),
        window=(date.fromisoformat(window[0]), date.fromisoformat(window[1])) if window else None,
        required=raw.get("required", True),
        quote=raw.get("quote", ""),
        text=f"{raw['place']} {raw['claimant_side']}/{raw['actor_side']} {raw['kind']} "
        f"{on}: {raw['quote']!r}",
    )


def score_article(
    name: str, gold: dict[str, Any], extraction: Extraction, gazetteer: Gazetteer
) -> ArticleScore:
    """Score one article's extraction against its gold annotations."""
    golds = [_gold_claim(raw, gazetteer) for raw in gold.get("claims", [])]
    claims, missed, wrong, errors, judged = _score_claims(golds, list(extraction.claims))
    contestations, c_missed, c_wrong = _score_contestations(
        gold.get("contestations", []), golds, extraction
    )
    errors += [("contestation link", item) for item in c_missed + c_wrong]
    return ArticleScore(
        name, claims, contestations, missed + c_missed, wrong + c_wrong, errors, judged
    )


def _score_claims(
    golds: list[_Gold], found: list[FoundClaim]
) -> tuple[Score, list[str], list[str], list[tuple[str, str]], list[tuple[float, bool]]]:
    hits = counted = 0
    false_finds = []
    judged = []
    for claim in found:
        if any(g.required and g.matches(claim) for g in golds):
            hits += 1
            counted += 1
            judged.append((claim.confidence, True))
        elif not any(g.matches(claim) for g in golds):
            counted += 1
            false_finds.append(claim)
            judged.append((claim.confidence, False))
    groups: dict[tuple[object, ...], list[_Gold]] = {}
    for g in golds:
        if g.required:
            groups.setdefault(g.key(), []).append(g)
    unmatched = [
        members[0]
        for members in groups.values()
        if not any(g.matches(c) for g in members for c in found)
    ]
    score = Score(hits, counted, len(groups) - len(unmatched), len(groups))
    missed = [f"claim {g.text}" for g in unmatched]
    wrong = [f"claim {describe(c)}" for c in false_finds]
    return score, missed, wrong, _classified(unmatched, false_finds), judged


def _classified(missed: list[_Gold], wrong: list[FoundClaim]) -> list[tuple[str, str]]:
    """One class per error: a false find and the missed claim nearest to it, about the same
    place (or read from the same words) and differing in at most two fields, are one error
    of their first difference; the rest are misses, places not found and spurious finds."""
    errors: list[tuple[str, str]] = []
    left = list(missed)
    for claim in wrong:
        near = [
            (len(diffs), index, diffs)
            for index, gold in enumerate(left)
            if len(diffs := gold.differences(claim)) <= 2
            and ("wrong place" not in diffs or _same_words(gold.quote, claim.quote))
        ]
        if near:
            _, index, diffs = min(near)
            gold = left.pop(index)
            errors.append((diffs[0] if diffs else "date", f"{describe(claim)} for {gold.text}"))
        else:
            errors.append(("spurious", f"claim {describe(claim)}"))
    for gold in left:
        kind = "place not found" if gold.place_id is None else "missed"
        errors.append((kind, f"claim {gold.text}"))
    return errors


def _same_words(gold_quote: str, found_quote: str) -> bool:
    """Whether two quotes overlap: one holds the other, or they share most of their words."""
    a, b = gold_quote.casefold(), found_quote.casefold()
    if a in b or b in a:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    return len(words_a & words_b) >= 0.6 * min(len(words_a), len(words_b), 10)


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
        f"contestation {r.get('id', '')} of {r['contests']} by {r['by_side']}".replace("  ", " ")
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


def report(
    evaluation: Evaluation,
    verbose: bool = False,
    errors: bool = False,
    untouched: set[str] | None = None,
) -> list[str]:
    """Lines of a plain-text report: one per article, the total (first over the `untouched`
    articles, when some are, then over the others), under `verbose` what was missed and
    what was wrong, and under `errors` the errors by class. The untouched articles' errors
    are counted but never listed, so that reading the report does not tune on them."""
    lines = [f"{'article':<12} {'claims P/R/F1':<22} contestations P/R/F1"]
    for article in evaluation.articles:
        lines.append(
            f"{article.article:<12} {_figures(article.claims):<22} "
            f"{_figures(article.contestations)}"
        )
        if article.article.removesuffix(".json") in (untouched or set()):
            continue
        if verbose and errors:
            lines += [f"    {kind:<18} {item}" for kind, item in article.errors]
        elif verbose:
            lines += [f"    missed {item}" for item in article.missed]
            lines += [f"    wrong  {item}" for item in article.wrong]
    parts = [("total", evaluation)]
    held = evaluation.only(untouched or set())
    if held.articles:
        tuned = evaluation.without(untouched or set())
        parts = [
            (f"untouched {len(held.articles)}", held),
            (f"tuned {len(tuned.articles)}", tuned),
            *parts,
        ]
    for name, part in parts:
        lines.append(f"{name:<12} {_figures(part.claims):<22} {_figures(part.contestations)}")
    lines.append("confidence  found  right  share right")
    for low, high, found, right in evaluation.calibration():
        share = f"{right / found:.2f}" if found else "-"
        lines.append(f"  {low:.1f}-{min(high, 1.0):.1f}  {found:>5}  {right:>5}  {share:>11}")
    if errors:
        lines.append("errors by class" + "".join(f"  {name:>10}" for name, _ in parts))
        counts = [part.error_counts() for _, part in parts]
        for kind in ERROR_CLASSES:
            lines.append(f"  {kind:<18}" + "".join(f"  {c[kind]:>10}" for c in counts))
    return lines


def _figures(score: Score) -> str:
    return f"{score.precision:.2f}/{score.recall:.2f}/{score.f1:.2f}"
