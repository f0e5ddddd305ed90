"""A real server under requests meant to grow it: unknown place names of any length leave
its memory as it was, and refusals are counted by the rate limit."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.integration.served import served


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def test_long_unknown_place_names_leave_memory_as_it_was(
    clean_database: str, tmp_path: Path
) -> None:
    with (
        served(clean_database, tmp_path / "serve.log") as (process, base_url),
        httpx.Client(base_url=base_url, timeout=30) as http,
    ):
        for n in range(200):  # warm up: the paths every request takes, allocated once
            http.get(f"/places/{'w' * 100}{n}/claims")
        before = rss_mib(process.pid)
        for n in range(3_000):
            # Names the app looks up (and answers 404), and names too long to read at all.
            near = http.get(f"/places/{n}{'x' * 4_000}/claims")
            assert near.status_code == 404, near.text[:200]
            far = http.get(f"/places/{n}{'x' * 60_000}/claims")
            assert far.status_code == 414, far.text[:200]
            assert far.headers["content-type"] == "application/problem+json"
        grown = rss_mib(process.pid) - before
    # 3,000 names of 60,000 characters and 3,000 of 4,000 are 192 MB of text.
    assert grown < 50, f"the server grew by {grown:.0f} MiB"


def test_refused_requests_are_counted_by_the_rate_limit(
    clean_database: str, tmp_path: Path
) -> None:
    settings = {"CLAIMLEDGER_RATE_LIMIT": "60", "CLAIMLEDGER_RATE_BURST": "20"}
    with (
        served(clean_database, tmp_path / "serve.log", settings=settings) as (_, base_url),
        httpx.Client(base_url=base_url, timeout=30) as http,
    ):
        statuses = [
            http.get("/places/geonames:703656/claims", headers={"X-API-Key": "wrong"}).status_code
            for _ in range(40)
        ]
    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}
