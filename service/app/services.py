"""The composition root: builds the concrete parts once and hands them to whoever runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from domain.places import Gazetteer
from infra.eventstore.recorder import DEFAULT_TIMEOUTS, WriteTimeouts
from infra.eventstore.store import EventStore
from infra.postgres.database import psycopg_conninfo
from infra.postgres.pools import ReadPool
from infra.reading.model import ModelEndpoint, ModelReader
from infra.readmodels.place_cache import PlaceMemory
from infra.readmodels.projector import Projector
from infra.reference.gazetteer import default_gazetteer
from service.app.ledger import Ledger
from service.app.reading import Reader
from service.app.reads import Readings

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a request or a command needs, built from one database URL."""

    database_url: str
    gazetteer: Gazetteer
    store: EventStore
    ledger: Ledger
    projector: Projector
    reader: Reader = field(default_factory=Reader)
    _stop_projector: Callable[[], None] | None = None

    @classmethod
    def build(
        cls,
        database_url: str,
        write_timeouts: WriteTimeouts = DEFAULT_TIMEOUTS,
        model: ModelEndpoint | None = None,
    ) -> Services:
        """Wire the write side, reading articles with the rules or, given an endpoint, a
        model; the read pool is opened by the app's lifespan."""
        store = EventStore(database_url, timeouts=write_timeouts)
        gazetteer = default_gazetteer()
        return cls(
            database_url=database_url,
            gazetteer=gazetteer,
            store=store,
            ledger=Ledger(store),
            projector=Projector(database_url),
            reader=Reader(model=ModelReader(model, gazetteer) if model else None),
        )

    def read_pool(self, size: int = 8) -> AsyncConnectionPool[Any]:
        """A pool of asynchronous connections for the read side (not yet opened)."""
        return ReadPool(psycopg_conninfo(self.database_url), max_size=size, row_factory=dict_row)

    def readings(self, pool: AsyncConnectionPool[Any], memory_bytes: int = 0) -> Readings:
        """The read service on an opened pool, holding up to `memory_bytes` of places in
        memory (none at 0; the memory is started by whoever runs the event loop)."""
        conninfo = psycopg_conninfo(self.database_url)
        memory = PlaceMemory(pool, conninfo, memory_bytes) if memory_bytes > 0 else None
        return Readings(pool, self.gazetteer, conninfo, memory)

    def start_projector(self) -> None:
        """Follow the event store in a background thread."""
        self._stop_projector = self.projector.follow_in_background()

    def close(self) -> None:
        """Stop the projector and close the pools."""
        if self._stop_projector is not None:
            self._stop_projector()
        self.store.close()
        self.reader.close()
