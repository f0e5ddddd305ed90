"""The `claimledger` command line."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from domain.vocabulary import ClaimKind, Side
from infra.readmodels import BATCH_SIZE

SIDES = tuple(side.value for side in Side)
KINDS = tuple(kind.value for kind in ClaimKind)


def parser() -> argparse.ArgumentParser:
    """Every subcommand and its options."""
    root = argparse.ArgumentParser(
        prog="claimledger",
        description="Attributed, contested claims about places in war reporting.",
    )
    sub = root.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP API (and the projector)")
    serve.add_argument("--host", help="address to bind (default CLAIMLEDGER_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default CLAIMLEDGER_PORT or 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        help="server processes on the port (default CLAIMLEDGER_WORKERS or 1)",
    )
    serve.add_argument(
        "--no-projector", action="store_true", help="do not run the projector inside the server"
    )
    serve.add_argument(
        "--migrate",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="migrate before serving (default: only on the embedded database)",
    )

    sub.add_parser("migrate", help="run the database migrations up to head")

    keys = sub.add_parser("keys", help="make a new API key and print its configuration entry")
    keys.add_argument("--name", required=True, help="a name for the caller, used in logs")
    keys.add_argument(
        "--role", choices=["read", "write"], default="write", help="what the key may do"
    )

    project = sub.add_parser("project", help="run the projector alone")
    project.add_argument(
        "--once", action="store_true", help="catch up and exit instead of following new events"
    )
    project.add_argument(
        "--reset",
        action="store_true",
        help="empty the read models first and project from the first event",
    )
    project.add_argument(
        "--check",
        action="store_true",
        help="exit 0 when a projector follows the store within the allowed lag, 1 otherwise"
        " (a health check)",
    )

    projections = sub.add_parser("projections", help="manage the read models")
    actions = projections.add_subparsers(dest="action", required=True, metavar="ACTION")
    rebuild = actions.add_parser(
        "rebuild",
        help="rebuild every read model from the first event while the old ones keep serving",
    )
    rebuild.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, help="events read and written per batch"
    )

    verify = sub.add_parser(
        "verify",
        help="compare the read models with a fresh replay of the events (exit 1 if they differ)",
    )
    verify.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, help="events read and replayed per batch"
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")

    reread = sub.add_parser(
        "reextract",
        help="read stored articles again with the current extractor, appending the difference",
    )
    reread.add_argument("--batch-size", type=int, default=200, help="articles per batch")

    ingest = sub.add_parser("ingest", help="ingest article JSON or NDJSON files")
    ingest.add_argument("paths", nargs="+", help="files (.json, .ndjson) or folders")
    ingest.add_argument(
        "--gold", metavar="DIR", help="a folder of gold annotation files named like the articles"
    )
    ingest.add_argument(
        "--batch-size", type=int, default=200, help="articles per transaction (at most 500)"
    )

    openapi = sub.add_parser("openapi", help="write the OpenAPI document")
    openapi.add_argument(
        "--output", default="openapi/openapi.json", help="file to write, or - for standard output"
    )

    _reads(sub)

    extract = sub.add_parser("extract", help="read claims out of article files (no database)")
    extract.add_argument("files", nargs="+", help="article JSON files in the corpus shape")

    _evaluation(sub)

    bench = sub.add_parser(
        "bench", help="measure ingest, queries, rebuild, feed, extraction and memory"
    )
    size = bench.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="a small run, under a minute")
    size.add_argument("--tiny", action="store_true", help="the smallest run, to check it works")
    bench.add_argument("--output", default="bench-results.json", help="the JSON file to write")
    bench.add_argument("--seed", type=int, default=7, help="seed of the synthetic history")
    bench.add_argument(
        "--profile", metavar="DIR", help="also sample the server with py-spy, into DIR"
    )
    return root


def _reads(sub: Any) -> None:
    """`query` and `replay`: a place's claims, from the database or a running service."""
    for name, help_text in (
        ("query", "what was claimed about a place as of a date (a table unless --format)"),
        ("replay", "what the API answered about a place at an instant of record time (JSON)"),
    ):
        query = sub.add_parser(name, help=help_text)
        query.add_argument("place", help="a place name in any spelling, or a place id")
        query.add_argument("--as-of", help="claim date YYYY-MM-DD (default: today)")
        query.add_argument(
            "--known-at", help="record time, ISO 8601 (default: now; UTC when no offset)"
        )
        query.add_argument(
            "--side", action="append", choices=SIDES, help="only claims by this side"
        )
        query.add_argument(
            "--kind", action="append", choices=KINDS, help="only claims of this kind"
        )
        query.add_argument(
            "--first",
            action="store_true",
            help="when several places have the name, take the most populous",
        )
        query.add_argument(
            "--descendants", action="store_true", help="include the places inside this one"
        )
        query.add_argument(
            "--format",
            choices=("table", "json", "csv", "geojson"),
            default="table" if name == "query" else "json",
            help=f"how to print the answer (default: {'table' if name == 'query' else 'json'})",
        )
        query.add_argument(
            "--api", metavar="URL", help="ask a running service at URL instead of the database"
        )
        query.add_argument(
            "--key", help="the API key to send with --api (default: CLAIMLEDGER_API_KEY)"
        )


def _evaluation(sub: Any) -> None:
    """The `eval` subcommand's options."""
    evaluate = sub.add_parser("eval", help="score the extractor on a gold-annotated corpus")
    evaluate.add_argument(
        "corpus_dir", nargs="?", help="folder with articles/ and gold/ (default: corpus setting)"
    )
    evaluate.add_argument(
        "--verbose", "-v", action="store_true", help="list what was missed and what was wrong"
    )
    evaluate.add_argument(
        "--errors", action="store_true", help="count the errors by class (with -v: list them)"
    )
    evaluate.add_argument(
        "--reader",
        choices=("rules", "model"),
        default="rules",
        help="which reader to score: the rules, or the model CLAIMLEDGER_MODEL_URL and"
        " CLAIMLEDGER_MODEL name (then its cost is printed too)",
    )
    evaluate.add_argument(
        "--untouched",
        metavar="FILE",
        help="JSON file whose `untouched` ids are reported apart, first"
        " (default: the project's tests/fixtures/untouched.json, when it exists)",
    )


# Where each subcommand is, imported only when it runs (so that `--help` stays quick).
_COMMANDS = {
    "serve": "serving:serve",
    "migrate": "admin:migrate",
    "keys": "admin:keys",
    "project": "admin:project",
    "projections": "admin:projections",
    "verify": "admin:verify",
    "openapi": "admin:openapi",
    "bench": "admin:bench",
    "reextract": "ledger:reextract",
    "ingest": "ledger:ingest",
    "query": "ledger:query",
    "replay": "ledger:replay",
    "extract": "reading:extract",
    "eval": "reading:eval_",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; returns the process exit status."""
    args = parser().parse_args(argv)
    from service.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"claimledger: {error}", file=sys.stderr)
        return 2
    from service.bootstrap import StartupError
    from service.cli.errors import CommandError

    module, _, function = _COMMANDS[args.command].partition(":")
    command = getattr(importlib.import_module(f"service.cli.{module}"), function)
    try:
        return int(command(settings, args) or 0)
    except (CommandError, StartupError) as error:
        print(f"claimledger {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
