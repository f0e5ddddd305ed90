"""Which language an article is in, from its commonest short words."""

from __future__ import annotations

import json
import re
from functools import cache

from domain.extraction.lexicon import DATA_DIR, LANGUAGES

_WORD = re.compile(r"[^\W\d_]+")


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    with (DATA_DIR / "stopwords.json").open(encoding="utf-8") as handle:
        data: dict[str, list[str]] = json.load(handle)
    return {language: frozenset(words) for language, words in data.items()}


def detect_language(text: str, default: str = "en") -> str:
    """The ISO 639-1 code of the language whose stopwords the text uses most (fr or en);
    the default when neither shows up."""
    stopwords = _stopwords()
    counts = dict.fromkeys(stopwords, 0)
    for word in _WORD.findall(text[:5000].lower()):
        for language, known in stopwords.items():
            if word in known:
                counts[language] += 1
    best = max(counts, key=lambda language: counts[language])
    if list(counts.values()).count(counts[best]) > 1 and _FRENCH_MARKS.search(text[:5000]):
        # A line too short to use the stopwords of either ('Wagner affirme contrôler
        # Bakhmout « à 70 % »'): French letters and quotation marks tell.
        return "fr"
    return best if counts[best] > 0 else default


_FRENCH_MARKS = re.compile(r"[éèêàçùûôîœ«»]")


def supported(language: str | None) -> str | None:
    """The language code if the extractor has a lexicon for it, else None."""
    code = (language or "").strip().lower()[:2]
    return code if code in LANGUAGES else None
