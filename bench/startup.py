"""How long the command line takes to start: `claimledger --help` and `claimledger query
--help`, beside a bare interpreter's start, measured in the same run (best of several), with
`python -X importtime`'s total of the modules each imports.

    .venv/bin/python -m bench.startup [--rounds 10]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "claimledger --help": [sys.executable, "-m", "service.cli.main", "--help"],
    "claimledger query --help": [sys.executable, "-m", "service.cli.main", "query", "--help"],
}


def main() -> None:
    """Time each command's start and count its imports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(f"{'command':32}{'best s':>9}{'x baseline':>12}{'imports ms':>12}")
    baseline = None
    for name, command in COMMANDS.items():
        best = min(_seconds(command) for _ in range(args.rounds))
        baseline = baseline or best
        print(f"{name:32}{best:9.3f}{best / baseline:12.1f}{_imports_ms(command):12.0f}")


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - our own commands
    return time.perf_counter() - started


def _imports_ms(command: list[str]) -> float:
    """The cumulative import time of the top-level imports, from `-X importtime`."""
    traced = [command[0], "-X", "importtime", *command[1:]]
    lines = subprocess.run(traced, capture_output=True, text=True, check=True).stderr  # noqa: S603
    total = 0
    for line in lines.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):
            total += int(cumulative)
    return total / 1000


if __name__ == "__main__":
    main()
