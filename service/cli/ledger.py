"""Commands on the ledger: ingest, re-read, and ask what was claimed about a place."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import msgspec

from domain.places import Gazetteer, Place
from domain.vocabulary import ClaimKind, Side
from service.app.errors import InvalidInput, NotFound
from service.app.reads import PlaceQuery
from service.app.schemas import ArticleIn, PlaceClaims
from service.app.services import Services
from service.app.submissions import to_submissions
from service.bootstrap import migrated_url
from service.cli.articles_io import ArticleFileError, read_articles
from service.cli.errors import CommandError
from service.cli.render import claims_table, ingest_progress, place_feature, progress_bar
from service.http.formats import claims_csv
from service.http.resource import instant
from service.settings import Settings


def reextract(settings: Settings, args: argparse.Namespace) -> int:
    """Read every stored article again with the current extractor; append the difference."""
    from infra.readmodels.stored_articles import article_count
    from service.app.reextraction import reextract as reread

    if not 1 <= args.batch_size <= 5_000:
        raise CommandError("--batch-size must be between 1 and 5000")
    url, _ = migrated_url(settings)
    services = Services.build(url, settings.write_timeouts, settings.model)
    name = services.reader.name
    try:
        with progress_bar("re-reading", article_count(url)) as advance:
            totals = reread(services, args.batch_size, on_batch=advance)
    finally:
        services.close()
    print(
        f"claimledger: {name} read {totals.articles} articles ({totals.skipped} annotated"
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
    services = Services.build(url, settings.write_timeouts, settings.model)
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


_PAGE = 500
"""Claims read at a time; `query` and `replay` read every page."""


def query(settings: Settings, args: argparse.Namespace) -> int:
    """Print what was claimed about a place as of a date (as known then): as a table, or
    as JSON, CSV or GeoJSON; from the database, or with --api from a running service."""
    answer = _api_answer(args) if args.api else _place_answer(settings, args)
    _print(answer, args.format)
    return 0


def replay(settings: Settings, args: argparse.Namespace) -> int:
    """Print what `GET /places/{id}/claims` answered (or would have) at an instant of record
    time, for a claim date: every page, as JSON unless told otherwise."""
    return query(settings, args)


def _print(answer: PlaceClaims, form: str) -> None:
    if form == "table":
        claims_table(answer)
    elif form == "csv":
        sys.stdout.buffer.write(claims_csv(answer.claims))
    else:
        shaped = place_feature(answer) if form == "geojson" else answer
        sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(shaped)) + b"\n")


def _api_answer(args: argparse.Namespace) -> PlaceClaims:
    """The place's claims from a running service, every page of them (each as known at the
    first page's instant), as the database would have answered."""
    from claimledger_client import Claimledger, ClaimledgerError
    from httpx import HTTPError

    key = args.key or os.environ.get("CLAIMLEDGER_API_KEY") or None
    params = {
        "as_of": args.as_of,
        "known_at": args.known_at,
        "side": args.side or [],
        "kind": args.kind or [],
        "include": "descendants" if args.descendants else None,
        "limit": _PAGE,
    }
    path = f"/places/{quote(args.place, safe=':')}/claims"
    try:
        with Claimledger(args.api, key=key, retries=3) as ledger:
            pages = [r.json() for r in ledger.pages(path, {k: v for k, v in params.items() if v})]
    except ClaimledgerError as error:
        raise CommandError(f"the service refused: {error}") from None
    except HTTPError as error:
        raise CommandError(f"cannot reach the service at {args.api}: {error}") from None
    whole = {**pages[0], "claims": [c for page in pages for c in page["claims"]]}
    whole["limit"] = max(len(whole["claims"]), 1)
    try:
        return msgspec.convert(whole, PlaceClaims)
    except msgspec.ValidationError as error:
        raise CommandError(
            f"the service answers in a shape this command does not know ({error})"
        ) from None


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
    services = Services.build(url, settings.write_timeouts, settings.model)
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
            place = _one_place(readings.gazetteer, args.place, first=args.first)
            sides = [msgspec.convert(s, type=Side) for s in args.side or []]
            kinds = [msgspec.convert(k, type=ClaimKind) for k in args.kind or []]
        except (NotFound, msgspec.ValidationError) as error:
            raise CommandError(str(error)) from None
        query = PlaceQuery(
            place,
            as_of,
            known_at,
            sides=sides,
            kinds=kinds,
            descendants=args.descendants,
            limit=_PAGE,
        )
        # Every page as known at the first one's instant, so that no write in between
        # shifts them.
        first = (await readings.place_claims(query)).decoded()
        claims = list(first.claims)
        while len(claims) < first.total:
            pinned = replace(query, known_at=first.known_at, offset=len(claims))
            page = (await readings.place_claims(pinned)).decoded()
            if not page.claims:
                break
            claims.extend(page.claims)
        return msgspec.structs.replace(first, claims=claims, limit=max(len(claims), 1))
    finally:
        await pool.close()


DOMINANT = 10
"""A homonym this many times more populous than the next is the place a name means."""


def _one_place(gazetteer: Gazetteer, name: str, *, first: bool) -> Place:
    """The place a name (or id) means: the only one of that name, or one so much more
    populous than the others that nobody means them; else CommandError listing the
    candidates, unless `first` takes the best ranked."""
    homonyms = [] if gazetteer.get(name.strip()) else gazetteer.named(name)
    if len(homonyms) > 1 and not first:
        best, runner_up = homonyms[0].population or 0, homonyms[1].population or 0
        if best < DOMINANT * max(runner_up, 1):
            lines = [
                f"  {p.id:22} {p.name:24} {_region(gazetteer, p):28} {p.population or '-':>9}"
                for p in homonyms[:20]
            ]
            more = f"\n  ... and {len(homonyms) - 20} more" if len(homonyms) > 20 else ""
            raise CommandError(
                f"{len(homonyms)} places are called {name!r}; name one by its id, or pass"
                f" --first for the most populous:\n  {'id':22} {'name':24} {'region':28}"
                f" {'people':>9}\n" + "\n".join(lines) + more
            )
    place = gazetteer.get(name.strip()) or gazetteer.resolve(name)
    if place is None:
        raise NotFound("place", name)
    return place


def _region(gazetteer: Gazetteer, place: Place) -> str:
    parent = gazetteer.get(place.parent) if place.parent else None
    return parent.name if parent else "-"


def _name_files(error: InvalidInput, batch: list[tuple[str, ArticleIn]]) -> str:
    """Problems of a batch, each named by its file instead of its index."""
    lines = []
    for problem in error.problems:
        head, _, rest = problem.field.partition("].")
        index = int(head.removeprefix("articles["))
        lines.append(f"{batch[index][0]}: {rest}: {problem.message}")
    return "nothing was written; fix these and run again:\n  " + "\n  ".join(lines)
