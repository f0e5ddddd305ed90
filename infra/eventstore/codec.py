"""How domain events become stored bytes and back: JSON by msgspec, named by a stable topic."""

from __future__ import annotations

from typing import Any

import msgspec

from domain.events import (
    ArticleIngested,
    ClaimContested,
    ClaimCorroborated,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
)

# The stored topic of each event class. Topics are part of the schema: never change one.
EVENT_TYPES: dict[str, type[Any]] = {
    "ArticleIngested": ArticleIngested,
    "ClaimRecorded": ClaimRecorded,
    "ClaimCorroborated": ClaimCorroborated,
    "ClaimContested": ClaimContested,
    "ClaimRetracted": ClaimRetracted,
    "ClaimReviewed": ClaimReviewed,
}
TOPICS: dict[type[Any], str] = {cls: topic for topic, cls in EVENT_TYPES.items()}
_ENCODER = msgspec.json.Encoder()
_DECODERS = {topic: msgspec.json.Decoder(cls) for topic, cls in EVENT_TYPES.items()}


class UnknownEventType(LookupError):
    """A stored event whose topic this version of the code does not know."""


def topic_of(event: Any) -> str:
    """The stored topic for an event object."""
    return TOPICS[type(event)]


def encode(event: Any) -> bytes:
    """An event as compact JSON."""
    return _ENCODER.encode(event)


def decode(topic: str, state: bytes) -> Any:
    """The event object stored under a topic."""
    try:
        decoder = _DECODERS[topic]
    except KeyError:
        raise UnknownEventType(topic) from None
    return decoder.decode(state)
