"""`python -m bench`: every benchmark on a scratch database, as `claimledger bench` runs it."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.suite import plan_for, run


def main() -> None:
    """Parse the options `claimledger bench` forwards, and run the suite."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="a small run, under a minute")
    size.add_argument("--tiny", action="store_true", help="the smallest run, to check it works")
    parser.add_argument("--output", default="bench-results.json", help="the JSON file to write")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic history")
    parser.add_argument("--profile", metavar="DIR", help="also sample the server with py-spy")
    args = parser.parse_args()
    profile = Path(args.profile) if args.profile else None
    run(plan_for(args.quick, args.tiny), Path(args.output), seed=args.seed, profile=profile)


if __name__ == "__main__":
    main()
