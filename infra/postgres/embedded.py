"""An embedded PostgreSQL server, for running Claimledger when no DATABASE_URL is configured.

The PostgreSQL 16 binaries come from the `pgserver` wheel. Only its binaries are used:
pgserver's own Python layer (`pgserver.get_server`) trusts a pid in `postmaster.pid`
without checking that it is still PostgreSQL. After a reboot or container restart it can
hand out a URL for a dead server, and at exit it can kill whatever unrelated process now
has that pid. Its per-folder list of client pids also keeps the pids of crashed
processes, so after one crash the server is never stopped again. Running it yourself is
not much code, so this module does that.

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

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import re
import secrets
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self
from urllib.parse import quote

import psycopg
from psycopg import sql

__all__ = ["EmbeddedPostgres", "EmbeddedPostgresError", "bundled_bin_dir"]

log = logging.getLogger(__name__)

SUPERUSER = "postgres"
"""The database superuser `initdb` creates; every URL handed out connects as this role."""

DEFAULT_SYSTEM_USER = "pgserver"
"""The OS user that runs the server when this process is root. pgserver uses the same name."""

# The longest socket name PostgreSQL accepts: sizeof(sun_path) - 1. Checked with the longest
# possible port, because the socket file is "<dir>/.s.PGSQL.<port>".
_MAX_SOCKET_PATH = 103 if sys.platform == "darwin" else 107
_LONGEST_SOCKET_NAME = ".s.PGSQL.65535"
# A socket folder made of these characters needs no quoting in unix_socket_directories (a
# comma/space list), in the shell command pg_ctl runs, or in a URL (so no "%", which
# alembic's configparser would trip over). Other folders get a socket folder under /tmp.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./~-]+")
_SHELL_UNSAFE_IN_DOUBLE_QUOTES = re.compile(r'["$`\\]')


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be initialised, started, reached or stopped."""


@dataclass(frozen=True)
class _RunAs:
    """The unprivileged OS account that runs PostgreSQL when this process is root."""

    uid: int
    gid: int
    name: str | None


@dataclass(frozen=True)
class _Endpoint:
    """Where a running server listens, read from its postmaster.pid."""

    socket_dir: Path
    port: int


