"""Commands that keep the service: keys, migrations, the projector, the read models, the
OpenAPI document and the benchmarks."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import msgspec

from infra.readmodels.projector import Projector
from service.access import new_key
from service.app.services import Services
from service.bootstrap import migrated_url, owner_url, upgrade
from service.cli.errors import CommandError
from service.cli.render import progress_bar, verification_lines
from service.settings import Settings

_NO_DATABASE = "postgresql:///unused"


def keys(settings: Settings, args: argparse.Namespace) -> int:
    """Make a new API key: print the key once, and the entry to configure."""
    key, record = new_key(args.name, args.role)
    print(f"key:   {key}")
    print(f"entry: {record.entry()}")
    print("Give the key to the caller; add the entry to CLAIMLEDGER_API_KEYS (comma separated).")
    return 0


def migrate(settings: Settings, args: argparse.Namespace) -> int:
    """Migrate the database to head as its owner; grant the service role when configured."""
    revision = upgrade(settings)
    print(f"claimledger: database at revision {revision}")
    if settings.service_role:
        print(
            f"claimledger: role {settings.service_role} may read and write, not change the schema"
        )
    return 0


def project(settings: Settings, args: argparse.Namespace) -> int:
    """Run the projector alone: catch up, then follow (or stop with --once); with --check,
    only say whether one follows the store within CLAIMLEDGER_READY_MAX_LAG."""
    url, _ = migrated_url(settings)
    if args.check:
        return _projector_check(url, settings.ready_max_lag)
    projector = Projector(url)
    if args.reset:
        projector.reset()
    count = projector.catch_up()
    print(f"claimledger: projected {count} events; positions {projector.positions()}", flush=True)
    if not args.once:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            projector.follow(stop)
        except KeyboardInterrupt:
            stop.set()
    return 0


def _projector_check(url: str, max_lag: float) -> int:
    """0 when a projector follows the store (in any process) and the oldest event it has
    not applied was recorded at most `max_lag` seconds ago; else 1, saying which."""
    import asyncio

    from psycopg import AsyncConnection
    from psycopg.rows import dict_row

    from infra.postgres.database import psycopg_conninfo
    from infra.readmodels import queries

    async def check() -> tuple[bool, float]:
        async with await AsyncConnection.connect(
            psycopg_conninfo(url), row_factory=dict_row
        ) as conn:
            applied, _ = await queries.claims_progress(conn)
            return await queries.projector_following(conn), await queries.lag_seconds(conn, applied)

    following, lag = asyncio.run(check())
    if not following:
        print("claimledger project --check: no projector follows the store", file=sys.stderr)
        return 1
    if lag > max_lag:
        print(
            f"claimledger project --check: {lag:.1f} s behind (over {max_lag:g} s)", file=sys.stderr
        )
        return 1
    print(f"claimledger: a projector follows the store, {lag:.3f} s behind")
    return 0


def projections(settings: Settings, args: argparse.Namespace) -> int:
    """Manage the read models: `rebuild` them from the first event, as the tables' owner
    when one is configured, so that new tables can be swapped in."""
    from infra.readmodels.rebuild import event_count, rebuild, swaps

    if not 100 <= args.batch_size <= 1_000_000:
        raise CommandError("--batch-size must be between 100 and 1000000")
    migrated_url(settings)
    url = owner_url(settings)
    how = "in new tables, swapped in" if swaps(url) else "in place (its role may not swap tables)"
    started = time.perf_counter()
    with progress_bar("rebuilding", event_count(url)) as advance:
        count = rebuild(url, batch_size=args.batch_size, on_batch=advance)
    seconds = time.perf_counter() - started
    rate = count / seconds if seconds else 0.0
    print(
        f"claimledger: rebuilt the read models {how} from {count} events in {seconds:.1f} s"
        f" ({rate:,.0f} events/s)"
    )
    return 0


def verify(settings: Settings, args: argparse.Namespace) -> int:
    """Compare the read models with a fresh replay of the events they have taken in, in one
    snapshot, writing nothing; 0 when they are identical, 1 when they differ."""
    from infra.readmodels.verify import Replay, Verification, verified

    if not 100 <= args.batch_size <= 1_000_000:
        raise CommandError("--batch-size must be between 100 and 1000000")
    url, _ = migrated_url(settings)

    def run(replay: Replay) -> Verification:
        if args.json:
            return replay.run(args.batch_size)
        with progress_bar("verifying", replay.to_replay) as advance:
            return replay.run(args.batch_size, on_batch=advance)

    result = verified(url, run)
    if args.json:
        report = {"identical": result.identical, **msgspec.to_builtins(result)}
        sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(report)) + b"\n")
    else:
        for line in verification_lines(result):
            print(line)
        differing = [t.table for t in result.tables if not t.identical]
        verdict = (
            f"the read models differ from the replay in {', '.join(differing)}"
            if differing
            else "the read models equal a replay of the events they have taken in"
        )
        print(f"claimledger verify: {verdict}")
    return 0 if result.identical else 1


def openapi(settings: Settings, args: argparse.Namespace) -> int:
    """Write the app's OpenAPI document (no database needed)."""
    from service.http.app import create_app, openapi_json

    document = openapi_json(create_app(lambda: Services.build(_NO_DATABASE)))
    if args.output == "-":
        sys.stdout.buffer.write(document)
    else:
        Path(args.output).write_bytes(document)
    return 0


def bench(settings: Settings, args: argparse.Namespace) -> int:
    """Run the benchmarks on a scratch database (`python -m bench` in a source checkout);
    print the figures and write them as JSON."""
    checkout = Path(__file__).resolve().parents[2]
    if not (checkout / "bench" / "suite.py").is_file():
        raise CommandError(f"the benchmarks need a source checkout (no bench/ in {checkout})")
    options = ["--output", str(Path(args.output).resolve()), "--seed", str(args.seed)]
    options += ["--quick"] if args.quick else ["--tiny"] if args.tiny else []
    options += ["--profile", str(Path(args.profile).resolve())] if args.profile else []
    command = [sys.executable, "-m", "bench", *options]
    return subprocess.run(command, check=False, cwd=checkout).returncode  # noqa: S603
