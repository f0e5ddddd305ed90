"""What each subcommand does; the parser lives in service.cli."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec
import psycopg
import sqlalchemy.exc

from domain.events import DateWindow
from domain.extraction import Extraction, Extractor
from domain.vocabulary import ClaimKind, Side
from infra.postgres import migrate as migrations
from infra.postgres.database import with_user
from infra.postgres.embedded import EmbeddedPostgres
from infra.postgres.roles import grant_service_role, privileges
from infra.readmodels.projector import Projector
from service.access import Access, ApiKey, RateLimiter, StreamSlots, digest, new_key
from service.articles_io import ArticleFileError, read_articles
from service.bootstrap import Services
from service.errors import InvalidInput, NotFound
from service.http.resource import instant
from service.http.schemas import ArticleIn, PlaceClaims
from service.render import claims_table, ingest_progress, progress_bar, verification_lines
from service.settings import Settings
from service.submissions import to_submissions

EMBEDDED_DATABASE = "claimledger"
EMBEDDED_SERVICE_ROLE = "claimledger_service"
_NO_DATABASE = "postgresql:///unused"


class CommandError(Exception):
    """A command that cannot go on; its message is for the user."""


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
        raise CommandError(f"cannot migrate the database: {_first_line(error)}") from None
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
        raise CommandError(f"cannot reach the database: {_first_line(error)}") from None
    if current != head:
        raise CommandError(
            f"the database schema is at revision {current or 'none'}, this version needs "
            f"{head}: run `claimledger migrate` first (or `claimledger serve --migrate`)"
        )
    return url, embedded


def _first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


def serve(settings: Settings, args: argparse.Namespace) -> int:
    """Run the HTTP API, with the projector in a background thread unless told not to. With
    several workers, each is a process of its own on the same port, and the projector runs
    in the process that started them."""
    import uvicorn

    workers = settings.workers if args.workers is None else args.workers
    if workers < 1:
        raise CommandError("workers (--workers, CLAIMLEDGER_WORKERS) must be at least 1")
    url, embedded = migrated_url(settings, migrate=bool(args.migrate))
    host, port = args.host or settings.host, args.port or settings.port
    listener = _listening(host, port) if workers > 1 else None
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
        "log_level": "info",
        "access_log": settings.access_log,
        "timeout_graceful_shutdown": 5,
        # Callers are told apart by key, else by the address that connected (README,
        # Security): forwarding headers are not read, whoever sends them.
        "proxy_headers": False,
    }
    if listener is None:
        uvicorn.run(_app(settings, url, access, run_projector=run_projector), **options)
        return 0
    from service.workers import WorkerFailed, supervise

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
    """The listening socket of `serve --workers N`, or the reason there is none."""
    from service.workers import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise CommandError(f"cannot listen on {host}:{port}: {reason}") from None


def serve_worker(url: str, options: dict[str, Any], channel: socket.socket) -> None:
    """One process of `serve --workers N`: the app, serving the connections its starter
    hands it over `channel`."""
    import uvicorn

    from service.workers import HandedConnections

    settings = Settings.from_env()
    app = _app(settings, url, access_policy(settings, tell=False), run_projector=False)
    HandedConnections(uvicorn.Config(app, **options), channel).run()


def _app(settings: Settings, url: str, access: Access, *, run_projector: bool) -> Any:
    """The ASGI app a server runs: the API, with held places' answers in front of it."""
    from service.http.app import create_app
    from service.http.held import HeldAnswers

    return HeldAnswers(
        create_app(
            lambda: Services.build(url, settings.write_timeouts),
            run_projector=run_projector,
            max_body_bytes=settings.max_body_bytes,
            access=access,
            cors_origins=settings.cors_origins,
            place_memory_bytes=settings.place_memory_mb * 1024 * 1024,
            ready_max_lag=settings.ready_max_lag,
        )
    )


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
    """Run the projector alone: catch up, then follow (or stop with --once)."""
    url, _ = migrated_url(settings)
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


