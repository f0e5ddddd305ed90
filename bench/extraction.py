"""Extraction speed on one core: articles per second over the corpus articles repeated,
beside the cost of only tokenising the same texts.

    .venv/bin/python bench/extraction.py [CORPUS_DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from domain.extraction import Extractor
from domain.extraction.text import fold, split_sentences, tokenize
from infra.gazetteer import default_gazetteer


def main() -> None:
    """Time extraction and tokenisation over the same repeated articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="../shared/corpus")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    articles = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((Path(args.corpus) / "articles").glob("*.json"))
    ]
    texts = [(a["body"], date.fromisoformat(a["published"]), a.get("language")) for a in articles]
    extractor = Extractor(default_gazetteer())
    extractor.extract(*texts[0])  # warm the caches: lexicons, compiled patterns
    count = len(texts) * args.rounds
    started = time.perf_counter()
    for _ in range(args.rounds):
        for body, published, language in texts:
            extractor.extract(body, published, language)
    extracting = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(args.rounds):
        for body, _published, _language in texts:
            fold(body)
            tokenize(body)
            split_sentences(body)
    tokenising = time.perf_counter() - started
    print(f"{count} articles, {sum(len(t[0]) for t in texts) // len(texts)} characters on average")
    print(f"extraction:   {count / extracting:8.1f} articles/s")
    print(f"tokenising:   {count / tokenising:8.1f} articles/s")
    print(f"ratio:        {extracting / tokenising:8.1f}x the cost of tokenising")


if __name__ == "__main__":
    main()