def bundled_bin_dir() -> Path:
    """Return the folder with the PostgreSQL binaries bundled by the `pgserver` wheel.

    This finds the package without importing it. Importing pgserver does work at import
    time, and when XDG_RUNTIME_DIR is unset that work raises a platformdirs warning.
    """
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "the `pgserver` package (which bundles PostgreSQL) is not installed; "
            "install the project's dependencies or set DATABASE_URL"
        )
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "postgres").is_file():
        raise EmbeddedPostgresError(
            f"pgserver is installed but has no PostgreSQL binaries in {bin_dir}"
        )
    return bin_dir


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
        self._endpoint: _Endpoint | None = None
        self._owner_pid = os.getpid()
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
                and _accepts_connections(self.url())
            ):
                return self.url()
            _require_posix()
            with self._folder_lock():
                run_as = self._run_as()
                endpoint = self._running_endpoint()
                if endpoint is None:
                    self._ensure_cluster(run_as)
                    endpoint = self._start_server(run_as)
                else:
                    log.debug("reusing the PostgreSQL server already running on %s", self.pgdata)
                self._endpoint = endpoint
                if self._lease is None:
                    self._lease = self._take_lease()
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
        info = _read_postmaster_pid(self.pgdata)
        return info is not None and _accepts_connections(_endpoint_url(info[1]))

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
            _require_posix()
            with self._folder_lock():
                self._endpoint = None
                if self._lease is not None:
                    self._lease.unlink(missing_ok=True)
                    self._lease = None
                others = self._live_leases()
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

    def _running_endpoint(self) -> _Endpoint | None:
        """Return where the server on this folder listens, or None if it is not running.

        Must hold the folder lock. If the server is still starting or recovering, this
        waits for it. It removes a postmaster.pid whose pid now belongs to some other
        process (after a reboot, say), because PostgreSQL would refuse to start over it.
        """
        deadline = time.monotonic() + self._timeout
        while True:
            info = _read_postmaster_pid(self.pgdata)
            if info is None:
                return None
            pid, endpoint = info
            if _accepts_connections(_endpoint_url(endpoint)):
                return endpoint
            if not self._is_our_postmaster(pid):
                if _pid_exists(pid):
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

    def _is_our_postmaster(self, pid: int) -> bool:
        """Return whether `pid` is alive and (where that can be checked) our postmaster."""
        if not _pid_alive(pid):
            return False
        proc = Path(f"/proc/{pid}")
        if not Path("/proc/self").exists():
            return True  # no procfs (macOS): trust the pid
        try:
            if (proc / "comm").read_text().strip() != "postgres":
                return False
            # The postmaster chdirs to PGDATA, so its cwd tells our server from others.
            return Path(os.readlink(proc / "cwd")) == self.pgdata.resolve()
        except PermissionError:
            return True
        except OSError:
            return _pid_alive(pid)

    def _ensure_cluster(self, run_as: _RunAs | None) -> None:
        """Run initdb if PGDATA has no cluster yet, and make the cluster usable by the server user.

        initdb writes into a scratch folder that is then renamed to PGDATA, so an
        interrupted initdb never leaves a half-made cluster behind.
        """
        bin_dir = bundled_bin_dir()
        if _SHELL_UNSAFE_IN_DOUBLE_QUOTES.search(str(self.pgdata)):
            raise EmbeddedPostgresError(
                f'pg_ctl cannot handle a data folder path with " $ ` or \\: {self.pgdata}'
            )
        if run_as is not None:
            _allow_traversal(self.data_dir, run_as)
            _allow_traversal(bin_dir.parent, run_as)
            _make_world_readable_if_needed(bin_dir.parent)

        if self.pgdata.exists():
            owner = self.pgdata.stat().st_uid
            if run_as is None and owner != os.geteuid():
                raise EmbeddedPostgresError(
                    f"{self.pgdata} belongs to uid {owner}; run as that user (or root), "
                    "or use another data folder"
                )
            if (self.pgdata / "PG_VERSION").exists():
                if run_as is not None and owner != run_as.uid:
                    log.warning(
                        "giving %s to uid %d so PostgreSQL can run as a non-root user",
                        self.pgdata,
                        run_as.uid,
                    )
                    _chown_tree(self.pgdata, run_as)
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

    def _start_server(self, run_as: _RunAs | None) -> _Endpoint:
        """Start the server with pg_ctl and wait until it accepts connections."""
        socket_dir = self._socket_dir(run_as)
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
        info = _read_postmaster_pid(self.pgdata)
        if info is None or not _accepts_connections(_endpoint_url(info[1])):
            raise EmbeddedPostgresError(
                f"PostgreSQL started on {self.pgdata} but does not accept connections\n"
                f"{self._log_tail()}"
            )
        log.info("started PostgreSQL on %s (%.2fs)", self.pgdata, time.monotonic() - started)
        return info[1]

    def _stop_server(self, *, immediate: bool = False) -> None:
        """Shut the server down (fast, then immediate if that fails, or immediate at once);
        must hold the folder lock."""
        info = _read_postmaster_pid(self.pgdata)
        if info is None or not self._is_our_postmaster(info[0]):
            return
        run_as = self._run_as()
        timeout = str(max(1, round(self._timeout)))
        stop = ["pg_ctl", "stop", "-D", str(self.pgdata), "-w", "-t", timeout, "-m"]
        try:
            self._run([*stop, "immediate" if immediate else "fast"], run_as)
        except EmbeddedPostgresError:
            if self._is_our_postmaster(info[0]):
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

    def _run(self, args: list[str], run_as: _RunAs | None) -> str:
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

    def _run_as(self) -> _RunAs | None:
        """Return the account that runs PostgreSQL: None (this process) unless we are root."""
        if os.geteuid() != 0:
            return None
        if (self.pgdata / "PG_VERSION").exists():
            st = self.pgdata.stat()
            if st.st_uid != 0:
                return _RunAs(st.st_uid, st.st_gid, _user_name(st.st_uid))
        return _ensure_system_user(self._system_user)

    def _socket_dir(self, run_as: _RunAs | None) -> Path:
        """Return the socket folder: PGDATA if its path is short and plain, else one under /tmp."""
        if _usable_socket_dir(self.pgdata):
            return self.pgdata
        digest = hashlib.sha256(str(self.pgdata).encode()).hexdigest()[:16]
        # /tmp rather than $TMPDIR, which can be long; the folder is 0700 and its owner checked.
        socket_dir = Path("/tmp") / f"claimledger-pg-{digest}"  # noqa: S108
        owner = run_as.uid if run_as else os.geteuid()
        with contextlib.suppress(FileExistsError):
            socket_dir.mkdir(mode=0o700)
            if run_as is not None:
                os.chown(socket_dir, run_as.uid, run_as.gid)
        st = socket_dir.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != owner:
            raise EmbeddedPostgresError(
                f"{socket_dir} (for the PostgreSQL socket) exists and is not ours"
            )
        return socket_dir

    def _take_lease(self) -> Path:
        """Record that this instance uses the server; must hold the folder lock."""
        leases = self.data_dir / "leases"
        leases.mkdir(exist_ok=True)
        pid = os.getpid()
        lease = leases / f"{pid}-{secrets.token_hex(4)}"
        lease.write_text(json.dumps({"pid": pid, "start_time": _process_start_time(pid)}))
        return lease

    def _live_leases(self) -> list[Path]:
        """Return the leases of live processes and delete the rest; must hold the folder lock."""
        leases = self.data_dir / "leases"
        live: list[Path] = []
        for lease in sorted(leases.iterdir()) if leases.is_dir() else []:
            try:
                record = json.loads(lease.read_text())
                pid = int(record["pid"])
            except (OSError, ValueError, KeyError, TypeError):
                lease.unlink(missing_ok=True)
                continue
            started = record.get("start_time")
            if _pid_alive(pid) and (started is None or _process_start_time(pid) in (None, started)):
                live.append(lease)
            else:
                lease.unlink(missing_ok=True)
        return live

    @contextlib.contextmanager
    def _folder_lock(self) -> Iterator[None]:
        """Hold an exclusive flock on <data_dir>/.lock (across processes and threads)."""
        import fcntl

        lock_file = self.data_dir / ".lock"
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            handle = open(lock_file, "a")  # noqa: SIM115 - closed by the with below
        except PermissionError as exc:
            raise EmbeddedPostgresError(
                f"cannot use {self.data_dir} (it belongs to another user?): {exc}"
            ) from exc
        with handle:
            deadline = time.monotonic() + self._timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise EmbeddedPostgresError(
                            f"timed out after {self._timeout:.0f}s waiting for {lock_file}: "
                            "another process is starting or stopping this server"
                        ) from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return f"(no log at {self.log_file})"


