"""Terminal output: progress bars and readable tables."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from service.http.schemas import PlaceClaims


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
    """Print a place's claims as of a date, with the summary under them."""
    console = Console()
    table = Table(title=f"{answer.place.name} ({answer.place.id}) as of {answer.as_of}")
    for column in ("claimed on", "said by", "actor", "kind", "status", "sources"):
        table.add_column(column, no_wrap=True)
    table.add_column("claimants and contestations")
    for claim in answer.claims:
        kind = claim.kind.value + (f" {claim.extent:.0%}" if claim.extent else "")
        people = ", ".join(claim.claimants) + "".join(
            f"\ncontested by {c.by} ({c.side.value}) on {c.contested_on}"
            for c in claim.contestations
        )
        table.add_row(
            str(claim.claimed_on),
            claim.claimant_side.value,
            claim.actor_side.value,
            kind,
            claim.status,
            str(claim.sources),
            people,
        )
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
