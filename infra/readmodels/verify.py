"""Verifying the read models: the events replayed afresh, compared row for row with what the
projector wrote.

The replay is written by the same projection code a rebuild runs, into temporary tables
shaped like the read models. PostgreSQL looks a session's temporary tables up before any
schema, so the projections' unqualified table names reach the copies; the comparison names
both sides explicitly. Once the copies exist, everything happens in one REPEATABLE READ,
READ ONLY transaction: the tracking positions, the read models and the events are one
snapshot, and the server itself refuses any write other than to the session's temporary
tables and any row lock (so never the tracking rows' locks that the projector and a rebuild
take). The only locks held are those of plain reads. The transaction is rolled back and the
copies go with the connection.

A rebuild run by the tables' owner puts new tables in the old ones' place (infra.readmodels.shadow),
which a snapshot taken before cannot see as they were: a replay finds that out at its end
and raises `ModelsReplaced`, and `verify` then starts again from a new snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import IsolationLevel, sql

from infra.eventstore.store import EVENTS_TABLE
from infra.postgres.database import psycopg_conninfo
from infra.readmodels import BATCH_SIZE
from infra.readmodels.projections import Projection, all_projections, write
from infra.readmodels.rebuild import read_batches

SAMPLES = 5
COMPARE_WORK_MEM = "128MB"


@dataclass(frozen=True)
class Tracking:
    """Where a projection stood in the snapshot, and how many events the store held after
    that position (not projected yet, so left out of the comparison)."""

    projection: str
    position: int
    behind: int


@dataclass(frozen=True)
class TableCheck:
    """One read-model table beside its replay: row counts, the rows the read model lacks
    (`missing`) and the rows it has that the replay does not give (`unexpected`), each with
    the keys of a few of them."""

    table: str
    rows: int
    replayed: int
    missing: int
    unexpected: int
    missing_keys: list[dict[str, Any]] = field(default_factory=list)
    unexpected_keys: list[dict[str, Any]] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """Whether the table holds exactly the replayed rows."""
        return not self.missing and not self.unexpected


@dataclass(frozen=True)
class Verification:
    """Every read-model table compared with a replay up to its projection's position."""

    last_position: int
    replayed: int
    projections: list[Tracking]
    tables: list[TableCheck]

    @property
    def identical(self) -> bool:
        """Whether every table equals its replay."""
        return all(table.identical for table in self.tables)


@dataclass(frozen=True)
class _Table:
    name: str
    served: sql.Identifier
    copy: sql.Identifier
    key: tuple[str, ...]


class ModelsReplaced(RuntimeError):
    """A rebuild put new read-model tables in place while a snapshot was being verified."""


class Replay:
    """The events of one snapshot, to be replayed beside the read models of that snapshot."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        projections: list[Projection],
        tables: list[_Table],
        relations: list[int],
        conninfo: str,
    ) -> None:
        self._conn = conn
        self._conninfo = conninfo
        self._projections = projections
        self._tables = tables
        self._relations = relations
        self.positions = _positions(conn, [p.name for p in projections])
        self._until = max(self.positions.values(), default=0)
        self.last_position = _scalar(
            conn, f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}"
        )
        self.to_replay = _count_events(conn, "<=", self._until)

    def run(
        self,
        batch_size: int = BATCH_SIZE,
        on_batch: Callable[[int], None] | None = None,
        samples: int = SAMPLES,
    ) -> Verification:
        """Replay each projection's events up to its position, then compare every table."""
        replayed = 0
        if self._until:
            for events in read_batches(self._conn, 0, batch_size, until=self._until):
                with self._conn.cursor() as cur:
                    for projection in self._projections:
                        until = self.positions[projection.name]
                        wanted = [
                            e
                            for e in events
                            if e.topic in projection.topics and e.position <= until
                        ]
                        if wanted:
                            write(cur, projection.changes(wanted), copy=True, settle=False)
                replayed += len(events)
                if on_batch:
                    on_batch(len(events))
            with self._conn.cursor() as cur:
                for projection in self._projections:
                    projection.settle(cur)
        tracking = [
            Tracking(name, position, _count_events(self._conn, ">", position))
            for name, position in self.positions.items()
        ]
        with self._conn.cursor() as cur:
            tables = [_compare(cur, table, samples) for table in self._tables]
        with psycopg.connect(self._conninfo) as now:
            if _relations(now, self._tables) != self._relations:
                raise ModelsReplaced("a rebuild replaced the read models during the replay")
        return Verification(self.last_position, replayed, tracking, tables)


