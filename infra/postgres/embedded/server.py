"""The embedded server: started on demand in a data folder, shared by the processes that
use it, stopped when the last of them is done."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Self
from urllib.parse import quote

import psycopg
from psycopg import sql

from infra.postgres.embedded.leases import FolderLeases
from infra.postgres.embedded.system import (
    DEFAULT_SYSTEM_USER,
    SHELL_UNSAFE_IN_DOUBLE_QUOTES,
    SUPERUSER,
    EmbeddedPostgresError,
    Endpoint,
    RunAs,
    accepts_connections,
    allow_traversal,
    binaries_version,
    bundled_bin_dir,
    chown_tree,
    endpoint_url,
    ensure_system_user,
    is_postmaster_of,
    make_world_readable_if_needed,
    pid_exists,
    read_postmaster_pid,
    require_posix,
    socket_dir_for,
    user_name,
)

log = logging.getLogger(__name__)


class EmbeddedPostgres:
    """A PostgreSQL server in a data folder, started on demand and stopped on exit.

    `start()` is idempotent and safe across processes. If a server is already running on
    the folder (started by this or any other process), it is reused. Otherwise the
    cluster is initialised if needed and the server started. Each instance that started
    or reused the server holds a lease on it. `stop()` (called automatically at normal
    interpreter exit) gives the lease back and shuts the server down only if no other
    live process still holds one. The leases of crashed processes are ignored.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        system_user: str = DEFAULT_SYSTEM_USER,
        timeout: float = 60.0,
    ) -> None:
        """Describe a server in `data_dir`. Touches nothing on disk until `start()`.

        Args:
            data_dir: folder that holds the cluster, lock and leases (created if missing).
            system_user: OS user that runs PostgreSQL when this process is root.
            timeout: seconds to wait for the folder lock, and for the server to start or stop.
        """
        self.data_dir = Path(os.path.abspath(Path(data_dir).expanduser()))
        self.pgdata = self.data_dir / "cluster"
        self.log_file = self.pgdata / "server.log"
        self._system_user = system_user
        self._timeout = timeout
        self._mutex = threading.RLock()
        self._lease: Path | None = None
        self._endpoint: Endpoint | None = None
        self._owner_pid = os.getpid()
        self._leases = FolderLeases(self.data_dir, timeout)
        self._atexit_registered = False

    def __repr__(self) -> str:
        return f"EmbeddedPostgres({str(self.data_dir)!r})"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- public API ------------------------------------------------------------------

    def start(self) -> str:
        """Make sure the server runs; return a `postgresql://` URL for the `postgres` database.

        Reuses a server that is already running on this folder. Otherwise this
        initialises the cluster if needed (about half a second) and starts the server
        (a few tenths of a second). Raises EmbeddedPostgresError if that fails.
        """
        with self._mutex:
            if (
                self._lease is not None
                and self._endpoint is not None
                and accepts_connections(self.url())
            ):
                return self.url()
            require_posix()
            with self._leases.locked():
                run_as = self._run_as()
                endpoint = self._running_endpoint()
                if endpoint is None:
                    self._ensure_cluster(run_as)
                    endpoint = self._start_server(run_as)
                else:
                    log.debug("reusing the PostgreSQL server already running on %s", self.pgdata)
                self._endpoint = endpoint
                if self._lease is None:
                    self._lease = self._leases.take()
            if not self._atexit_registered:
                atexit.register(self._stop_at_exit)
                self._atexit_registered = True
            return self.url()

    def url(self, database: str = SUPERUSER) -> str:
        """Return the URL of `database` on the running server (call `start()` first).

        The URL looks like `postgresql://postgres@/claimledger?host=/abs/socket/dir&port=5432`.
        psycopg 3 (libpq) and SQLAlchemy's `postgresql+psycopg://` both accept it.
        """
        if self._endpoint is None:
            raise EmbeddedPostgresError(f"{self!r} has not been started")
        host = quote(str(self._endpoint.socket_dir), safe="/")
        port = self._endpoint.port
        return f"postgresql://{SUPERUSER}@/{quote(database, safe='')}?host={host}&port={port}"

    def create_database(self, name: str) -> str:
        """Create database `name` unless it exists (starting the server if needed).

        Returns the URL of that database.
        """
        url = self.start()
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists is None:
                # Another process may create it at the same moment.
                race = (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation)
                with contextlib.suppress(*race):
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def is_running(self) -> bool:
        """Return whether a server on this data folder accepts connections right now."""
        info = read_postmaster_pid(self.pgdata)
        return info is not None and accepts_connections(endpoint_url(info[1]))

    def stop(self, *, force: bool = False, immediate: bool = False) -> None:
        """Give back this instance's lease, and shut the server down if nobody else uses it.

        The server keeps running if another live process (or another instance in this
        process) still holds a lease, unless `force` is true. Connections still open when
        the server stops are cut ("fast" shutdown). With `immediate`, the server stops at
        once, as if it had crashed, and replays its log on the next start. Does nothing if
        the server is not running.
        """
        with self._mutex:
            if not self.data_dir.is_dir():
                return
            require_posix()
            with self._leases.locked():
                self._endpoint = None
                if self._lease is not None:
                    self._lease.unlink(missing_ok=True)
                    self._lease = None
                others = self._leases.live()
                if others and not force:
                    log.debug(
                        "leaving PostgreSQL on %s running for %d other user(s)",
                        self.pgdata,
                        len(others),
                    )
                    return
                for lease in others:
                    lease.unlink(missing_ok=True)
                self._stop_server(immediate=immediate)

    # -- server lifecycle ------------------------------------------------------------

    def _running_endpoint(self) -> Endpoint | None:
        """Return where the server on this folder listens, or None if it is not running.

        Must hold the folder lock. If the server is still starting or recovering, this
        waits for it. It removes a postmaster.pid whose pid now belongs to some other
        process (after a reboot, say), because PostgreSQL would refuse to start over it.
        """
        deadline = time.monotonic() + self._timeout
        while True:
            info = read_postmaster_pid(self.pgdata)
            if info is None:
                return None
            pid, endpoint = info
            if accepts_connections(endpoint_url(endpoint)):
                return endpoint
            if not is_postmaster_of(self.pgdata, pid):
                if pid_exists(pid):
                    # PostgreSQL would refuse to start while the pid in its lock files exists.
                    log.info(
                        "removing stale lock files of %s (pid %d is not this server)",
                        self.pgdata,
                        pid,
                    )
                    socket_lock = endpoint.socket_dir / f".s.PGSQL.{endpoint.port}.lock"
                    with contextlib.suppress(OSError, ValueError, IndexError):
                        if int(socket_lock.read_text().splitlines()[0]) == pid:
                            socket_lock.unlink()
                    (self.pgdata / "postmaster.pid").unlink(missing_ok=True)
                return None
            if time.monotonic() > deadline:
                raise EmbeddedPostgresError(
                    f"a PostgreSQL server (pid {pid}) runs on {self.pgdata} but does not accept "
                    f"connections; see {self.log_file}"
                )
            time.sleep(0.05)

    def _ensure_cluster(self, run_as: RunAs | None) -> None:
        """Run initdb if PGDATA has no cluster yet, and make the cluster usable by the server user.

        initdb writes into a scratch folder that is then renamed to PGDATA, so an
        interrupted initdb never leaves a half-made cluster behind.
        """
        bin_dir = bundled_bin_dir()
        if SHELL_UNSAFE_IN_DOUBLE_QUOTES.search(str(self.pgdata)):
            raise EmbeddedPostgresError(
                f'pg_ctl cannot handle a data folder path with " $ ` or \\: {self.pgdata}'
            )
        if run_as is not None:
            allow_traversal(self.data_dir, run_as)
            allow_traversal(bin_dir.parent, run_as)
            make_world_readable_if_needed(bin_dir.parent)

        if self.pgdata.exists():
            owner = self.pgdata.stat().st_uid
            if run_as is None and owner != os.geteuid():
                raise EmbeddedPostgresError(
                    f"{self.pgdata} belongs to uid {owner}; run as that user (or root), "
                    "or use another data folder"
                )
            if (self.pgdata / "PG_VERSION").exists():
                made_by = (self.pgdata / "PG_VERSION").read_text().strip()
                running = binaries_version(bin_dir)
                if made_by != running:
                    raise EmbeddedPostgresError(
                        f"the cluster in {self.pgdata} was made by PostgreSQL {made_by}, and"
                        f" the binaries at hand ({bin_dir}) are PostgreSQL {running}: move"
                        " the folder aside to start a new one, or set DATABASE_URL to a"
                        f" PostgreSQL {made_by} server"
                    )
                if run_as is not None and owner != run_as.uid:
                    log.warning(
                        "giving %s to uid %d so PostgreSQL can run as a non-root user",
                        self.pgdata,
                        run_as.uid,
                    )
                    chown_tree(self.pgdata, run_as)
                return
            if any(self.pgdata.iterdir()):
                raise EmbeddedPostgresError(
                    f"{self.pgdata} exists but is not a PostgreSQL data folder"
                )
            self.pgdata.rmdir()

        for leftover in self.data_dir.glob("cluster.init-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        scratch = self.data_dir / f"cluster.init-{os.getpid()}"
        scratch.mkdir(mode=0o700)
        if run_as is not None:
            os.chown(scratch, run_as.uid, run_as.gid)
        started = time.monotonic()
        # C collation (byte order, the same on every machine) and UTF-8. --no-sync skips
        # ~1,000 fsyncs; an OS crash in the next seconds could lose the fresh, empty cluster.
        options = ["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-locale"]
        self._run(
            ["initdb", "-D", str(scratch), *options, "--no-sync", "--no-instructions"], run_as
        )
        scratch.rename(self.pgdata)
        log.info(
            "initialised a PostgreSQL cluster in %s (%.2fs)",
            self.pgdata,
            time.monotonic() - started,
        )

    def _start_server(self, run_as: RunAs | None) -> Endpoint:
        """Start the server with pg_ctl and wait until it accepts connections."""
        socket_dir = socket_dir_for(self.pgdata, run_as)
        options = f"-h '' -k {shlex.quote(str(socket_dir))}"  # no TCP; socket in socket_dir
        started = time.monotonic()
        try:
            timeout = str(max(1, round(self._timeout)))
            start = ["pg_ctl", "start", "-D", str(self.pgdata), "-l", str(self.log_file)]
            self._run([*start, "-w", "-t", timeout, "-o", options], run_as)
        except EmbeddedPostgresError as exc:
            raise EmbeddedPostgresError(
                f"{exc}\n--- end of {self.log_file} ---\n{self._log_tail()}"
            ) from None
        info = read_postmaster_pid(self.pgdata)
        if info is None or not accepts_connections(endpoint_url(info[1])):
            raise EmbeddedPostgresError(
                f"PostgreSQL started on {self.pgdata} but does not accept connections\n"
                f"{self._log_tail()}"
            )
        log.info("started PostgreSQL on %s (%.2fs)", self.pgdata, time.monotonic() - started)
        return info[1]

    def _stop_server(self, *, immediate: bool = False) -> None:
        """Shut the server down (fast, then immediate if that fails, or immediate at once);
        must hold the folder lock."""
        info = read_postmaster_pid(self.pgdata)
        if info is None or not is_postmaster_of(self.pgdata, info[0]):
            return
        run_as = self._run_as()
        timeout = str(max(1, round(self._timeout)))
        stop = ["pg_ctl", "stop", "-D", str(self.pgdata), "-w", "-t", timeout, "-m"]
        try:
            self._run([*stop, "immediate" if immediate else "fast"], run_as)
        except EmbeddedPostgresError:
            if is_postmaster_of(self.pgdata, info[0]):
                self._run([*stop, "immediate"], run_as)
        if info[1].socket_dir != self.pgdata:
            with contextlib.suppress(OSError):
                info[1].socket_dir.rmdir()
        log.info("stopped PostgreSQL on %s", self.pgdata)

    def _stop_at_exit(self) -> None:
        """atexit hook: give back this process's lease (but not from a forked child)."""
        if os.getpid() != self._owner_pid or self._lease is None:
            return
        try:
            self.stop()
        except Exception:
            log.exception("could not stop the embedded PostgreSQL on %s", self.pgdata)

    # -- helpers ---------------------------------------------------------------------

    def _run(self, args: list[str], run_as: RunAs | None) -> str:
        """Run a bundled PostgreSQL program (as `run_as` if given) and return its output."""
        program = bundled_bin_dir() / args[0]
        # PG* variables (PGDATA, PGPORT, PGHOST, ...) would change what the programs do.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        # A file, not a pipe: the server inherits pg_ctl's descriptors and would hold a pipe open.
        with tempfile.TemporaryFile() as output:
            try:
                subprocess.run(  # noqa: S603 - our own arguments to a bundled PostgreSQL program
                    [str(program), *args[1:]],
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd="/",
                    check=True,
                    timeout=self._timeout + 30,
                    user=run_as.uid if run_as else None,
                    group=run_as.gid if run_as else None,
                    extra_groups=[] if run_as else None,
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                output.seek(0)
                text = output.read().decode(errors="replace").strip()
                raise EmbeddedPostgresError(f"{args[0]} failed ({exc}):\n{text}") from None
            except OSError as exc:
                if run_as is None:
                    raise EmbeddedPostgresError(f"could not run {program}: {exc}") from exc
                raise EmbeddedPostgresError(
                    f"could not run {program} as uid {run_as.uid}: {exc}. PostgreSQL refuses to "
                    "run as root, and this root process cannot switch to another user "
                    "(no CAP_SETUID?); run as a normal user or set DATABASE_URL"
                ) from exc
            output.seek(0)
            return output.read().decode(errors="replace")

    def _run_as(self) -> RunAs | None:
        """Return the account that runs PostgreSQL: None (this process) unless we are root."""
        if os.geteuid() != 0:
            return None
        if (self.pgdata / "PG_VERSION").exists():
            st = self.pgdata.stat()
            if st.st_uid != 0:
                return RunAs(st.st_uid, st.st_gid, user_name(st.st_uid))
        return ensure_system_user(self._system_user)

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return f"(no log at {self.log_file})"
