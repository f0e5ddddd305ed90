"""Benchmarks: `claimledger bench` (bench.suite) measures ingest, the as-of query and its
growth, rebuild, the event feed, extraction and memory, each beside a baseline taken in the
same run, on a seeded synthetic history in a scratch database."""