@contextmanager
def replay_snapshot(
    database_url: str, projections: list[Projection] | None = None
) -> Iterator[Replay]:
    """A snapshot of the events and read models with empty copies of the read models to
    replay into; rolled back and dropped on leaving."""
    projections = projections if projections is not None else all_projections()
    names = list(dict.fromkeys(t for p in projections for t in p.tables))
    conninfo = psycopg_conninfo(database_url)
    with psycopg.connect(conninfo) as conn:
        tables = _shadow(conn, names)
        relations = _relations(conn, tables)
        # EXCEPT ALL hashes whole rows; with the default 4 MB it sorts on disk instead.
        conn.execute(sql.SQL("SET work_mem = {}").format(sql.Literal(COMPARE_WORK_MEM)))
        conn.commit()
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        try:
            yield Replay(conn, projections, tables, relations, conninfo)
        finally:
            conn.rollback()


def verify(
    database_url: str,
    projections: list[Projection] | None = None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> Verification:
    """Compare every read model with a fresh replay of the events it has taken in."""
    return verified(database_url, lambda replay: replay.run(batch_size, on_batch), projections)


def verified(
    database_url: str,
    run: Callable[[Replay], Verification],
    projections: list[Projection] | None = None,
    attempts: int = 3,
) -> Verification:
    """`run` on a snapshot, and on a new one each time a rebuild replaced the models
    meanwhile, up to `attempts` snapshots."""
    for attempt in range(1, attempts + 1):
        with replay_snapshot(database_url, projections) as replay:
            try:
                return run(replay)
            except ModelsReplaced:
                if attempt == attempts:
                    raise
    raise AssertionError("unreachable")


_TABLE = """
SELECT n.nspname::text,
       ARRAY(SELECT a.attname::text
             FROM pg_index i
             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = c.oid AND i.indisprimary
             ORDER BY k.ord),
       ARRAY(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass(%s)
"""


def _shadow(conn: psycopg.Connection[Any], names: list[str]) -> list[_Table]:
    """Find each read model's schema and key, then make an empty temporary copy of it."""
    tables = []
    for name in names:
        row = conn.execute(_TABLE, (name,)).fetchone()
        if row is None:
            raise LookupError(f"no read-model table {name!r}")
        schema, key, columns = row
        tables.append(
            _Table(
                name,
                sql.Identifier(schema, name),
                sql.Identifier("pg_temp", name),
                tuple(key or columns),
            )
        )
    for table in tables:
        conn.execute(
            sql.SQL("CREATE TEMP TABLE {} (LIKE {} INCLUDING ALL)").format(
                sql.Identifier(table.name), table.served
            )
        )
    return tables


def _relations(conn: psycopg.Connection[Any], tables: list[_Table]) -> list[int]:
    """The relation each served table's name stands for now."""
    names = [table.served.as_string(conn) for table in tables]
    row = conn.execute(
        "SELECT array_agg(to_regclass(n)::oid::bigint ORDER BY i)"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS t(n, i)",
        (names,),
    ).fetchone()
    return list(row[0]) if row else []


def _positions(conn: psycopg.Connection[Any], names: list[str]) -> dict[str, int]:
    rows = conn.execute(
        "SELECT projection, position FROM projection_tracking WHERE projection = ANY(%s)",
        (names,),
    ).fetchall()
    tracked = {name: int(position) for name, position in rows}
    return {name: tracked.get(name, 0) for name in names}


def _count_events(conn: psycopg.Connection[Any], operator: str, position: int) -> int:
    return _scalar(
        conn, f"SELECT count(*) FROM {EVENTS_TABLE} WHERE notification_id {operator} %s", position
    )


def _scalar(conn: psycopg.Connection[Any], query: str, *params: Any) -> int:
    row = conn.execute(query, params or None).fetchone()
    return int(row[0]) if row else 0


def _compare(cur: psycopg.Cursor[Any], table: _Table, samples: int) -> TableCheck:
    counts = sql.SQL("SELECT (SELECT count(*) FROM {}), (SELECT count(*) FROM {})")
    row = cur.execute(counts.format(table.served, table.copy)).fetchone()
    rows, replayed = row if row else (0, 0)
    missing, missing_keys = _difference(cur, table.copy, table.served, table.key, samples)
    unexpected, unexpected_keys = _difference(cur, table.served, table.copy, table.key, samples)
    return TableCheck(
        table.name, rows, replayed, missing, unexpected, missing_keys, unexpected_keys
    )


def _difference(
    cur: psycopg.Cursor[Any],
    having: sql.Identifier,
    lacking: sql.Identifier,
    key: tuple[str, ...],
    samples: int,
) -> tuple[int, list[dict[str, Any]]]:
    """How many rows of `having` (counted with repeats) `lacking` does not hold, and the
    keys of the first few."""
    columns = sql.SQL(", ").join(sql.Identifier(k) for k in key)
    query = sql.SQL(
        "SELECT {columns}, count(*) OVER () FROM"
        " (SELECT * FROM {having} EXCEPT ALL SELECT * FROM {lacking}) AS difference"
        " ORDER BY {columns} LIMIT %s"
    ).format(columns=columns, having=having, lacking=lacking)
    found = cur.execute(query, (max(samples, 1),)).fetchall()
    count = int(found[0][-1]) if found else 0
    return count, [dict(zip(key, row[:-1], strict=True)) for row in found[:samples]]
