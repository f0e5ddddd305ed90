"""The composition root: the database a command or the server works on (DATABASE_URL, or
an embedded server provisioned and migrated on first use), the access policy, and the ASGI
app a server runs, the held places' shortcut in front of the API. `serve`, its workers and
the tests all build the served app here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import sqlalchemy.exc

from infra.postgres import migrate as migrations
from infra.postgres.database import with_user
from infra.postgres.embedded import EmbeddedPostgres
from infra.postgres.roles import grant_service_role
from service.access import Access, ApiKey, RateLimiter, StreamSlots, digest, new_key
from service.app.services import Services
from service.settings import Settings


class StartupError(Exception):
    """The database or the configuration will not do; the message is for the user."""


EMBEDDED_DATABASE = "claimledger"


EMBEDDED_SERVICE_ROLE = "claimledger_service"


def database_url(settings: Settings) -> tuple[str, bool]:
    """The database the service works on, and whether it is the embedded one.

    Without DATABASE_URL, an embedded server is started in the data folder, migrated by
    its superuser, and used through the service role, which cannot change the schema.
    """
    if settings.database_url:
        return settings.database_url, False
    server = EmbeddedPostgres(settings.data_dir / "pgdata")
    server.start()
    owner = server.create_database(EMBEDDED_DATABASE)
    migrations.upgrade(owner)
    grant_service_role(owner, EMBEDDED_SERVICE_ROLE)
    return with_user(owner, EMBEDDED_SERVICE_ROLE), True


def owner_url(settings: Settings) -> str:
    """The database as its owner, who runs migrations: CLAIMLEDGER_MIGRATION_DATABASE_URL,
    else DATABASE_URL, else the embedded server's superuser."""
    configured = settings.migration_database_url or settings.database_url
    if configured:
        return configured
    server = EmbeddedPostgres(settings.data_dir / "pgdata")
    server.start()
    return server.create_database(EMBEDDED_DATABASE)


def upgrade(settings: Settings) -> str:
    """Migrate to head as the owner, then grant the service role its privileges when one is
    configured; returns the revision reached."""
    url = owner_url(settings)
    try:
        migrations.upgrade(url)
        if settings.service_role:
            grant_service_role(url, settings.service_role, settings.service_password)
        current, _head = migrations.revisions(url)
    except (sqlalchemy.exc.OperationalError, psycopg.OperationalError) as error:
        raise StartupError(f"cannot migrate the database: {_first_line(error)}") from None
    return current or "none"


def migrated_url(settings: Settings, *, migrate: bool = False) -> tuple[str, bool]:
    """The database to work on (see database_url), migrated first when asked; a clear
    error when it cannot be reached or its schema is not the one this code needs."""
    if migrate and settings.database_url:
        upgrade(settings)
    url, embedded = database_url(settings)
    try:
        current, head = migrations.revisions(url)
    except sqlalchemy.exc.OperationalError as error:
        raise StartupError(f"cannot reach the database: {_first_line(error)}") from None
    if current != head:
        raise StartupError(
            f"the database schema is at revision {current or 'none'}, this version needs "
            f"{head}: run `claimledger migrate` first (or `claimledger serve --migrate`)"
        )
    return url, embedded


def _first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


def access_policy(settings: Settings, *, tell: bool = True) -> Access:
    """The configured keys and limits. With no key configured, one write key is made for
    this data folder and kept in `<data dir>/api-key` (readable by its owner only), and
    where it is kept is printed when `tell`."""
    keys = settings.api_keys
    if not keys:
        path = settings.data_dir / "api-key"
        if path.is_file():
            key = path.read_text().strip()
        else:
            key, _ = new_key("local", "write")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(key + "\n")
        keys = (ApiKey("local", "write", digest(key)),)
        if tell:
            print(f"claimledger: no CLAIMLEDGER_API_KEYS set; writes take the key in {path}")
    limiter = None
    if settings.rate_per_minute:
        limiter = RateLimiter(settings.rate_per_minute, settings.rate_burst)
    streams = StreamSlots(settings.max_streams, settings.max_streams_per_caller)
    return Access(keys=keys, open_reads=settings.open_reads, limiter=limiter, streams=streams)


def served_app(build: Callable[[], Services], **options: Any) -> Any:
    """The ASGI app a server runs: the API (`create_app`, which takes the `options`), with
    held places' answers in front of it, HTTP caching in front of both, every request given
    an id, counted and logged in front of that (`access_log`, `metrics`), and HEAD answered
    for every GET in front of everything."""
    from service.http.app import create_app
    from service.http.caching import HttpCaching
    from service.http.head import HeadAsGet
    from service.http.held import HeldAnswers
    from service.http.observing import Observed

    access_log, metrics = options.pop("access_log", True), options.pop("metrics", True)
    api = HttpCaching(HeldAnswers(create_app(build, **options)))
    return HeadAsGet(Observed(api, access_log=access_log, metrics=metrics))


def configured_app(settings: Settings, url: str, access: Access, *, run_projector: bool) -> Any:
    """The served app as the settings configure it, on the database at `url`."""
    return served_app(
        lambda: Services.build(url, settings.write_timeouts, settings.model),
        run_projector=run_projector,
        max_body_bytes=settings.max_body_bytes,
        access=access,
        cors_origins=settings.cors_origins,
        place_memory_bytes=settings.place_memory_mb * 1024 * 1024,
        ready_max_lag=settings.ready_max_lag,
        map_tiles=settings.map_tiles,
        keyed_bodies=settings.keyed_bodies,
        access_log=settings.access_log,
        metrics=settings.metrics,
    )