def reextract(settings: Settings, args: argparse.Namespace) -> int:
    """Read every stored article again with the current extractor; append the difference."""
    from infra.readmodels.stored_articles import article_count
    from service.reextraction import CURRENT
    from service.reextraction import reextract as reread

    if not 1 <= args.batch_size <= 5_000:
        raise CommandError("--batch-size must be between 1 and 5000")
    url, _ = migrated_url(settings)
    services = Services.build(url, settings.write_timeouts)
    try:
        with progress_bar("re-reading", article_count(url)) as advance:
            totals = reread(services, args.batch_size, on_batch=advance)
    finally:
        services.close()
    print(
        f"claimledger: {CURRENT} read {totals.articles} articles ({totals.skipped} annotated"
        f" by analysts left alone): {totals.recorded} claims recorded, {totals.retracted}"
        f" withdrawn, {totals.contested} contestations added"
    )
    return 0


def ingest(settings: Settings, args: argparse.Namespace) -> int:
    """Ingest article files in batches, with a progress bar and a summary."""
    if not 1 <= args.batch_size <= 500:
        raise CommandError("--batch-size must be between 1 and 500")
    try:
        named = read_articles([Path(p) for p in args.paths], Path(args.gold) if args.gold else None)
    except ArticleFileError as error:
        raise CommandError(str(error)) from None
    url, _ = migrated_url(settings)
    services = Services.build(url, settings.write_timeouts)
    created = existing = events = 0
    try:
        with ingest_progress(len(named)) as advance:
            for start in range(0, len(named), args.batch_size):
                batch = named[start : start + args.batch_size]
                try:
                    submissions = to_submissions(
                        [a for _, a in batch], services.gazetteer, services.reader
                    )
                except InvalidInput as error:
                    raise CommandError(_name_files(error, batch)) from None
                for outcome in services.ledger.ingest(submissions):
                    created += outcome.created
                    existing += not outcome.created
                    events += outcome.events
                advance(len(batch))
    finally:
        services.close()
    print(f"claimledger: {created} new articles, {existing} already held, {events} events appended")
    return 0


def openapi(settings: Settings, args: argparse.Namespace) -> int:
    """Write the app's OpenAPI document (no database needed)."""
    from service.http.app import create_app, openapi_json

    document = openapi_json(create_app(lambda: Services.build(_NO_DATABASE)))
    if args.output == "-":
        sys.stdout.buffer.write(document)
    else:
        Path(args.output).write_bytes(document)
    return 0


def query(settings: Settings, args: argparse.Namespace) -> int:
    """Print what was claimed about a place as of a date (as known then), as a table."""
    claims_table(_place_answer(settings, args))
    return 0


def replay(settings: Settings, args: argparse.Namespace) -> int:
    """Print, as JSON, what `GET /places/{id}/claims` answered (or would have) at an
    instant of record time, for a claim date."""
    answer = _place_answer(settings, args)
    sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(answer)) + b"\n")
    return 0


def _place_answer(settings: Settings, args: argparse.Namespace) -> PlaceClaims:
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        raise CommandError(f"--as-of {args.as_of!r} is not a date (YYYY-MM-DD)") from None
    try:
        known_at = instant(datetime.fromisoformat(args.known_at) if args.known_at else None)
    except ValueError:
        raise CommandError(
            f"--known-at {args.known_at!r} is not an instant (ISO 8601, e.g. 2025-11-21T12:00Z)"
        ) from None
    url, _ = migrated_url(settings)
    services = Services.build(url, settings.write_timeouts)
    try:
        return asyncio.run(_query(services, args, as_of, known_at))
    finally:
        services.close()


async def _query(
    services: Services, args: argparse.Namespace, as_of: date, known_at: datetime | None
) -> PlaceClaims:
    pool = services.read_pool(size=2)
    await pool.open()
    try:
        readings = services.readings(pool)
        try:
            place = readings.place(args.place)
            sides = [msgspec.convert(s, type=Side) for s in args.side or []]
            kinds = [msgspec.convert(k, type=ClaimKind) for k in args.kind or []]
        except (NotFound, msgspec.ValidationError) as error:
            raise CommandError(str(error)) from None
        answer = await readings.place_claims(
            place,
            as_of,
            known_at,
            sides=sides,
            kinds=kinds,
            descendants=args.descendants,
            limit=500,
            offset=0,
        )
        return answer.decoded()
    finally:
        await pool.close()