# -- module helpers ------------------------------------------------------------------


def _require_posix() -> None:
    if os.name != "posix":
        raise EmbeddedPostgresError(
            "the embedded PostgreSQL needs Linux or macOS; set DATABASE_URL instead"
        )


def _read_postmaster_pid(pgdata: Path) -> tuple[int, _Endpoint] | None:
    """Return (pid, endpoint) from PGDATA/postmaster.pid; None if it is missing or incomplete."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, port, socket_dir = int(lines[0]), int(lines[3]), lines[4].strip()
    except (OSError, ValueError, IndexError):
        return None
    if not socket_dir:
        return None
    return pid, _Endpoint(Path(socket_dir), port)


def _endpoint_url(endpoint: _Endpoint) -> str:
    host = quote(str(endpoint.socket_dir), safe="/")
    return f"postgresql://{SUPERUSER}@/{SUPERUSER}?host={host}&port={endpoint.port}"


def _accepts_connections(url: str) -> bool:
    """Return whether a server accepts connections on `url` (libpq's PQping, as pg_isready uses).

    False while the server is starting, recovering or shutting down, or if nothing listens.
    """
    return psycopg.pq.PGconn.ping(f"{url}&connect_timeout=5".encode()) == psycopg.pq.Ping.OK


def _usable_socket_dir(directory: Path) -> bool:
    path = str(directory / _LONGEST_SOCKET_NAME)
    return (
        len(os.fsencode(path)) <= _MAX_SOCKET_PATH
        and _PLAIN_PATH.fullmatch(str(directory)) is not None
    )


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_alive(pid: int) -> bool:
    """Return whether `pid` exists and is not a zombie (killed, but not reaped by its parent yet).

    Zombies matter when PID 1 is slow to reap orphans, as in containers without an init.
    """
    return _pid_exists(pid) and _proc_stat_field(pid, 3) != "Z"


def _process_start_time(pid: int) -> str | None:
    """Return the start time of `pid` (Linux), which tells a recycled pid apart; else None."""
    return _proc_stat_field(pid, 22)


def _proc_stat_field(pid: int, field: int) -> str | None:
    """Return field `field` (1-based, as in proc(5)) of /proc/<pid>/stat; None without procfs."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat_line.rsplit(")", 1)[-1].split()  # fields 3 onwards; (comm) may contain spaces
    return fields[field - 3] if len(fields) > field - 3 else None


