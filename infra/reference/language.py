"""Language detection by lingua, loaded with the languages the ledger meets only."""

from __future__ import annotations

from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The languages the extractor reads, and the ones war reporting is most often confused with.
_CANDIDATES = (Language.ENGLISH, Language.FRENCH, Language.RUSSIAN, Language.UKRAINIAN)
_SAMPLE = 2_000  # characters: plenty to tell these languages apart


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, None when lingua cannot tell."""
    found = _detector().detect_language_of(text[:_SAMPLE])
    return found.iso_code_639_1.name.lower() if found else None
