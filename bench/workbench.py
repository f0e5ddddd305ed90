"""The map's first paint with thousands of places, in Debian's headless Chromium: from the
start of navigation to the markers drawn, beside the time the same page's data takes to
fetch and parse alone in the same browser.

    .venv/bin/python bench/workbench.py [--places 6000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from domain.vocabulary import PlaceKind
from infra.readmodels.projector import Projector
from infra.reference.gazetteer import default_gazetteer
from service.access import Access, ApiKey, digest
from service.app.services import Services
from service.bootstrap import served_app
from tests.synthetic.history import scratch_database

KEY = "bench-workbench-key"
_FETCH_ONLY = """async () => {
    const started = performance.now();
    const response = await fetch('/claims?as_of=2025-12-31&limit=10000',
                                 {headers: {accept: 'application/geo+json'}});
    const answer = await response.json();
    return [performance.now() - started, answer.features.length];
}"""


def main() -> None:
    """Fill a scratch database with claims about many places, serve the app, and time the
    map page in the browser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("bench/workbench.py needs Debian's chromium (apt install chromium)")
    with scratch_database() as url, serving(url) as base:
        written = _fill(base, url, args.places)
        painted, fetched = _measure(base, chromium, args.rounds)
    print(f"{written} places with claims; {args.rounds} rounds, medians")
    print(f"first paint:  {statistics.median(painted):8.0f} ms (navigation to markers drawn)")
    print(f"data alone:   {statistics.median(fetched):8.0f} ms (fetch and parse the GeoJSON)")
    print(f"ratio:        {statistics.median(painted) / statistics.median(fetched):8.2f}x")


@contextmanager
def serving(url: str) -> Iterator[str]:
    """The served app on a free port, with a write key for the bench."""
    access = Access(keys=(ApiKey("bench", "write", digest(KEY)),), open_reads=True)
    app = served_app(lambda: Services.build(url), access=access)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def _fill(base: str, url: str, count: int) -> int:
    """One article for each of `count` settlements with coordinates, each with one
    claim of control about it."""
    places = [
        p
        for p in default_gazetteer().places()
        if p.kind is PlaceKind.POPULATED_PLACE and p.lat is not None and p.lon is not None
    ][:count]
    articles = [_article(number, place.id, place.name) for number, place in enumerate(places)]
    headers = {"authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        for start in range(0, len(articles), 500):
            batch = {"articles": articles[start : start + 500]}
            client.post("/articles/batch", json=batch).raise_for_status()
    Projector(url).catch_up()
    return len(places)


def _article(number: int, place_id: str, name: str) -> dict[str, Any]:
    body = f"Report {number}: the ministry said its forces took control of {name}."
    return {
        "url": f"https://bench.test/{number}",
        "language": "en",
        "published_on": "2025-11-20",
        "body": body,
        "claims": [
            {
                "place": place_id,
                "claimant": "Russian Ministry of Defence",
                "claimant_side": "russia",
                "actor_side": "russia",
                "kind": "control",
                "claimed_on": "2025-11-20",
                "quote": f"its forces took control of {name}",
            }
        ],
    }


def _measure(base: str, chromium: str, rounds: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    painted, fetched = [], []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            for _ in range(rounds + 1):  # the first round warms the server and the cache
                page.goto(f"{base}/?as_of=2025-12-31")
                page.wait_for_selector("#map[data-drawn-at]", state="attached", timeout=60_000)
                painted.append(float(page.get_attribute("#map", "data-drawn-at") or "nan"))
                elapsed, _ = page.evaluate(_FETCH_ONLY)
                fetched.append(elapsed)
        finally:
            browser.close()
    return painted[1:], fetched[1:]


if __name__ == "__main__":
    main()
