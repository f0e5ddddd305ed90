"""The access check every resource route runs before its body is read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
    TooManyRequestsException,
)
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import SecurityScheme

from service.access import Access, Decision, Role

READS = frozenset({"GET", "HEAD", "OPTIONS"})
DECISION = "claimledger.access"
"""The scope key under which a request carries the access decision already made for it (by
the held answers in front of the app, for a GET), so that it is made, and counted, once."""
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="claimledger"'}
# OpenAPI security requirements: writes need a key; reads may send one (needed when the
# service is configured with keyed reads).
SECURITY_SCHEMES = {
    "bearer": SecurityScheme(type="http", scheme="bearer", description="an API key"),
    "apiKey": SecurityScheme(
        type="apiKey", name="X-API-Key", security_scheme_in="header", description="an API key"
    ),
}
WRITE_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"apiKey": []}]
READ_SECURITY: list[dict[str, list[str]]] = [{}, {"bearer": []}, {"apiKey": []}]


def caller(scope: Mapping[str, Any]) -> tuple[str | None, str]:
    """Who sends a request: the key it presents (see `presented_key`) and the address it
    came from ("unknown" when the server does not say)."""
    client = scope.get("client")
    return presented_key(scope["headers"]), client[0] if client else "unknown"


def presented_key(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The key sent as `Authorization: Bearer <key>` or as `X-API-Key` (the first of each
    header, read from the request's raw headers, whose names ASGI servers send lowercased)."""
    found: dict[bytes, bytes] = {}
    for name, value in headers:
        if name in _KEY_HEADERS:
            found.setdefault(name, value)
    scheme, _, token = found.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return found.get(b"x-api-key", b"").decode("latin-1") or None


_KEY_HEADERS = frozenset({b"authorization", b"x-api-key"})


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Let the request through, or refuse it with 401, 403 or 429. It does no I/O, so it
    runs on the event loop rather than in a worker thread."""
    access: Access = connection.app.state.access
    method = connection.scope.get("method", "GET")
    wanted: Role = "read" if method in READS else "write"
    key, address = caller(connection.scope)
    made = connection.scope.get(DECISION)
    decision = made if isinstance(made, Decision) else access.decide(wanted, key, address)
    if decision.status == 401:
        if key:
            detail = "the API key is not known"
        elif wanted == "write":
            detail = "this request needs an API key"
        else:
            detail = "reads need an API key"
        raise NotAuthorizedException(detail=detail, headers=CHALLENGE)
    if decision.status == 403:
        raise PermissionDeniedException(detail="this API key may only read")
    if decision.status == 429:
        raise TooManyRequestsException(
            detail="too many requests; slow down",
            headers={"Retry-After": str(decision.retry_after)},
        )


def may_read_bodies(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether article bodies go to this caller: to all when the service serves them openly,
    else to callers that present a key (`authorize` has refused unknown ones already)."""
    keyed: bool = connection.app.state.keyed_bodies
    return not keyed or caller(connection.scope)[0] is not None
