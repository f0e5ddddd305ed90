"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig

from service.bootstrap import Services
from service.http.controllers import (
    ArticleController,
    ClaimController,
    EventController,
    PlaceController,
)
from service.http.health import HealthController
from service.http.problems import exception_handlers
from service.reads import Readings

VERSION = "0.1.0"


def create_app(services: Services, *, run_projector: bool = False,
               max_body_bytes: int = 32 * 1024 * 1024) -> Litestar:
    """The HTTP API over the given services; the lifespan opens and closes their pools."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        pool = services.read_pool()
        await pool.open(wait=False)
        app.state.readings = services.readings(pool)
        if run_projector:
            services.start_projector()
        try:
            yield
        finally:
            await pool.close()
            services.close()

    return Litestar(
        route_handlers=[ArticleController, ClaimController, PlaceController, EventController,
                        HealthController],
        dependencies={"ledger": Provide(lambda: services.ledger, sync_to_thread=False),
                      "readings": Provide(_readings, sync_to_thread=False)},
        exception_handlers=exception_handlers(),
        lifespan=[lifespan],
        state=State({"services": services}),
        openapi_config=openapi_config(),
        request_max_body_size=max_body_bytes,
        debug=False,
    )


def _readings(state: State) -> Readings:
    readings: Readings = state.readings
    return readings


def openapi_config() -> OpenAPIConfig:
    """The OpenAPI document's metadata."""
    return OpenAPIConfig(title="Claimledger", version=VERSION,
                         description="Attributed, contested claims about places in war "
                                     "reporting, as of any date.",
                         path="/schema")

