#!/usr/bin/env python3
"""Set up the project's environment if needed, then run the service or the tests.

    python3 run.py serve [claimledger serve options]
    python3 run.py test  [pytest options]
    python3 run.py <any claimledger command>

Needs only Python 3.11+: uv is installed into .claimledger/uv from PyPI, and the locked
dependencies into .venv (with Python 3.11; .venv-3.X with another version, so that
`python3.13 run.py test` leaves the 3.11 environment alone).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
UV_VERSION = "0.13.9"
_VERSION = sys.version_info[:2]
VENV = ROOT / (".venv" if _VERSION == (3, 11) else f".venv-{_VERSION[0]}.{_VERSION[1]}")


def uv() -> Path:
    """The uv binary, installed beside the project on first use."""
    target = ROOT / ".claimledger" / "uv"
    binary = target / "bin" / "uv"
    if not binary.exists():
        print(f"run.py: installing uv {UV_VERSION} into {target}", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
                str(target),
                f"uv=={UV_VERSION}",
            ],
            check=True,
        )
    return binary


def sync() -> None:
    """Install the locked dependencies into .venv (a no-op when they are there)."""
    env = {
        **os.environ,
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_PROJECT_ENVIRONMENT": str(VENV),
    }
    subprocess.run(
        [
            str(uv()),
            "sync",
            "--frozen",
            "--quiet",
            "--extra",
            "embedded",
            "--python",
            sys.executable,
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main(argv: list[str]) -> int:
    """Run `claimledger ...` or the tests inside the project's environment."""
    if sys.version_info < (3, 11):
        sys.exit("run.py: Python 3.11 or newer is needed")
    if not argv:
        sys.exit(__doc__)
    sync()
    bin_dir = VENV / "bin"
    if argv[0] == "test":
        command = [str(bin_dir / "python"), "-m", "pytest", *argv[1:]]
    else:
        command = [str(bin_dir / "claimledger"), *argv]
    # Become the command: signals (kill, Ctrl+C, a supervisor's) and the exit status are
    # then its own, and no wrapper process is left behind.
    os.chdir(ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
