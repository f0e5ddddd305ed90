"""The service's database role: it reads and writes data, and cannot change the schema.

Migrations run as the owner of the tables (the migration role). The service connects
as another role, which this module creates when asked and grants exactly what the
service needs: to append and read events, and to maintain the read models.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from infra.eventstore.store import EVENTS_TABLE
from infra.postgres.database import psycopg_conninfo
from infra.readmodels.projections import all_projections

TRACKING_TABLE = "projection_tracking"


def read_model_tables() -> list[str]:
    """Every table the projections write, and their tracking table."""
    return [t for p in all_projections() for t in p.tables] + [TRACKING_TABLE]


def grant_service_role(owner_url: str, role: str, password: str | None = None) -> bool:
    """Create `role` (a login role with no other powers) unless it exists, set its password
    when one is given, and grant it the service's privileges; returns whether it was made."""
    ident = sql.Identifier(role)
    with psycopg.connect(psycopg_conninfo(owner_url), autocommit=True) as conn:
        database = conn.info.dbname
        with conn.transaction():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if exists is None:
                conn.execute(
                    sql.SQL(
                        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                    ).format(ident)
                )
            if password is not None:
                conn.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password))
                )
            for statement in _grants(database, ident):
                conn.execute(statement)
    return exists is None


def _grants(database: str, role: sql.Identifier) -> list[sql.Composed]:
    def tables(names: list[str]) -> sql.Composed:
        return sql.SQL(", ").join(sql.Identifier(n) for n in names)

    return [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), role),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(role),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        # UPDATE only for the store's table lock; a trigger refuses any change to an event.
        sql.SQL("GRANT SELECT, INSERT, UPDATE ON {} TO {}").format(tables([EVENTS_TABLE]), role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON {} TO {}").format(
            tables(read_model_tables()), role
        ),
        sql.SQL("GRANT SELECT ON alembic_version TO {}").format(role),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
    ]


@dataclass(frozen=True)
class Powers:
    """What a connection's role may do beyond reading and writing data."""

    role: str
    superuser: bool
    can_create: bool


def privileges(url: str) -> Powers:
    """Whether the role `url` connects as is a superuser or may create in the schema."""
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        row = conn.execute(
            "SELECT current_user, rolsuper, has_schema_privilege('public', 'CREATE')"
            " FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert row is not None
    return Powers(str(row[0]), bool(row[1]), bool(row[2]))
