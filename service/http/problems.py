"""One mapping from errors to RFC 9457 problem responses, registered once on the app."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import msgspec
import psycopg
import psycopg_pool
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from infra.eventstore import StoreUnavailable
from service.errors import (
    ClaimledgerError,
    Conflict,
    FieldProblem,
    InvalidInput,
    NotFound,
)

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
_PASSED_HEADERS = {"allow", "retry-after", "www-authenticate"}
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")


class FieldError(msgspec.Struct, frozen=True):
    """A field at fault."""

    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    """An RFC 9457 problem document."""

    title: str
    status: int
    detail: str
    type: str = "about:blank"
    instance: str | None = None
    errors: list[FieldError] = []


def problem(
    request: Request[Any, Any, Any],
    status: int,
    title: str,
    detail: str,
    errors: Sequence[FieldProblem] = (),
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    """A problem+json response."""
    body = Problem(
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=[FieldError(p.field, p.message) for p in errors],
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def handle_ledger_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Our own errors, by class."""
    if isinstance(exc, InvalidInput):
        return problem(request, 422, "Invalid input", str(exc), exc.problems)
    if isinstance(exc, NotFound):
        return problem(request, 404, "Not found", str(exc))
    if isinstance(exc, Conflict):
        return problem(request, 409, "Conflict", str(exc))
    return problem(request, 400, "Bad request", str(exc))


def handle_validation(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Bodies and parameters that do not fit their schema: 422 with the fields at fault;
    bodies that are not JSON at all: 400."""
    assert isinstance(exc, ValidationException)
    problems = [_field_problem(item) for item in exc.extra or [] if isinstance(item, dict)]
    if problems:
        return problem(request, 422, "Invalid input", exc.detail, problems)
    return problem(request, 400, "Malformed request", exc.detail)


def handle_http(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Litestar's own HTTP errors (unknown route, wrong method, body too large...)."""
    assert isinstance(exc, HTTPException)
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() in _PASSED_HEADERS}
    return problem(
        request, exc.status_code, _title(exc.status_code), exc.detail, headers=headers or None
    )


def handle_database_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """The database is unreachable: 503, try again shortly."""
    log.warning("database unavailable: %s", exc)
    return _unavailable(request)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Anything else: logged in full, answered with no internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, 500, "Internal error", "the server could not answer this request")


def exception_handlers() -> dict[Any, Any]:
    """The mapping to register on the app."""
    return {
        ClaimledgerError: handle_ledger_error,
        ValidationException: handle_validation,
        HTTPException: handle_http,
        StoreUnavailable: handle_database_down,
        psycopg.OperationalError: handle_database_down,
        psycopg_pool.PoolTimeout: handle_database_down,
        Exception: handle_unexpected,
    }


def _unavailable(request: Request[Any, Any, Any]) -> Response[Problem]:
    return problem(
        request,
        503,
        "Service unavailable",
        "the database cannot be reached",
        headers={"Retry-After": "2"},
    )


def _field_problem(item: dict[str, Any]) -> FieldProblem:
    message = str(item.get("message", "invalid"))
    key = str(item.get("key") or "")
    if unknown := _UNKNOWN_FIELD.search(message):
        key = f"{key}.{unknown.group(1)}" if key and key != "data" else unknown.group(1)
    return FieldProblem(key or str(item.get("source", "body")), message)


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
