"""`serve`: the HTTP API in one process, or in several on one port."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from typing import Any

from infra.postgres.roles import privileges
from infra.readmodels.projector import Projector
from service.bootstrap import access_policy, configured_app, migrated_url
from service.cli.errors import CommandError
from service.logs import configure as configure_logs
from service.settings import Settings


def serve(settings: Settings, args: argparse.Namespace) -> int:
    """Run the HTTP API, with the projector in a background thread unless told not to. With
    several workers, each is a process of its own on the same port, and the projector runs
    in the process that started them."""
    import uvicorn

    workers = settings.workers if args.workers is None else args.workers
    if workers < 1:
        raise CommandError("workers (--workers, CLAIMLEDGER_WORKERS) must be at least 1")
    configure_logs(settings.log_level, settings.log_format)
    url, embedded = migrated_url(settings, migrate=bool(args.migrate))
    host, port = args.host or settings.host, args.port or settings.port
    listener = _listening(host, port)
    powers = privileges(url)
    if powers.superuser or powers.can_create:
        print(
            f"claimledger: warning: the service connects as {powers.role}, which can change the"
            " schema; give it a service role (README, Security)",
            flush=True,
        )
    where = "embedded PostgreSQL in " + str(settings.data_dir) if embedded else "DATABASE_URL"
    print(
        f"claimledger: serving on http://{host}:{port} (database: {where};"
        f" {workers} worker{'s' if workers > 1 else ''})",
        flush=True,
    )
    run_projector = settings.run_projector and not args.no_projector
    access = access_policy(settings)  # makes the local key, if any, before workers read it
    # uvicorn re-raises SIGTERM once it has shut down; exit normally instead, so that exit
    # handlers (which stop an embedded database) run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Open event streams would hold a shutdown forever; they are cut after a few seconds.
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        # The app logs each request itself (service.http.observing), as service.logs says.
        "log_config": None,
        "access_log": False,
        "timeout_graceful_shutdown": 5,
        # Callers are told apart by key, else by the address that connected (README,
        # Security): forwarding headers are not read, whoever sends them.
        "proxy_headers": False,
    }
    if workers == 1:
        app = configured_app(settings, url, access, run_projector=run_projector)
        uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=[listener])
        return 0
    from service.cli.workers import WorkerFailed, supervise

    stop_projector = Projector(url).follow_in_background() if run_projector else None
    try:
        supervise(workers, serve_worker, (url, options), listener)
    except WorkerFailed as error:
        raise CommandError(str(error)) from None
    finally:
        if stop_projector is not None:
            stop_projector()
    return 0


def _listening(host: str, port: int) -> socket.socket:
    """The server's listening socket, taken before anything is announced, or the reason
    there is none."""
    from service.cli.workers import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise CommandError(
            f"cannot listen on {host}:{port}: {reason}; choose another port with --port"
            " (or CLAIMLEDGER_PORT)"
        ) from None


def serve_worker(url: str, options: dict[str, Any], channel: socket.socket) -> None:
    """One process of `serve --workers N`: the app, serving the connections its starter
    hands it over `channel`."""
    import uvicorn

    from service.cli.workers import HandedConnections

    settings = Settings.from_env()
    configure_logs(settings.log_level, settings.log_format)
    app = configured_app(settings, url, access_policy(settings, tell=False), run_projector=False)
    HandedConnections(uvicorn.Config(app, **options), channel).run()