def extract(settings: Settings, args: argparse.Namespace) -> int:
    """Print one JSON line of claims and contestations per article file."""
    from infra.reference.gazetteer import default_gazetteer

    extractor = Extractor(default_gazetteer())
    for name in args.files:
        body, published, language = _corpus_article(Path(name))
        line = _extraction_line(Path(name).name, extractor.extract(body, published, language))
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


def _corpus_article(path: Path) -> tuple[str, date, str | None]:
    """Body, publication date and language of an article file in the corpus shape."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        published = raw.get("published_on") or raw.get("published")
        return str(raw["body"]), date.fromisoformat(published), raw.get("language")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{path}: not an article with a body and a date ({error})") from None


def _extraction_line(name: str, extraction: Extraction) -> dict[str, Any]:
    """One output line: the file's claims and contestations as JSON-ready values."""
    return {
        "article": name,
        "language": extraction.language,
        "extractor": {"name": extraction.extractor, "version": extraction.version},
        "claims": [
            {
                "id": c.id,
                "place": {"id": c.place_id, "name": c.place_name},
                "claimant": c.claimant,
                "claimant_side": c.claimant_side.value,
                "actor_side": c.actor_side.value,
                "kind": c.kind.value,
                "extent": c.extent,
                "claimed_on": c.claimed_on.isoformat(),
                "claimed_window": _window(c.claimed_window),
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
                "confidence": c.confidence,
            }
            for c in extraction.claims
        ],
        "contestations": [
            {
                "contests": k.contests,
                "by": k.by,
                "by_side": k.by_side.value,
                "contested_on": k.contested_on.isoformat(),
                "contested_window": _window(k.contested_window),
                "quote": k.quote,
                "start": k.start,
                "end": k.end,
            }
            for k in extraction.contestations
        ],
    }


def _window(window: DateWindow | None) -> list[str] | None:
    return [window.start.isoformat(), window.end.isoformat()] if window else None


def eval_(settings: Settings, args: argparse.Namespace) -> int:
    """Print per-article and total precision, recall and F1 of the extractor on a corpus."""
    from infra.reference.gazetteer import default_gazetteer
    from service.evaluation import evaluate_corpus, report

    corpus = Path(args.corpus_dir) if args.corpus_dir else settings.corpus_dir
    if not (corpus / "articles").is_dir() or not (corpus / "gold").is_dir():
        raise CommandError(f"{corpus}: no articles/ and gold/ folders here")
    gazetteer = default_gazetteer()
    evaluation = evaluate_corpus(corpus, Extractor(gazetteer), gazetteer)
    untouched = _untouched(Path(args.untouched) if args.untouched else None, corpus)
    for line in report(evaluation, args.verbose, args.errors, untouched):
        print(line)
    return 0


UNTOUCHED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "untouched.json"


def _untouched(path: Path | None, corpus: Path) -> set[str]:
    """The ids of the articles kept apart from tuning: those `path` lists, or those the
    project's file lists when the corpus is the one it names (its folder's name)."""
    try:
        if path is not None:
            return {str(i) for i in json.loads(path.read_text(encoding="utf-8"))["untouched"]}
        if not UNTOUCHED.is_file():
            return set()
        listed = json.loads(UNTOUCHED.read_text(encoding="utf-8"))
        if listed["corpus"] != corpus.resolve().name:
            return set()
        return {str(i) for i in listed["untouched"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{path}: not a file of untouched article ids ({error})") from None


def bench(settings: Settings, args: argparse.Namespace) -> int:
    """Run the benchmarks on a scratch database; print the figures and write them as JSON."""
    try:
        from bench.suite import plan_for, run
    except ImportError as error:
        raise CommandError(f"the benchmarks need a source checkout ({error})") from None
    profile = Path(args.profile) if args.profile else None
    run(plan_for(args.quick, args.tiny), Path(args.output), seed=args.seed, profile=profile)
    return 0


def _name_files(error: InvalidInput, batch: list[tuple[str, ArticleIn]]) -> str:
    """Problems of a batch, each named by its file instead of its index."""
    lines = []
    for problem in error.problems:
        head, _, rest = problem.field.partition("].")
        index = int(head.removeprefix("articles["))
        lines.append(f"{batch[index][0]}: {rest}: {problem.message}")
    return "nothing was written; fix these and run again:\n  " + "\n  ".join(lines)
