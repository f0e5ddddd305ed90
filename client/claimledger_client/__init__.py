"""A client of the Claimledger HTTP API: typed answers, paging, retries, the event stream."""

from claimledger_client.client import (
    AsyncClaimledger,
    Claimledger,
    ClaimledgerError,
)
from claimledger_client.types import (
    Claim,
    Contestation,
    Event,
    Evidence,
    Place,
    PlaceClaims,
    PlaceStanding,
    Retraction,
    ReviewItem,
)

__all__ = [
    "AsyncClaimledger",
    "Claim",
    "Claimledger",
    "ClaimledgerError",
    "Contestation",
    "Event",
    "Evidence",
    "Place",
    "PlaceClaims",
    "PlaceStanding",
    "Retraction",
    "ReviewItem",
]
