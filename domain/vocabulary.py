"""The claim vocabulary: who may claim, and what a claim may say."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """The side a claimant speaks for, or whose forces a claim is about."""

    RUSSIA = "russia"
    UKRAINE = "ukraine"
    THIRD_PARTY = "third_party"
    MEDIA = "media"

    def opponent(self) -> Side | None:
        """The belligerent on the other side of the front, if this side is one."""
        return _OPPONENTS.get(self)


_OPPONENTS = {Side.RUSSIA: Side.UKRAINE, Side.UKRAINE: Side.RUSSIA}


class ClaimKind(StrEnum):
    """What a claim says the actor's forces did or hold at a place."""

    CONTROL = "control"
    PARTIAL_CONTROL = "partial_control"
    ADVANCE = "advance"
    ENCIRCLEMENT = "encirclement"
    WITHDRAWAL = "withdrawal"
    REPELLED = "repelled"


class PlaceKind(StrEnum):
    """The kinds of place the gazetteer knows."""

    COUNTRY = "country"
    OBLAST = "oblast"
    POPULATED_PLACE = "populated_place"
    RIVER = "river"
    REGION = "region"
