"""SQL injection in every string field of every body and in every path and query parameter.

Where a field takes any text (a title, a claimant, a reason), the text is stored as it is,
so the request is made bad by something else and must be refused for that, naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.e2e.bad_requests import (
    INJECTIONS,
    UNKNOWN,
    Bad,
    article,
    changed,
    claim,
    contestation,
    get,
    post,
)

PLACE = "/places/geonames:703656"
# Fields of an article holding any text, and the field the test article then fails on.
FREE_TEXT = ("outlet", "title")
CLAIM_TEXT = ("id", "claimant", "note")
CONTESTATION_TEXT = ("id", "by", "note")
# Fields whose value an injection cannot be: a date, a side, a kind, a number, a pattern.
TYPED = ("url", "language", "published_on")
CLAIM_TYPED = ("place", "claimant_side", "actor_side", "kind", "extent", "claimed_on", "quote")
CONTESTATION_TYPED = ("contests", "by_side", "contested_on", "quote")


def article_fields(injection: str, n: int) -> Iterator[Bad]:
    unknown_place = [claim(place="Atlantis")]
    for name in FREE_TEXT:
        bad = article(claims=unknown_place, **{name: injection})
        yield post("/articles", bad, "claims[0].place", f"injected {name} #{n}")
    for name in CLAIM_TEXT:
        bad = article(claims=[claim(place="Atlantis", **{name: injection})])
        yield post("/articles", bad, "claims[0].place", f"injected claims[0].{name} #{n}")
    for name in CONTESTATION_TEXT:
        rejection = contestation(**{name: injection})
        bad = article(claims=unknown_place, contestations=[rejection])
        yield post("/articles", bad, "claims[0].place", f"injected contestation {name} #{n}")
    yield post("/articles", article(body=injection), "claims[0].quote", f"injected body #{n}")
    for name in TYPED:
        yield post("/articles", article(**{name: injection}), name, f"injected {name} #{n}")
    for name in CLAIM_TYPED:
        field = f"claims[0].{name}"
        bad = article(claims=[claim(**{name: injection})])
        yield post("/articles", bad, field, f"injected {field} #{n}")
    for name in CONTESTATION_TYPED:
        field = f"contestations[0].{name}"
        bad = article(contestations=[contestation(**{name: injection})])
        yield post("/articles", bad, field, f"injected {field} #{n}")
    batch = {"articles": [article(url=f"https://x.test/{n}", title=injection, language=injection)]}
    yield post("/articles/batch", batch, "articles[0].language", f"injected #{n}")


NOTE = {"by": "General Staff", "by_side": "ukraine", "contested_on": "2025-11-19", "note": "n"}
RETRACTION = {"reason": "wrong place", "by": "analyst"}


def claim_fields(injection: str, n: int) -> Iterator[Bad]:
    contest = "/claims/{claim}/contestations"
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("by", changed(NOTE, by=injection, by_side="nato"), "by_side"),
        ("note", changed(NOTE, note=injection, by_side="nato"), "by_side"),
        ("by_side", changed(NOTE, by_side=injection), "by_side"),
        ("contested_on", changed(NOTE, contested_on=injection), "contested_on"),
        ("article_id", changed(NOTE, note=..., article_id=injection, quote="x"), "article_id"),
        ("quote", changed(NOTE, note=..., article_id="{article}", quote=injection), "quote"),
    ]
    for name, body, field in cases:
        yield post(contest, body, field, f"injected {name} #{n}")
    retract = "/claims/{claim}/retractions"
    for name, body, field in (
        ("reason", changed(RETRACTION, reason=injection, article_id="x"), "article_id"),
        ("by", changed(RETRACTION, by=injection, article_id="x"), "article_id"),
        ("article_id", changed(RETRACTION, article_id=injection), "article_id"),
    ):
        yield post(retract, body, field, f"injected {name} #{n}")


QUERIES: dict[str, tuple[str, ...]] = {
    f"{PLACE}/claims": ("as_of", "side", "kind", "include", "limit", "offset", "known_at"),
    f"{PLACE}/timeline": ("from", "to", "include", "known_at"),
    "/events": ("after", "limit", "until", "type", "positions"),
    "/events/stream": ("after", "type"),
    "/claims/{claim}": ("known_at",),
    "/places": ("limit",),
}


def parameters(injection: str, n: int) -> Iterator[Bad]:
    for path, names in QUERIES.items():
        for name in names:
            params = {name: injection}
            if path == "/places":  # any text may be searched for: the limit is wrong
                params = {"q": injection, "limit": "0"}
            yield get(path, params, name, f"injected {name} #{n}")
    for path in ("/articles", "/claims"):
        field = f"{path[1:-1]}_id"
        yield get(f"{path}/{injection}", None, field, f"injected id #{n}")
    yield post(f"/claims/{injection}/retractions", RETRACTION, "claim_id", f"injected id #{n}")
    yield Bad(f"reextract injected id #{n}", "POST", f"/articles/{injection}/reextract")
    for suffix in ("", "/claims", "/timeline"):
        yield get(f"/places/{injection}{suffix}", None, None, f"injected place #{n}", 404)
    yield get(f"/places/{injection}/claims", {"limit": "0"}, None, f"injected both #{n}")
    yield get(f"/articles/{UNKNOWN}", {injection: "1"}, injection, f"injected name #{n}")


def injections() -> Iterator[Bad]:
    """Every injection string in every field and parameter."""
    for n, injection in enumerate(INJECTIONS):
        yield from article_fields(injection, n)
        yield from claim_fields(injection, n)
        yield from parameters(injection, n)
