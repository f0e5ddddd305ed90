"""Read models built in new tables beside the served ones, then swapped in.

Writing a million rows into tables that keep their indexes means a random B-tree insert
for every row and key, and a rebuild that replaces rows in place also keeps the old
entries beside the new ones until it commits. Tables made empty, filled with COPY and
indexed once at the end (a sort per index) take a fraction of that.

The new tables are copies of the served ones' definitions as the catalog holds them (so
the migrations still define every table), made in a schema of their own that exists only
inside the rebuild's transaction; the connection's search path puts that schema first, so
the projections' statements write to the new tables unchanged. At the end the served
tables are dropped and the new ones moved into `public` with the same owner, privileges,
indexes and constraints, all in the one transaction: readers see the old models until the
commit, and a failure anywhere leaves them as they were. Only the tables' owner (or a role
that may act as it) can do this; `may_swap` tells.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from psycopg import Connection, errors, sql

SCHEMA = "claimledger_rebuild"
SERVED = "public"
LOCK_WAIT = "200ms"
"""How long new readers may queue behind the swap's lock before it lets them through."""
LOCK_PAUSE = 0.5
"""Seconds between two tries at the swap's lock."""


def may_swap(conn: Connection[Any], tables: list[str]) -> bool:
    """Whether the connection's role may replace these tables: it acts as their owner and
    may create a schema in the database and tables in `public`."""
    row = conn.execute(
        "SELECT has_database_privilege(current_database(), 'CREATE')"
        " AND has_schema_privilege(%s, 'CREATE')"
        " AND bool_and(pg_has_role(current_user, c.relowner, 'USAGE'))"
        " FROM pg_class c WHERE c.oid = ANY(%s::text[]::regclass[])",
        (SERVED, [f"{SERVED}.{t}" for t in tables]),
    ).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class _Table:
    """What a served table carries beyond its columns, to give its replacement."""

    name: str
    owner: str
    options: list[str]
    indexes: list[sql.Composed]
    grants: list[sql.Composed]


class ShadowModels:
    """New, empty, unindexed copies of some tables, for one transaction on one connection."""

    def __init__(self, conn: Connection[Any], tables: list[str]) -> None:
        self._conn = conn
        self._tables = [_describe(conn, name) for name in tables]
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(SCHEMA)))
        for table in self._tables:
            conn.execute(
                sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL EXCLUDING INDEXES)").format(
                    _shadow(table.name), _served(table.name)
                )
            )
            if table.options:
                conn.execute(
                    sql.SQL("ALTER TABLE {} SET ({})").format(
                        _shadow(table.name), sql.SQL(", ".join(table.options))
                    )
                )
        conn.execute(
            sql.SQL("SET LOCAL search_path TO {}, {}").format(
                sql.Identifier(SCHEMA), sql.Identifier(SERVED)
            )
        )

    def complete(self, names: Collection[str]) -> None:
        """Once the named tables hold all their rows: build every index and index-backed
        constraint their served counterparts have, then gather their statistics for the
        statements that read them next."""
        tables = [t for t in self._tables if t.name in names]
        if not tables:
            return
        self._conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table in tables:
            for statement in table.indexes:
                self._conn.execute(statement)
        listed = sql.SQL(", ").join(_shadow(t.name) for t in tables)
        self._conn.execute(sql.SQL("ANALYZE {}").format(listed))

    def swap(self) -> None:
        """Drop the served tables and put the new ones in their place, with their owners
        and privileges."""
        conn = self._conn
        served = sql.SQL(", ").join(_served(t.name) for t in self._tables)
        self._lock(served)
        conn.execute(sql.SQL("DROP TABLE {}").format(served))
        for table in self._tables:
            conn.execute(
                sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(
                    _shadow(table.name), sql.Identifier(SERVED)
                )
            )
            conn.execute(
                sql.SQL("ALTER TABLE {} OWNER TO {}").format(
                    _served(table.name), sql.Identifier(table.owner)
                )
            )
            for grant in table.grants:
                conn.execute(grant)
        conn.execute(sql.SQL("DROP SCHEMA {}").format(sql.Identifier(SCHEMA)))
        conn.execute("SET LOCAL search_path TO DEFAULT")

    def _lock(self, served: sql.Composable) -> None:
        """Take the served tables from their readers. While the lock is asked for, every
        new reader queues behind it; so when a long reader (a verification, a dump) holds
        a table, give up after a moment, let the queue through and ask again."""
        while True:
            try:
                with self._conn.transaction():
                    self._conn.execute(
                        sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_WAIT))
                    )
                    self._conn.execute(
                        sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(served)
                    )
                    self._conn.execute("SET LOCAL lock_timeout TO DEFAULT")
                return
            except errors.LockNotAvailable:
                time.sleep(LOCK_PAUSE)


_INDEX = re.compile(r"^(CREATE (?:UNIQUE )?INDEX \S+ ON )(?:ONLY )?\S+( USING .*)$", re.DOTALL)


def _describe(conn: Connection[Any], name: str) -> _Table:
    """A served table's owner, storage options, indexes and privileges, as statements for
    its replacement."""
    qualified = f"{SERVED}.{name}"
    row = conn.execute(
        "SELECT pg_get_userbyid(relowner), coalesce(reloptions, '{}')"
        " FROM pg_class WHERE oid = %s::regclass",
        (qualified,),
    ).fetchone()
    assert row is not None
    owner, options = str(row[0]), list(row[1])
    indexes: list[sql.Composed] = []
    for index_def, constraint, constraint_def in conn.execute(
        "SELECT pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid)"
        " FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid"
        " AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')"
        " WHERE i.indrelid = %s::regclass ORDER BY i.indexrelid",
        (qualified,),
    ).fetchall():
        if constraint is not None:
            indexes.append(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    _shadow(name), sql.Identifier(constraint), sql.SQL(constraint_def)
                )
            )
            continue
        found = _INDEX.match(index_def)
        if found is None:
            raise LookupError(f"cannot copy an index of {name}: {index_def}")
        indexes.append(
            sql.SQL("{}{}{}").format(
                sql.SQL(found.group(1)), _shadow(name), sql.SQL(found.group(2))
            )
        )
    grants = [
        sql.SQL("GRANT {} ON {} TO {}{}").format(
            sql.SQL(privilege),
            _served(name),
            sql.SQL("PUBLIC") if grantee is None else sql.Identifier(grantee),
            sql.SQL(" WITH GRANT OPTION" if grantable else ""),
        )
        for grantee, privilege, grantable in conn.execute(
            "SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,"
            " a.privilege_type, a.is_grantable"
            " FROM pg_class c, aclexplode(c.relacl) a"
            " WHERE c.oid = %s::regclass AND a.grantee <> c.relowner",
            (qualified,),
        ).fetchall()
    ]
    return _Table(name, owner, [str(o) for o in options], indexes, grants)


def _shadow(name: str) -> sql.Identifier:
    return sql.Identifier(SCHEMA, name)


def _served(name: str) -> sql.Identifier:
    return sql.Identifier(SERVED, name)
