"""The Litestar application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components

from service.access import Access
from service.app.ledger import Ledger
from service.app.reading import Reader
from service.app.reads import Readings
from service.app.services import Services
from service.http.articles import ArticleController
from service.http.claims import ClaimController
from service.http.contract import DESCRIPTION, add_event_payloads, add_examples, describe
from service.http.events import EventController
from service.http.guards import SECURITY_SCHEMES
from service.http.health import HealthController
from service.http.places import PlaceController
from service.http.problem_types import ProblemTypes
from service.http.problems import exception_handlers
from service.http.reviews import ReviewController
from service.http.strict import ClosedStructs
from service.http.workbench import Workbench, static_files, templates
from service.version import VERSION

_YOUNGEST_COLLECTED_AFTER = 200_000


def create_app(
    build: Callable[[], Services],
    *,
    run_projector: bool = False,
    max_body_bytes: int = 16 * 1024 * 1024,
    access: Access | None = None,
    cors_origins: Sequence[str] = (),
    place_memory_bytes: int = 0,
    ready_max_lag: float = 30.0,
    map_tiles: str = "",
    keyed_bodies: bool = True,
) -> Litestar:
    """The HTTP API; its lifespan builds the services, opens their pools and closes them.

    Without `access`, no key is known: reads are open and every write is refused. CORS is
    off unless origins are given. With `place_memory_bytes`, up to that much of places'
    claims is held in memory (infra.readmodels.place_cache). Building the app touches no
    database, so the OpenAPI document can be made anywhere.
    """

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = build()
        pool = services.read_pool()
        await pool.open(wait=False)
        app.state.services = services
        readings = services.readings(pool, place_memory_bytes)
        if readings.memory is not None:
            readings.memory.start()
        app.state.readings = readings
        if run_projector:
            services.start_projector()
        thresholds = gc.get_threshold()
        _tune_garbage_collection()
        try:
            yield
        finally:
            gc.unfreeze()
            gc.set_threshold(*thresholds)
            if readings.memory is not None:
                await readings.memory.stop()
            await readings.hub.stop()
            await pool.close()
            services.close()

    app = Litestar(
        route_handlers=[
            Workbench,
            static_files(),
            ArticleController,
            ClaimController,
            PlaceController,
            ReviewController,
            EventController,
            HealthController,
            ProblemTypes,
        ],
        dependencies={
            "ledger": Provide(_ledger, sync_to_thread=False),
            "readings": Provide(_readings, sync_to_thread=False),
            "reader": Provide(_reader, sync_to_thread=False),
            "services": Provide(_services, sync_to_thread=False),
        },
        exception_handlers=exception_handlers(),
        lifespan=[lifespan],
        openapi_config=openapi_config(),
        plugins=[ClosedStructs()],
        request_max_body_size=max_body_bytes,
        state=State(
            {
                "access": access or Access(),
                "ready_max_lag": ready_max_lag,
                "map_tiles": map_tiles,
                "keyed_bodies": keyed_bodies,
            }
        ),
        template_config=templates(),
        cors_config=_cors(cors_origins),
        debug=False,
        # Logging is configured by the command that serves (service.logs), not by the app.
        logging_config=None,
    )
    describe(app.openapi_schema)
    document = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    add_event_payloads(document)
    add_examples(document)
    return app


def _tune_garbage_collection() -> None:
    """Leave what start-up built (modules, the gazetteer, the lexicons: long-lived, never
    garbage) out of every later collection, and collect the youngest objects after 200,000
    allocations rather than 700. A batch of articles allocates hundreds of thousands of
    objects that live until its response is sent; with the defaults the collector walked
    them, and everything built at start-up, many times over for each batch. At 20,000 it
    still ran in the middle of every batch, walking what the batch had built so far (about
    5 ms of a batch of 250); at 200,000 it mostly runs between batches, over little."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(_YOUNGEST_COLLECTED_AFTER, *gc.get_threshold()[1:])


def _services(state: State) -> Services:
    services: Services = state.services
    return services


def _ledger(state: State) -> Ledger:
    services: Services = state.services
    return services.ledger


def _reader(state: State) -> Reader:
    services: Services = state.services
    return services.reader


def _readings(state: State) -> Readings:
    readings: Readings = state.readings
    return readings


def _cors(origins: Sequence[str]) -> CORSConfig | None:
    if not origins:
        return None
    return CORSConfig(
        allow_origins=list(origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "X-API-Key", "Content-Type", "Last-Event-ID"],
        expose_headers=["Retry-After"],
        max_age=600,
    )


_SWAGGER = "/static/vendor/swagger-ui-dist-5.35.0"


def openapi_config() -> OpenAPIConfig:
    """The OpenAPI document's metadata, and its documentation page (`/schema`), Swagger UI
    served from the vendored files, so that it works offline."""
    return OpenAPIConfig(
        title="Claimledger",
        version=VERSION,
        description=DESCRIPTION,
        path="/schema",
        use_handler_docstrings=True,
        components=Components(security_schemes=dict(SECURITY_SCHEMES)),
        render_plugins=[
            SwaggerRenderPlugin(
                js_url=f"{_SWAGGER}/swagger-ui-bundle.js",
                css_url=f"{_SWAGGER}/swagger-ui.css",
                standalone_preset_js_url=f"{_SWAGGER}/swagger-ui-standalone-preset.js",
                favicon="",
            )
        ],
    )


def openapi_json(app: Litestar) -> bytes:
    """The app's OpenAPI document as stable, indented JSON."""
    import json

    document = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
