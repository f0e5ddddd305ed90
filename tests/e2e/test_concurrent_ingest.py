"""Many clients ingesting overlapping articles at once over real HTTP, through two servers
on one database (each with its own ledger, as two processes would be): every article is
recorded once, claims reported by several articles are merged, and the projected read
models equal a fresh replay of the events."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx
import psycopg
import pytest

from infra.postgres.database import psycopg_conninfo
from infra.readmodels.projector import Projector
from infra.readmodels.verify import verify
from service.app.services import Services
from service.bootstrap import served_app
from tests.e2e.live import serving
from tests.helpers import article, keyed_access, writer_headers

CLIENTS = 16
SERVERS = 2
ARTICLES = 12
PER_CLIENT = 6
DATES = ("2025-11-16", "2025-11-17", "2025-11-18")


@pytest.fixture
def base_urls(clean_database: str) -> Iterator[list[str]]:
    """Servers on the test database, each building its own services, none projecting."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                serving(
                    served_app(
                        lambda: Services.build(clean_database),
                        run_projector=False,
                        access=keyed_access(),
                    )
                )
            )
            for _ in range(SERVERS)
        ]


def report(number: int) -> dict[str, Any]:
    """The number-th article: the Russian claim is dated one of three days, the Ukrainian
    one of two, so articles share some claims and not others; every fourth article carries
    no contestation."""
    story = article(url=f"https://example.test/concurrent/{number}")
    russian, ukrainian = story["claims"]
    russian["claimed_on"] = DATES[number % 3]
    ukrainian["claimed_on"] = DATES[number % 2]
    if number % 4 == 3:
        story["contestations"] = []
    return story


def identity(claim: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two reported claims one (every claim here is about Kupiansk)."""
    return (
        claim["claimant_side"],
        claim["actor_side"],
        claim["kind"],
        claim.get("extent"),
        claim["claimed_on"],
    )


def send(
    base_url: str, client: int, numbers: list[int], start: threading.Barrier
) -> dict[str, list[bool]]:
    """One client's requests: even clients post articles one by one in a shuffled order,
    odd ones post them in one batch or two. Returns `created` per article URL."""
    created: dict[str, list[bool]] = {}
    order = random.Random(client).sample(numbers, len(numbers))
    with httpx.Client(base_url=base_url, timeout=60, headers=writer_headers()) as http:
        start.wait()
        if client % 2 == 0:
            for number in order:
                story = report(number)
                response = http.post("/articles", json=story)
                assert response.status_code in {200, 201}, response.text
                assert response.json()["created"] == (response.status_code == 201)
                created.setdefault(story["url"], []).append(response.json()["created"])
        else:
            parts = [order] if client % 4 == 1 else [order[:3], order[3:]]
            for part in parts:
                stories = [report(n) for n in part]
                response = http.post("/articles/batch", json={"articles": stories})
                assert response.status_code == 200, response.text
                for story, result in zip(stories, response.json()["results"], strict=True):
                    created.setdefault(story["url"], []).append(result["created"])
    return created


def topic_counts(url: str) -> tuple[Counter[str], Counter[Any]]:
    """Events per topic, and evidence events (recorded or corroborated) per claim."""
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        rows = conn.execute("SELECT topic, originator_id FROM stored_events").fetchall()
    evidence = Counter(
        claim for topic, claim in rows if topic in {"ClaimRecorded", "ClaimCorroborated"}
    )
    return Counter(topic for topic, _ in rows), evidence


def test_overlapping_articles_sent_at_once_are_recorded_once_and_merged(
    base_urls: list[str], clean_database: str
) -> None:
    assignments = [
        [(client + step) % ARTICLES for step in range(PER_CLIENT)] for client in range(CLIENTS)
    ]
    start = threading.Barrier(CLIENTS, timeout=30)
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        outcomes = list(
            pool.map(
                lambda c: send(base_urls[c // 2 % SERVERS], c, assignments[c], start),
                range(CLIENTS),
            )
        )

    sent = Counter(n for numbers in assignments for n in numbers)
    assert min(sent.values()) >= 4  # every article is sent by several clients at once
    stories = [report(n) for n in sorted(sent)]
    reporters = Counter(identity(c) for story in stories for c in story["claims"])
    created = Counter(
        url for outcome in outcomes for url, flags in outcome.items() for flag in flags if flag
    )
    assert created == Counter(story["url"] for story in stories)  # once each

    topics, evidence = topic_counts(clean_database)
    assert topics == {
        "ArticleIngested": len(stories),
        "ClaimRecorded": len(reporters),
        "ClaimCorroborated": sum(reporters.values()) - len(reporters),
        "ClaimContested": sum(len(story["contestations"]) for story in stories),
    }
    assert sorted(evidence.values()) == sorted(reporters.values())

    Projector(clean_database).catch_up()
    result = verify(clean_database)
    assert result.identical, result
    assert result.replayed == sum(topics.values())  # positions may have gaps; events do not
    rows = {t.table: t.rows for t in result.tables}
    assert rows["articles"] == len(stories)
    assert rows["claims"] == len(reporters)
    assert rows["claim_evidence"] == sum(reporters.values())
