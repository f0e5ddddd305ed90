"""What the extractor returns: claims and contestations in the gold files' shape, with
offsets, a place id and a confidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from domain.events import DateWindow
from domain.vocabulary import ClaimKind, Side

EXTRACTOR_NAME = "claimledger-rules"
EXTRACTOR_VERSION = "0.10.0"


@dataclass(frozen=True)
class FoundClaim:
    """An attributed claim about a place, as read in one article."""

    id: str
    place_id: str
    place_name: str
    claimant: str
    claimant_side: Side
    actor_side: Side
    kind: ClaimKind
    extent: float | None
    claimed_on: date
    claimed_window: DateWindow | None
    quote: str
    start: int
    end: int
    confidence: float

    def key(self) -> tuple[str, Side, Side, ClaimKind, date]:
        """What makes two readings one claim: place, sides, kind and day."""
        return (self.place_id, self.claimant_side, self.actor_side, self.kind, self.claimed_on)


@dataclass(frozen=True)
class FoundContestation:
    """A rejection of a claim found in the same article, by someone of another side."""

    contests: str
    by: str
    by_side: Side
    contested_on: date
    contested_window: DateWindow | None
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """Everything read in one article, and who read it."""

    language: str
    claims: tuple[FoundClaim, ...]
    contestations: tuple[FoundContestation, ...]
    extractor: str = EXTRACTOR_NAME
    version: str = EXTRACTOR_VERSION

    @property
    def recorded_by(self) -> str:
        """The name the ledger records the reading under: `name/version`, or the name alone
        when it carries its version (`model:<model>@<prompt hash>`)."""
        return f"{self.extractor}/{self.version}" if self.version else self.extractor


class Reader(Protocol):
    """What reads an article: the rules (`domain.extraction.Extractor`) or a language model
    (`infra.reading.model.ModelReader`). Article in; claims and contestations out, offsets
    into the body and gazetteer place ids included, with the reader's name on them."""

    @property
    def name(self) -> str:
        """The name its readings are recorded under (`Extraction.recorded_by`)."""
        ...

    def extract(self, body: str, published_on: date, language: str | None = None) -> Extraction:
        """The claims and contestations of one article."""
        ...
