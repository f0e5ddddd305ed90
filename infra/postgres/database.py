"""Connection details: one DATABASE_URL, turned into what each client library wants."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict, make_conninfo


def psycopg_conninfo(database_url: str) -> str:
    """A libpq connection string for psycopg from a postgresql:// URL."""
    return make_conninfo(_strip_driver(database_url))


def sqlalchemy_url(database_url: str) -> str:
    """The same database as a SQLAlchemy URL on the psycopg 3 driver (for Alembic)."""
    return "postgresql+psycopg://" + _strip_driver(database_url).split("://", 1)[1]


def connection_parts(database_url: str) -> dict[str, str]:
    """dbname, host, port, user and password, for libraries that take them apart."""
    parts = conninfo_to_dict(psycopg_conninfo(database_url))
    return {key: str(value) for key, value in parts.items() if value is not None}


def with_database(database_url: str, name: str) -> str:
    """The same server's URL for another database."""
    parts = urlsplit(_strip_driver(database_url))
    return urlunsplit(parts._replace(path="/" + quote(name)))


def _strip_driver(database_url: str) -> str:
    scheme, sep, rest = database_url.partition("://")
    if not sep or not scheme.startswith(("postgresql", "postgres")):
        raise ValueError("DATABASE_URL must start with postgresql://")
    return "postgresql://" + rest


def with_user(database_url: str, user: str) -> str:
    """The same database's URL for another role, without a password."""
    parts = urlsplit(_strip_driver(database_url))
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}@{host}"))
