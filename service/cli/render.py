"""Terminal output: progress bars and readable tables."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infra.readmodels.verify import Verification
from service.app.schemas import PlaceClaims


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar over `total` items; yields a function to advance it."""
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(label, total=total)
        yield lambda count: progress.advance(task, count)


def ingest_progress(total: int) -> contextlib.AbstractContextManager[Callable[[int], None]]:
    """A progress bar over `total` articles."""
    return progress_bar("ingesting", total)


def claims_table(answer: PlaceClaims) -> None:
    """Print a place's claims as of a date, with the summary under them: readable at 80
    columns (the claim and the voices wrap; nothing is cut)."""
    console = Console()
    table = Table(
        title=f"{answer.place.name} ({answer.place.id}) as of {answer.as_of}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("claimed on", no_wrap=True)
    table.add_column("claim", ratio=2, overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("src", justify="right", no_wrap=True)
    table.add_column("voices; contested by", ratio=3, overflow="fold")
    for claim in answer.claims:
        kind = claim.kind.value.replace("_", " ") + (f" {claim.extent:.0%}" if claim.extent else "")
        said = f"{claim.claimant_side.value}: {kind} by {claim.actor_side.value}"
        people = ", ".join(claim.claimants) + "".join(
            f"; {c.by} ({c.side.value}) on {c.contested_on}" for c in claim.contestations
        )
        table.add_row(str(claim.claimed_on), said, claim.status, str(claim.sources), people)
    console.print(table)
    for side, latest in answer.summary.latest.items():
        console.print(
            f"latest by {side}: {latest.kind.value} ({latest.actor_side.value}) "
            f"on {latest.claimed_on}, {latest.status}"
        )
    console.print(
        "disputed: "
        + ("yes, " + "; ".join(answer.summary.reasons) if answer.summary.disputed else "no")
    )


def verification_lines(result: Verification) -> list[str]:
    """A verification as lines of text: where each projection stood, then each table beside
    its replay, with a few keys of the rows that differ."""
    lines = [
        f"replayed {result.replayed:,} events; the store's last position is"
        f" {result.last_position:,}"
    ]
    for tracking in result.projections:
        if tracking.behind:
            lines.append(
                f"projection {tracking.projection}: at position {tracking.position:,},"
                f" {tracking.behind:,} events behind the store (not projected yet,"
                " so not compared)"
            )
        else:
            lines.append(f"projection {tracking.projection}: up to date at {tracking.position:,}")
    width = max((len(t.table) for t in result.tables), default=0)
    for check in result.tables:
        rows = f"{check.rows:>9,} rows"
        if check.identical:
            lines.append(f"  {check.table:<{width}} {rows}  identical")
            continue
        lines.append(
            f"  {check.table:<{width}} {rows}  DIFFERENT (replay: {check.replayed:,} rows):"
            f" {check.missing:,} missing from the read model,"
            f" {check.unexpected:,} not given by the replay"
        )
        lines.extend(_sample_lines(check.missing_keys, check.unexpected_keys))
    return lines


def _sample_lines(missing: list[dict[str, Any]], unexpected: list[dict[str, Any]]) -> list[str]:
    """Sample keys, a key on both sides being one row whose values differ."""
    both = [key for key in missing if key in unexpected]
    return [
        *(f"      changed    {_key(key)}" for key in both),
        *(f"      missing    {_key(key)}" for key in missing if key not in both),
        *(f"      unexpected {_key(key)}" for key in unexpected if key not in both),
    ]


def _key(key: dict[str, Any]) -> str:
    return ", ".join(f"{column}={value}" for column, value in key.items())


def place_feature(answer: PlaceClaims) -> dict[str, Any]:
    """A place's claims as a GeoJSON FeatureCollection of one feature: the place's point
    (none when it has no coordinates) with the claims and the summary as properties."""
    place = answer.place
    point = (
        {"type": "Point", "coordinates": [place.lon, place.lat]}
        if place.lat is not None and place.lon is not None
        else None
    )
    properties = {
        "name": place.name,
        "as_of": answer.as_of,
        "known_at": answer.known_at,
        "total": answer.total,
        "summary": answer.summary,
        "claims": answer.claims,
    }
    feature = {"type": "Feature", "id": place.id, "geometry": point}
    return {"type": "FeatureCollection", "features": [{**feature, "properties": properties}]}
