"""What every event-sourced aggregate shares: an id, a version and events not yet saved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self
from uuid import UUID


class Aggregate:
    """An entity whose state is the fold of its events, in order."""

    def __init__(self, aggregate_id: UUID) -> None:
        self.id = aggregate_id
        self.version = 0
        self.pending_events: list[Any] = []

    @classmethod
    def replay(cls, aggregate_id: UUID, events: Iterable[Any]) -> Self:
        """Rebuild an aggregate from its stored events."""
        aggregate = cls(aggregate_id)
        for event in events:
            aggregate.apply(event)
            aggregate.version += 1
        return aggregate

    def apply(self, event: Any) -> None:
        """Change state for one event; subclasses dispatch on the event's type."""
        raise NotImplementedError

    def trigger(self, event: Any) -> None:
        """Apply a new event and keep it to be saved."""
        self.apply(event)
        self.version += 1
        self.pending_events.append(event)

    def collect_events(self) -> list[tuple[int, Any]]:
        """Hand over the new events with their versions, and forget them."""
        first = self.version - len(self.pending_events) + 1
        collected = list(enumerate(self.pending_events, start=first))
        self.pending_events = []
        return collected