def _user_name(uid: int) -> str | None:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def _ensure_system_user(name: str) -> _RunAs:
    """Return the account `name`; create it as a no-login system user if missing (needs root)."""
    import pwd

    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            raise EmbeddedPostgresError(
                f"PostgreSQL will not run as root, and there is no user {name!r} to run it as "
                "(nor `useradd` to create one); create that user, run as a normal user, "
                "or set DATABASE_URL"
            ) from None
        shell = "/usr/sbin/nologin" if Path("/usr/sbin/nologin").exists() else "/bin/false"
        command = [useradd, "--system", "--user-group", "--no-create-home"]
        command += ["--home-dir", "/nonexistent", "--shell", shell, name]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        try:
            # Look it up even if useradd failed: another process may have just created it.
            entry = pwd.getpwnam(name)
        except KeyError:
            raise EmbeddedPostgresError(
                f"could not create system user {name!r}: {result.stderr.strip()}"
            ) from None
        log.info("created system user %r to run the embedded PostgreSQL", name)
    if entry.pw_uid == 0:
        raise EmbeddedPostgresError(
            f"system user {name!r} has uid 0; PostgreSQL needs an unprivileged user"
        )
    return _RunAs(entry.pw_uid, entry.pw_gid, entry.pw_name)


def _allow_traversal(path: Path, run_as: _RunAs) -> None:
    """Give `run_as` search (x) permission on `path` and all its parents where it lacks it.

    Only the x bit is added (no listing). This is needed when, for example, a pytest
    tmp folder sits under root's 0700 /tmp/pytest-of-root.
    """
    groups = set(os.getgrouplist(run_as.name, run_as.gid)) if run_as.name else {run_as.gid}
    for directory in [path, *path.parents]:
        st = directory.stat()
        if st.st_uid == run_as.uid:
            bit = stat.S_IXUSR
        elif st.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            log.warning(
                "allowing uid %d to pass through %s to reach the embedded PostgreSQL",
                run_as.uid,
                directory,
            )
            directory.chmod(stat.S_IMODE(st.st_mode) | bit)


def _make_world_readable_if_needed(install_dir: Path) -> None:
    """chmod -R o+rX the bundled PostgreSQL if its files are not readable by other users (rare)."""
    needed = [install_dir / "bin" / "postgres", install_dir / "lib", install_dir / "share"]
    if all(path.stat().st_mode & stat.S_IXOTH for path in needed):
        return
    log.warning("making %s readable by other users so PostgreSQL can run unprivileged", install_dir)
    for root, dirs, files in os.walk(install_dir):
        for name in dirs:
            target = Path(root, name)
            target.chmod(stat.S_IMODE(target.stat().st_mode) | stat.S_IROTH | stat.S_IXOTH)
        for name in files:
            target = Path(root, name)
            if not target.is_symlink():
                mode = stat.S_IMODE(target.stat().st_mode)
                target.chmod(mode | stat.S_IROTH | (stat.S_IXOTH if mode & stat.S_IXUSR else 0))


def _chown_tree(root_dir: Path, run_as: _RunAs) -> None:
    os.lchown(root_dir, run_as.uid, run_as.gid)
    for root, dirs, files in os.walk(root_dir):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(root, name), run_as.uid, run_as.gid)
