"""Text plumbing: a folded copy of the body with the same offsets, tokens and sentences."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from domain.places import normalise_name

_SPECIAL = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‹": '"',
    "›": '"',
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "œ": "o",
    "æ": "a",
}
_TOKEN = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? or … followed by space and something that can open a sentence.
_SENTENCE_END = re.compile(
    r"[.!?…]+[\"'»”)]*(?=\s+(?:[\"“'(]|«\s?)?[^\W\d_a-zà-ÿ])|[.!?…]+[\"»”]*\s*$"
)
_ABBREVIATIONS = frozenset(
    "m mm mme mr mrs ms dr gen col lt st sgt capt maj cpt no art p etc vs jr sr".split()  # noqa: SIM905
)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch.isspace():
        return " "
    lower = ch.lower()
    if len(lower) != 1:
        return ch
    base = unicodedata.normalize("NFKD", lower)[:1]
    return base if base and base.isascii() else lower


def fold(text: str) -> str:
    """Lower-case, accent-free text of exactly the same length, so offsets carry over:
    apostrophes become ', quotes ", dashes -, every space a plain space."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the body: its text, its place-name key and where it is."""

    text: str
    key: str
    start: int
    end: int
    line_start: bool = False
    """Whether a line break stands between the word and the one before it."""

    @property
    def capitalised(self) -> bool:
        """Whether the word starts with a capital (any script)."""
        return self.text[:1].isupper()


@lru_cache(maxsize=65536)
def token_key(word: str) -> str:
    """The place-name key of one word (see domain.places.normalise_name)."""
    return normalise_name(word)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Every word of the text (split at apostrophes and hyphens too), with its offsets."""
    tokens = []
    previous_end = 0
    for m in _TOKEN.finditer(text):
        line_start = "\n" in text[previous_end : m.start()]
        previous_end = m.end()
        tokens.append(
            Token(m.group(), token_key(m.group()), m.start() + offset, m.end() + offset, line_start)
        )
    return tokens


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the body: its span and the paragraph (line block) it belongs to."""

    index: int
    paragraph: int
    start: int
    end: int


def split_sentences(body: str) -> list[Sentence]:
    """The sentences of the body, paragraph by paragraph (a paragraph is a line)."""
    sentences: list[Sentence] = []
    position = 0
    for paragraph, line in enumerate(body.split("\n")):
        for start, end in _split_line(line):
            sentences.append(Sentence(len(sentences), paragraph, position + start, position + end))
        position += len(line) + 1
    return sentences


def _split_line(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        word = re.search(r"(\w+)\W*$", line[start : match.start() + 1])
        if word and word.group(1).lower() in _ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(line)))
    bounded = [piece for a, b in spans for piece in _bounded(line, a, b)]
    return [_trim(line, a, b) for a, b in bounded if line[a:b].strip()]


_LONGEST_SENTENCE = 1_000
"""No sentence of real reporting is longer; a longer run of text (a body without full
stops) is read in pieces of at most this many characters, cut after a comma or a space,
so that the work per sentence stays bounded."""


def _bounded(line: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > _LONGEST_SENTENCE:
        limit = start + _LONGEST_SENTENCE
        cut = max(line.rfind(", ", start, limit), line.rfind("; ", start, limit))
        if cut <= start:
            cut = line.rfind(" ", start, limit)
        cut = cut + 1 if cut > start else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end
