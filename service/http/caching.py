"""HTTP caching, decided in one place for every answer a server sends, the held-answer
shortcut's included: a strong `ETag` (see `_tag`), `304 Not Modified` for an
`If-None-Match` that names it, `Cache-Control`, and gzip when the caller accepts it.

An answer asked for at a `known_at` at or before the watermark can never change (the read
models hold every event recorded by then, and only later events come after it), so it may
be kept for a year without asking again; a route says so with `settle`. Every other answer
is `no-cache`: it may be kept, but must be revalidated, which a matching `ETag` makes cheap.
Health and readiness are `no-store`. An answer to a caller that presented a key is
`private`, so that no shared cache hands it to someone without one. The event stream, and
any answer but a 200, go through untouched.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request

from service.version import VERSION

SETTLED = "claimledger.settled"
"""The scope key a route sets when its answer can never change (see `settle`)."""
ANSWERED = "claimledger.answered_at"
"""The scope key of the record time an answer is of (see `answered_at`)."""
FOREVER = "max-age=31536000, immutable"
MIN_GZIP_BYTES = 1024
"""Smaller answers are sent as they are: compressing them saves less than it costs."""
_GZIP_LEVEL = 6
_COMPRESSIBLE = (
    b"application/json",
    b"application/problem+json",
    b"application/geo+json",
    b"application/vnd.oai.openapi",
    b"application/javascript",
    b"image/svg+xml",
    b"text/",
)
_NOT_STORED = ("/health", "/ready")
_KEYS = (b"authorization", b"x-api-key")


def settle(request: Request[Any, Any, Any], asked: datetime | None, answered: datetime) -> None:
    """Say what record time the answer is of (`answered`), and mark it as one that never
    changes when it was asked at an instant (`asked`) the read models had reached: the
    answer is then as of that very instant, not of the watermark short of it."""
    answered_at(request.scope, answered)
    if asked is not None and answered == asked:
        request.scope[SETTLED] = True  # type: ignore[literal-required]


def answered_at(scope: Any, answered: datetime) -> None:
    """Say that the answer is of the read models at `answered`: the same request answered at
    the same record time is the same bytes (the service answers as of a record time, and
    renders deterministically), so its ETag is a hash of the request and that instant,
    rather than of a body of maybe a hundred kilobytes."""
    scope[ANSWERED] = answered.isoformat()


class HttpCaching:
    """An ASGI app: the app's GET answers, with validators, freshness and compression."""

    def __init__(self, app: Any) -> None:
        self.app = app

    # The scope and messages are plain ASGI dicts, as the server makes them.
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] | None = None
        chunks: list[bytes] = []

        async def hold(message: Any) -> None:
            nonlocal start
            if start is None and message["type"] == "http.response.start":
                if message["status"] != 200 or _streamed(message["headers"]):
                    start = {}  # passed on as it comes
                    await send(message)
                else:
                    start = message
                return
            if not start or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await _finish(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, hold)


async def _finish(scope: Any, start: dict[str, Any], body: bytes, send: Any) -> None:
    headers = [(k, v) for k, v in start["headers"] if k not in (b"content-length", b"etag")]
    request = dict(scope["headers"])
    tag = _tag(scope, headers, body)
    zipped = (
        len(body) >= MIN_GZIP_BYTES
        and _compressible(headers)
        and _accepts_gzip(request.get(b"accept-encoding", b""))
    )
    etag = f'"{tag}-gzip"' if zipped else f'"{tag}"'
    headers = [(k, v) for k, v in headers if k != b"cache-control"]
    headers += [(b"etag", etag.encode()), (b"cache-control", _freshness(scope, request))]
    if _compressible(headers):
        headers = _vary(headers)
    if _matches(request.get(b"if-none-match"), tag):
        kept = [(k, v) for k, v in headers if k != b"content-type"]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    if zipped:
        body = gzip.compress(body, _GZIP_LEVEL, mtime=0)
        headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _tag(scope: Any, headers: list[tuple[bytes, bytes]], body: bytes) -> str:
    """The answer's strong validator: a hash of what determines its bytes when a route said
    what record time it is of (the service's version, the request's target, that instant,
    the day that an absent `as_of` stands for, the media type), else of the body itself."""
    answered = scope.get(ANSWERED)
    if answered is None:
        return hashlib.sha256(body).hexdigest()[:32]
    kind = next((v for k, v in headers if k == b"content-type"), b"")
    key = "|".join(
        (
            VERSION,
            scope["path"],
            urlencode(sorted(parse_qsl(scope.get("query_string", b"").decode("latin-1")))),
            answered,
            date.today().isoformat(),
            kind.decode("latin-1"),
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _freshness(scope: Any, request: dict[bytes, bytes]) -> bytes:
    if scope["path"] in _NOT_STORED:
        return b"no-store"
    if not scope.get(SETTLED):
        return b"no-cache"
    audience = "private" if any(key in request for key in _KEYS) else "public"
    return f"{audience}, {FOREVER}".encode()


def _streamed(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k == b"content-type" and v.startswith(b"text/event-stream") for k, v in headers)


def _compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    kind = next((v for k, v in headers if k == b"content-type"), b"")
    encoded = any(k == b"content-encoding" for k, _ in headers)
    return not encoded and kind.startswith(_COMPRESSIBLE)


def _vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with `Accept-Encoding` among those the answer varies by."""
    varied = [v for k, v in headers if k == b"vary"]
    names = {n.strip().lower() for v in varied for n in v.split(b",")}
    if b"accept-encoding" in names or b"*" in names:
        return headers
    joined = b", ".join([*varied, b"Accept-Encoding"])
    return [(k, v) for k, v in headers if k != b"vary"] + [(b"vary", joined)]


def _accepts_gzip(accept: bytes) -> bool:
    """Whether an Accept-Encoding header takes gzip (named, or by `*`, with q above 0)."""
    weights: dict[bytes, float] = {}
    for item in accept.lower().split(b","):
        coding, _, params = item.strip().partition(b";")
        weight = 1.0
        for param in params.split(b";"):
            name, _, value = param.strip().partition(b"=")
            if name == b"q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if coding:
            weights[coding.strip()] = weight
    given = weights.get(b"gzip", weights.get(b"x-gzip", weights.get(b"*", 0.0)))
    return given > 0


def _matches(condition: bytes | None, tag: str) -> bool:
    """Whether If-None-Match names the answer, in either encoding (a weak comparison, as
    RFC 9110 asks for this header)."""
    if not condition:
        return False
    if condition.strip() == b"*":
        return True
    for item in condition.split(b","):
        value = item.strip().removeprefix(b"W/").strip(b'"')
        if value in (tag.encode(), f"{tag}-gzip".encode()):
            return True
    return False
