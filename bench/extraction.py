"""Extraction speed on one core: articles per second over the corpus articles repeated,
beside the cost of only tokenising the same texts.

    .venv/bin/python bench/extraction.py [CORPUS_DIR] [--rounds N] [--hostile CHARS]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from domain.extraction import Extractor
from domain.extraction.text import fold, split_sentences, tokenize
from infra.reference.gazetteer import default_gazetteer

FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "corpus"


@dataclass(frozen=True)
class ExtractionSpeed:
    """Articles per second extracted and only tokenised, on one core."""

    articles: int
    characters: int
    extraction_rate: float
    tokenising_rate: float

    @property
    def ratio(self) -> float:
        """How many times tokenising's cost extraction costs."""
        return self.tokenising_rate / self.extraction_rate if self.extraction_rate else 0.0


def corpus_texts(corpus: Path) -> list[tuple[str, date, str | None]]:
    """Body, publication date and language of every article in a corpus folder."""
    articles = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((corpus / "articles").glob("*.json"))
    ]
    return [
        (a["body"], date.fromisoformat(a.get("published") or a["published_on"]), a.get("language"))
        for a in articles
    ]


def measure(texts: list[tuple[str, date, str | None]], rounds: int) -> ExtractionSpeed:
    """Extract every text `rounds` times, then only tokenise them as often."""
    extractor = Extractor(default_gazetteer())
    # Warm the caches (each language's lexicon, compiled patterns) before timing.
    for body, published, language in {t[2]: t for t in texts}.values():
        extractor.extract(body, published, language)
    count = len(texts) * rounds
    started = time.perf_counter()
    for _ in range(rounds):
        for body, published, language in texts:
            extractor.extract(body, published, language)
    extracting = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(rounds):
        for body, _published, _language in texts:
            fold(body)
            tokenize(body)
            split_sentences(body)
    tokenising = time.perf_counter() - started
    return ExtractionSpeed(
        articles=count,
        characters=sum(len(t[0]) for t in texts) // len(texts),
        extraction_rate=count / extracting,
        tokenising_rate=count / tokenising,
    )


HOSTILE_BODIES = {
    "places": "Kupiansk, Pishchane, ",
    "claims": "Russian forces captured the villages of Krokhmalne, Pishchane and Synkivka,"
    " the ministry said. ",
    "denials": "Russia said it had captured Kupiansk on Monday. Ukraine's General Staff said"
    " its forces repelled Russian attacks near Kupiansk and called the claim a lie. ",
    "references": "Ukraine's General Staff said Russian forces attacked near Kupiansk. All"
    " the attacks were repelled. Russian troops entered the town, it said. ",
    "run-on": '"Our troops took Kupiansk on Tuesday," the Russian ministry said, "Kyiv"'
    " denied it on Monday, ",
}
"""Bodies an outsider may send: thousands of place names, of claims, of denials, of cues
whose place is the one named before, and one run of text with no full stop, thick with
quotes, dates and speakers."""


def scaling(size: int) -> dict[str, tuple[float, float]]:
    """Seconds to read each hostile body at a tenth of `size` characters and at `size`:
    a reader in proportion to its text takes ten times as long for ten times the text."""
    extractor = Extractor(default_gazetteer())
    published = date(2024, 3, 14)
    seconds = {}
    for name, unit in HOSTILE_BODIES.items():
        timed = []
        for length in (size // 10, size):
            body = unit * (length // len(unit))
            started = time.perf_counter()
            extractor.extract(body, published, "en")
            timed.append(time.perf_counter() - started)
        seconds[name] = (timed[0], timed[1])
    return seconds


def main() -> None:
    """Time extraction and tokenisation over the same repeated articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="../shared/corpus")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument(
        "--hostile",
        type=int,
        default=0,
        metavar="CHARS",
        help="also time hostile bodies of CHARS characters against a tenth of that",
    )
    args = parser.parse_args()
    speed = measure(corpus_texts(Path(args.corpus)), args.rounds)
    print(f"{speed.articles} articles, {speed.characters} characters on average")
    print(f"extraction:   {speed.extraction_rate:8.1f} articles/s")
    print(f"tokenising:   {speed.tokenising_rate:8.1f} articles/s")
    print(f"ratio:        {speed.ratio:8.1f}x the cost of tokenising")
    if args.hostile:
        for name, (small, large) in scaling(args.hostile).items():
            print(
                f"hostile {name}: {small:.2f} s at {args.hostile // 10} chars, {large:.2f} s at"
                f" {args.hostile} chars: {large / small:.1f}x for 10x the text"
            )


if __name__ == "__main__":
    main()
