"""Bad requests to the endpoints that write: bodies that are not JSON, not sent as JSON or too
large, and every field of every body wrong in the ways it can be."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.e2e.bad_requests import (
    BAD_DATES,
    INJECTIONS,
    UNKNOWN,
    Bad,
    article,
    changed,
    claim,
    contestation,
    post,
)

BODY_PATHS = (
    "/articles",
    "/articles/batch",
    "/claims/{claim}/contestations",
    "/claims/{claim}/retractions",
)
MALFORMED = {
    "truncated object": b'{"body": "x"',
    "open brace": b"{",
    "trailing comma": b'{"body": "x",}',
    "single quotes": b"{'body': 'x'}",
    "trailing garbage": b'{"body": "x"} and more',
    "NaN": b'{"body": NaN}',
    "invalid UTF-8": b"\xff\xfe\x00",
    "invalid UTF-8 in a string": b'{"body": "\xc3\x28"}',
    "lone surrogate": b'{"body": "\\ud800"}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "comment": b'/* hi */ {"body": "x"}',
    "BOM": b'\xef\xbb\xbf{"body": "x"}',
}
WRONG_SHAPE = {
    "empty body": b"",
    "null": b"null",
    "array": b"[]",
    "string": b'"just a string"',
    "huge number": b"1e999999",
    "true": b"true",
}
CONTENT_TYPES = {
    "text/plain": b'{"body": "x"}',
    "application/xml": b"<article><body>x</body></article>",
    "application/x-www-form-urlencoded": b"body=x",
    "multipart/form-data; boundary=b": b'--b\r\nContent-Disposition: form-data; name="body"\r\n\r\n'
    b"x\r\n--b--\r\n",
    "application/json; charset=latin-1": b'{"body": "x"}',
    "text/json": b'{"body": "x"}',
    "": b'{"body": "x"}',
}


def bodies() -> Iterator[Bad]:
    huge = json.dumps(article(body="war " * 5_000_000)).encode()  # 20 MB
    for path in BODY_PATHS:
        for label, raw in MALFORMED.items():
            yield Bad(f"POST {path} {label}", "POST", path, raw, status=400)
        for label, raw in WRONG_SHAPE.items():
            yield Bad(f"POST {path} {label}", "POST", path, raw, field="$", status=422)
        for media_type, raw in CONTENT_TYPES.items():
            headers = (("content-type", media_type),) if media_type else ()
            label = f"POST {path} as {media_type or 'no type'}"
            yield Bad(label, "POST", path, raw, headers=headers, status=415)
        yield Bad(f"POST {path} 20 MB", "POST", path, huge, status=413)


ARTICLE_FIELDS: dict[str, list[Any]] = {
    "url": [12, ["https://x"], "not a url", "javascript:alert(1)", "https://x/" + "a" * 2000],
    "outlet": [5, "", "o" * 2001, "a\x00b", {"name": "x"}],
    "language": ["", 12, "EN", "english", "e\x00", "fr-FR"],
    "published_on": [*BAD_DATES, 20251121],
    "title": [5, "t" * 2001, "bell \x07", ["x"]],
    "body": ["", 5, None, "nul \x00 inside", "b" * 1_000_001, ["x"]],
    "claims": [{"c1": claim()}, "c1", [1], [None], [claim()] * 1001],
    "contestations": [None, {}, "c1", [contestation()] * 1001],
    "extract": [0, "false", None, 1],
}
CLAIM_FIELDS: dict[str, list[Any]] = {
    "id": [5, "", "i" * 2001],
    "place": ["Atlantis", "", 5, "\x00"],
    "claimant": ["", None, "c" * 2001, "a\x00b", 5],
    "claimant_side": ["nato", "", 1, "Russia"],
    "actor_side": ["nato", None],
    "kind": ["victory", None, "CONTROL"],
    "extent": [0, 1.5, -0.1, "0.5", 0.5],
    "claimed_on": ["2025-02-30", "tomorrow", 1, None],
    "claimed_window": [
        ["2025-11-20"],
        ["2025-11-20", "2025-11-01"],
        ["a", "b"],
        ["2025-11-01", "2025-11-02", "2025-11-03"],
        "2025-11-20",
    ],
    "quote": ["not in the body", "", 5, "q" * 5001],
    "confidence": [-1, 2, "high", True],
    "required": ["yes", 1],
    "note": ["", 5, "n" * 5001],
    "kind_alternatives": [["victory"], "control", ["control"] * 21],
    "claimant_side_alternatives": [["nato"], "russia"],
}
CONTESTATION_FIELDS: dict[str, list[Any]] = {
    "contests": [UNKNOWN, "c9", "", 5],
    "by": ["", "b" * 2001, None],
    "by_side": [None, "nato"],
    "contested_on": ["2025-02-29", None, "soon"],
    "contested_window": [["2025-11-20", "2025-11-01"], ["x"]],
    "quote": ["not in the body", "", None],
    "note": [""],
}
JANUARY = ["2025-01-01", "2025-01-31"]
ARTICLE_SHAPES: list[tuple[str, dict[str, Any], str]] = [
    ("no body", changed(article(), body=...), "body"),
    ("unknown field", article(unknown=1), "unknown"),
    ("field in the wrong case", article(Body="x"), "Body"),
    ("prototype key", article(__proto__={}), "__proto__"),
    ("unknown claim field", article(claims=[claim(bogus=1)]), "claims[0].bogus"),
    ("claim without place", article(claims=[changed(claim(), place=...)]), "claims[0].place"),
    ("duplicate local ids", article(claims=[claim(), claim()]), "claims"),
    (
        "contestation without quote",
        article(contestations=[changed(contestation(), quote=...)]),
        "contestations[0].quote",
    ),
    (
        "unknown contestation field",
        article(contestations=[contestation(extra=[])]),
        "contestations[0].extra",
    ),
    (
        "claim date outside its window",
        article(claims=[claim(claimed_window=JANUARY)]),
        "claims[0].claimed_on",
    ),
    (
        "contestation date outside its window",
        article(contestations=[contestation(contested_window=JANUARY)]),
        "contestations[0].contested_on",
    ),
    # Dates at the calendar's ends, which the reader would count back or forward from.
    (
        "published on 0001-01-01, read",
        article(
            published_on="0001-01-01",
            body="Yesterday Kupiansk was taken.",
            claims=None,
            contestations=[],
        ),
        "published_on",
    ),
    (
        "published on 0001-01-01, a date without a year",
        article(
            published_on="0001-01-01",
            body="On 31 December the town fell.",
            claims=None,
            contestations=[],
        ),
        "published_on",
    ),
    (
        "published on 9999-12-31, read",
        article(
            published_on="9999-12-31",
            body="Tomorrow and today, Izium.",
            claims=None,
            contestations=[],
        ),
        "published_on",
    ),
    (
        "claimed on 0001-01-01",
        article(claims=[claim(claimed_on="0001-01-01")]),
        "claims[0].claimed_on",
    ),
    (
        "contested on 9999-12-31",
        article(contestations=[contestation(contested_on="9999-12-31")]),
        "contestations[0].contested_on",
    ),
]


def articles() -> Iterator[Bad]:
    for name, values in ARTICLE_FIELDS.items():
        for i, value in enumerate(values):
            yield post("/articles", article(**{name: value}), name, f"{name} #{i}")
    for name, values in CLAIM_FIELDS.items():
        field = f"claims[0].{name}"
        for i, value in enumerate(values):
            yield post(
                "/articles", article(claims=[claim(**{name: value})]), field, f"{field} #{i}"
            )
    for name, values in CONTESTATION_FIELDS.items():
        field = f"contestations[0].{name}"
        for i, value in enumerate(values):
            bad = article(contestations=[contestation(**{name: value})])
            yield post("/articles", bad, field, f"{field} #{i}")
    for label, bad, field in ARTICLE_SHAPES:
        yield post("/articles", bad, field, label)
    for i, injection in enumerate(INJECTIONS):
        # Free text may hold anything: this request is refused for its unknown place.
        claims = [claim(claimant=injection, place="Atlantis")]
        bad = article(title=injection, outlet=injection, claims=claims)
        yield post("/articles", bad, "claims[0].place", f"injection in free text #{i}")


def batches() -> Iterator[Bad]:
    good = article()
    many = [article(url=f"https://x.test/{i}", claims=[]) for i in range(501)]
    cases: list[tuple[str, Any, str]] = [
        ("empty", {"articles": []}, "articles"),
        ("501 articles", {"articles": many}, "articles"),
        ("not a list", {"articles": good}, "articles"),
        ("no articles", {}, "articles"),
        ("unknown field", {"articles": [good], "extra": 1}, "extra"),
        ("article is a string", {"articles": ["x"]}, "articles[0]"),
        ("bare list", [good], "$"),
        (
            "empty body in 4th",
            {"articles": [good, good, good, article(body="")]},
            "articles[3].body",
        ),
        (
            "NUL in 3rd title",
            {"articles": [good, good, article(title="a\x00")]},
            "articles[2].title",
        ),
        ("bad url in 2nd", {"articles": [good, article(url="not a url")]}, "articles[1].url"),
        (
            "2nd published on 0001-01-01, read",
            {
                "articles": [
                    good,
                    article(
                        url="https://x.test/old",
                        published_on="0001-01-01",
                        body="Yesterday.",
                        claims=None,
                        contestations=[],
                    ),
                ]
            },
            "articles[1].published_on",
        ),
        (
            "unknown place in 2nd",
            {"articles": [good, article(claims=[claim(place="Atlantis")])]},
            "articles[1].claims[0].place",
        ),
        (
            "unknown nested field",
            {"articles": [article(claims=[claim(bogus=1)])]},
            "articles[0].claims[0].bogus",
        ),
        (
            "quote not in body",
            {"articles": [article(claims=[claim(quote="absent")])]},
            "articles[0].claims[0].quote",
        ),
    ]
    for label, body, field in cases:
        yield post("/articles/batch", body, field, label)


NOTE = {"by": "General Staff", "by_side": "ukraine", "contested_on": "2025-11-19", "note": "n"}
QUOTED = changed(NOTE, note=..., quote="rejected")
CONTESTATIONS: list[tuple[str, dict[str, Any], str]] = [
    ("no by", changed(NOTE, by=...), "by"),
    ("empty by", changed(NOTE, by=""), "by"),
    ("long by", changed(NOTE, by="b" * 2001), "by"),
    ("NUL in by", changed(NOTE, by="x\x00"), "by"),
    ("nato", changed(NOTE, by_side="nato"), "by_side"),
    ("bad date", changed(NOTE, contested_on="2025-02-30"), "contested_on"),
    ("no date", changed(NOTE, contested_on=...), "contested_on"),
    (
        "window backwards",
        changed(NOTE, contested_window=["2025-11-20", "2025-11-01"]),
        "contested_window",
    ),
    ("window of one", changed(NOTE, contested_window=["2025-11-20"]), "contested_window"),
    ("window of none", changed(NOTE, contested_window=[]), "contested_window"),
    ("bad article id", changed(QUOTED, article_id="not-a-uuid"), "article_id"),
    ("numeric article id", changed(QUOTED, article_id=12), "article_id"),
    ("unknown article", changed(QUOTED, article_id=UNKNOWN), "article_id"),
    ("a claim as article", changed(QUOTED, article_id="{claim}"), "article_id"),
    ("quote without article", QUOTED, "article_id"),
    ("article without quote", changed(QUOTED, article_id="{article}", quote=...), "quote"),
    ("quote not in article", changed(QUOTED, article_id="{article}", quote="never"), "quote"),
    ("neither quote nor note", changed(NOTE, note=...), "note"),
    ("empty note", changed(NOTE, note=""), "note"),
    ("long note", changed(NOTE, note="n" * 5001), "note"),
    ("unknown field", changed(NOTE, extra=1), "extra"),
    (
        "injection in by, bad side",
        changed(NOTE, by=INJECTIONS[0], by_side=INJECTIONS[1]),
        "by_side",
    ),
]
RETRACTION = {"reason": "wrong place", "by": "analyst"}
RETRACTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("no reason", changed(RETRACTION, reason=...), "reason"),
    ("empty reason", changed(RETRACTION, reason=""), "reason"),
    ("blank reason", changed(RETRACTION, reason="   "), "reason"),
    ("long reason", changed(RETRACTION, reason="r" * 5001), "reason"),
    ("no by", changed(RETRACTION, by=...), "by"),
    ("empty by", changed(RETRACTION, by=""), "by"),
    ("NUL in reason", changed(RETRACTION, reason="a\x00"), "reason"),
    ("escape in by", changed(RETRACTION, by="\x1b[31m"), "by"),
    ("bad article id", changed(RETRACTION, article_id="../x"), "article_id"),
    ("unknown field", changed(RETRACTION, force=True), "force"),
    ("reason a number", changed(RETRACTION, reason=5), "reason"),
    (
        "injection in reason, bad article",
        changed(RETRACTION, reason=INJECTIONS[2], article_id=INJECTIONS[0]),
        "article_id",
    ),
]


def claims() -> Iterator[Bad]:
    for kind, cases, good in (
        ("contestations", CONTESTATIONS, NOTE),
        ("retractions", RETRACTIONS, RETRACTION),
    ):
        for label, body, field in cases:
            yield post(f"/claims/{{claim}}/{kind}", body, field, label)
        yield post(f"/claims/{UNKNOWN}/{kind}", good, None, "unknown claim", 404)
        yield post(f"/claims/{{article}}/{kind}", good, None, "an article as claim", 404)
        yield post(f"/claims/not-a-uuid/{kind}", good, "claim_id", "malformed claim id")
        yield post(f"/claims/%2e%2e%2fevents/{kind}", good, None, "traversal as claim id")
        yield post(f"/claims/..%5cevents/{kind}", good, "claim_id", "backslash traversal")


def reextractions() -> Iterator[Bad]:
    path = "/articles/{}/reextract"
    yield Bad("reextract unknown article", "POST", path.format(UNKNOWN), status=404)
    yield Bad("reextract a claim", "POST", path.format("{claim}"), status=404)
    yield Bad("reextract malformed id", "POST", path.format("x"), field="article_id")
    yield Bad("reextract injection", "POST", path.format("1%20OR%201=1"), field="article_id")
    yield Bad("reextract an analyst's article", "POST", path.format("{article}"), status=409)
    force = (("force", "1"),)
    yield Bad("reextract force", "POST", path.format("{article}"), params=force, field="force")


def keys() -> Iterator[Bad]:
    for path, body in (
        ("/articles", article()),
        ("/articles/batch", {"articles": [article()]}),
        ("/claims/{claim}/contestations", NOTE),
        ("/claims/{claim}/retractions", RETRACTION),
    ):
        raw = json.dumps(body).encode()
        for how, key, status in (
            ("without a key", None, 401),
            ("with a read key", "cl_test-reader-key", 403),
            ("with an unknown key", "nope", 401),
        ):
            authorization = (("authorization", f"Bearer {key}"),) if key else ()
            headers = (("content-type", "application/json"), *authorization)
            label = f"POST {path} {how}"
            yield Bad(label, "POST", path, raw, headers=headers, status=status, keyed=False)
    reextract = "/articles/{article}/reextract"
    yield Bad("reextract without a key", "POST", reextract, status=401, keyed=False)


def writes() -> Iterator[Bad]:
    """Every bad request to an endpoint that writes."""
    for cases in (bodies, articles, batches, claims, reextractions, keys):
        yield from cases()
