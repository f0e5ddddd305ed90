"""Reading a place's claims together: each side's latest word, and whether the sides clash."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from uuid import UUID

from domain.vocabulary import ClaimKind, Side

# Which claim of one day speaks loudest when a side made several.
_WEIGHT = {
    ClaimKind.CONTROL: 5,
    ClaimKind.PARTIAL_CONTROL: 4,
    ClaimKind.REPELLED: 3,
    ClaimKind.ENCIRCLEMENT: 2,
    ClaimKind.ADVANCE: 1,
    ClaimKind.WITHDRAWAL: 0,
}


@dataclass(frozen=True)
class ClaimState:
    """A claim as of some date: what it says and which sides had contested it by then."""

    id: UUID
    claimant_side: Side
    actor_side: Side
    kind: ClaimKind
    claimed_on: date
    position: int
    contested_by: frozenset[Side] = field(default=frozenset())

    @property
    def contested(self) -> bool:
        """Whether anyone had rejected the claim by then."""
        return bool(self.contested_by)

    def holder(self) -> Side | None:
        """The side this claim says holds the whole place, if it says so."""
        if self.kind in (ClaimKind.CONTROL, ClaimKind.REPELLED):
            return self.actor_side
        if self.kind is ClaimKind.WITHDRAWAL:
            return self.actor_side.opponent()
        return None

    def present(self) -> Side | None:
        """The side this claim puts in or around the place."""
        return None if self.kind is ClaimKind.WITHDRAWAL else self.actor_side


@dataclass(frozen=True)
class PlaceSummary:
    """Each claimant side's latest claim and whether the two belligerents dispute."""

    latest: dict[Side, ClaimState]
    disputed: bool
    reasons: list[str]


def summarise(claims: Iterable[ClaimState]) -> PlaceSummary:
    """Each side's latest claim, and why (if at all) the place is disputed."""
    latest: dict[Side, ClaimState] = {}
    for claim in claims:
        held = latest.get(claim.claimant_side)
        if held is None or _rank(claim) > _rank(held):
            latest[claim.claimant_side] = claim
    reasons = _clashes(latest.get(Side.RUSSIA), latest.get(Side.UKRAINE))
    for side, claim in latest.items():
        opponent = side.opponent()
        if opponent and opponent in claim.contested_by:
            reasons.append(f"{side.value}'s latest claim is contested by {opponent.value}")
    return PlaceSummary(latest, bool(reasons), reasons)


PlaceState = Literal["disputed", "contested", "held", "claimed", "withdrawn"]
"""How a place stands, as a map colours it (see `place_state`)."""


def place_state(summary: PlaceSummary) -> PlaceState:
    """How a place with standing claims stands: `disputed` when the two belligerents'
    latest claims clash (or one contests the other's); else `contested` when someone
    contested a latest claim; else `held` when a latest claim says which side holds it;
    else `claimed` (advances and encirclements only). A place whose claims were all
    withdrawn is `withdrawn`."""
    if summary.disputed:
        return "disputed"
    claims = summary.latest.values()
    if any(claim.contested for claim in claims):
        return "contested"
    if any(claim.holder() is not None for claim in claims):
        return "held"
    return "claimed"


@dataclass(frozen=True)
class Contradiction:
    """A stretch of claim time in which the two belligerents' latest claims about a place
    cannot both hold: from `start` until the day before `end` (open when `end` is None)."""

    start: date
    end: date | None
    reasons: list[str]


def contradictions(claims: Iterable[ClaimState]) -> list[Contradiction]:
    """The periods, in claim time, in which Russia's and Ukraine's latest claims clash."""
    ordered = sorted(claims, key=lambda c: c.claimed_on)
    periods: list[Contradiction] = []
    latest: dict[Side, ClaimState] = {}
    open_period: Contradiction | None = None
    index = 0
    while index < len(ordered):
        day = ordered[index].claimed_on
        while index < len(ordered) and ordered[index].claimed_on == day:
            claim = ordered[index]
            held = latest.get(claim.claimant_side)
            if held is None or _rank(claim) > _rank(held):
                latest[claim.claimant_side] = claim
            index += 1
        reasons = _clashes(latest.get(Side.RUSSIA), latest.get(Side.UKRAINE))
        if open_period is not None and reasons != open_period.reasons:
            periods.append(Contradiction(open_period.start, day, open_period.reasons))
            open_period = None
        if reasons and open_period is None:
            open_period = Contradiction(day, None, reasons)
    if open_period is not None:
        periods.append(open_period)
    return periods


def _rank(claim: ClaimState) -> tuple[date, int, int]:
    return (claim.claimed_on, _WEIGHT[claim.kind], claim.position)


def _clashes(russia: ClaimState | None, ukraine: ClaimState | None) -> list[str]:
    if russia is None or ukraine is None:
        return []
    reasons = []
    for one, other in ((russia, ukraine), (ukraine, russia)):
        holder, present = one.holder(), other.present()
        if holder and present and holder != present:
            reasons.append(
                f"{one.claimant_side.value} says {holder.value} holds the place while "
                f"{other.claimant_side.value} puts {present.value} forces there"
            )
    return reasons
