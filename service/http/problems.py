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

from infra.eventstore.store import StoreBusy, StoreUnavailable
from service.app.errors import (
    ClaimledgerError,
    Conflict,
    FieldProblem,
    InvalidInput,
    NotFound,
    NotYetRead,
)
from service.http.observing import instance

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
_PASSED_HEADERS = {"allow", "retry-after", "www-authenticate"}
_NAMED_FIELD = re.compile(r"(?:unknown|missing required) field `([^`]*)`")
_AT_PATH = re.compile(r" - at `\$([^`]*)`$")
_JSON_TYPES = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "uuid": "UUID",
    "datetime": "date-time",
}
_TYPE_NAMES = re.compile(r"`([a-z]+(?: \| [a-z]+)*)`")


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


MAX_TARGET = 4096
"""The longest request target (path and query, in characters) the service reads."""


PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "invalid-input": (
        422,
        "A field or parameter does not fit its schema, or names something impossible or"
        " unknown; `errors` lists each one at fault. Nothing was written.",
    ),
    "malformed": (400, "The body is not JSON, or not UTF-8. Nothing was written."),
    "unauthorized": (401, "No API key, or one the service does not know, where one is needed."),
    "forbidden": (403, "The API key may read but not write."),
    "not-found": (404, "No resource has this id, or no route this path."),
    "method-not-allowed": (405, "The route does not take this method."),
    "conflict": (
        409,
        "The request cannot apply to the resource as it stands (an analyst's article asked to"
        " be read again), or concurrent writers kept colliding: ask again.",
    ),
    "too-large": (413, "The body is longer than the service takes (CLAIMLEDGER_MAX_BODY_BYTES)."),
    "uri-too-long": (414, f"The path and query are longer than {MAX_TARGET} characters."),
    "unsupported-media-type": (415, "The body is not sent as application/json."),
    "too-many-requests": (
        429,
        "The caller is over its rate, or has too many event streams open; ask again after"
        " Retry-After.",
    ),
    "internal": (500, "The server failed to answer; the log has the request's id."),
    "not-yet-read": (
        503,
        "The read models did not reach the event `min_position` names in time; ask again"
        " after Retry-After.",
    ),
    "unavailable": (
        503,
        "The database cannot be reached, or a write waited too long for its turn; nothing"
        " was written; ask again after Retry-After.",
    ),
}
"""Each kind of problem a `type` names (`/problems/<kind>`), its status and what it means."""
# The kind a status is, unless said otherwise (a 503 is `unavailable` but where the read
# models are awaited).
_KIND_OF_STATUS = {
    status: kind for kind, (status, _) in PROBLEM_TYPES.items() if kind != "not-yet-read"
}


def problem_type(kind: str | None) -> str:
    """A problem's `type`: its kind's page on this service, `about:blank` for none."""
    return f"/problems/{kind}" if kind in PROBLEM_TYPES else "about:blank"


def too_long(scope: Any) -> bytes:
    """The problem document of a request whose target is longer than MAX_TARGET."""
    body = Problem(
        title="URI Too Long",
        status=414,
        detail=f"the request's path and query are longer than {MAX_TARGET} characters",
        type=problem_type("uri-too-long"),
        instance=instance(scope),
    )
    return msgspec.json.encode(body)


def problem(
    request: Request[Any, Any, Any],
    status: int,
    title: str,
    detail: str,
    errors: Sequence[FieldProblem] = (),
    headers: dict[str, str] | None = None,
    kind: str | None = None,
) -> Response[Problem]:
    """A problem+json response, its `type` the kind's (else the status's usual kind)."""
    body = Problem(
        title=title,
        status=status,
        detail=detail,
        type=problem_type(kind or _KIND_OF_STATUS.get(status)),
        instance=instance(request.scope),
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
    if isinstance(exc, NotYetRead):
        return problem(
            request,
            503,
            "Service unavailable",
            str(exc),
            headers={"Retry-After": "1"},
            kind="not-yet-read",
        )
    return problem(request, 400, "Bad request", str(exc))


def handle_validation(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Bodies and parameters that do not fit their schema: 422 with the fields at fault;
    bodies that are not JSON at all: 400."""
    assert isinstance(exc, ValidationException)
    names = _public_names(request)
    problems = [_field_problem(item, names) for item in exc.extra or [] if isinstance(item, dict)]
    if problems:
        return problem(request, 422, "Invalid input", _summary(problems), problems)
    return problem(request, 400, "Malformed request", exc.detail, kind="malformed")


def handle_http(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Litestar's own HTTP errors (unknown route, wrong method, body too large...)."""
    assert isinstance(exc, HTTPException)
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() in _PASSED_HEADERS}
    return problem(
        request, exc.status_code, status_title(exc.status_code), exc.detail, headers=headers or None
    )


def handle_database_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """The database is unreachable: 503, try again shortly."""
    log.warning("database unavailable: %s", exc)
    return _unavailable(request)


def handle_store_busy(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """A write timed out waiting for its turn or running: 503, nothing written."""
    log.warning("write timed out: %s", exc)
    return problem(
        request,
        503,
        "Service unavailable",
        f"the event store is busy: {exc}; nothing was written, try again",
        headers={"Retry-After": "2"},
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Anything else: logged in full, answered with no internals."""
    log.exception("unhandled error on %s %s", request.method, request.scope["path"], exc_info=exc)
    return problem(request, 500, "Internal error", "the server could not answer this request")


def exception_handlers() -> dict[Any, Any]:
    """The mapping to register on the app."""
    return {
        ClaimledgerError: handle_ledger_error,
        ValidationException: handle_validation,
        HTTPException: handle_http,
        StoreUnavailable: handle_database_down,
        StoreBusy: handle_store_busy,
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


def located(message: str) -> FieldProblem:
    """A msgspec validation message (`... - at `$.claims[0].place``) as the field at fault,
    named by its path from the root of the body (`$` for the body itself), in JSON's terms."""
    at = _AT_PATH.search(message)
    path = at.group(1).removeprefix(".") if at else ""
    message = message[: at.start()] if at else message
    if named := _NAMED_FIELD.search(message):
        path = f"{path}.{named.group(1)}" if path else named.group(1)
    return FieldProblem(path or "$", _in_json_terms(message))


def _public_names(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Parameters by their Python name, for those the API names otherwise (`from_`)."""
    handler = request.scope.get("route_handler")
    if handler is None:
        return {}
    parameters = handler.parsed_fn_signature.parameters
    return {
        name: alias
        for name, field in parameters.items()
        if (alias := getattr(field.kwarg_definition, "name", None))
    }


def _field_problem(item: dict[str, Any], names: dict[str, str]) -> FieldProblem:
    message = str(item.get("message", "invalid"))
    key = str(item.get("key") or "")
    key = names.get(key, key)
    if key == "data":  # Litestar's name for a body that was not sent at all
        return FieldProblem("$", "a JSON body is required")
    if named := _NAMED_FIELD.search(message):
        key = f"{key}.{named.group(1)}" if key else named.group(1)
    return FieldProblem(key or str(item.get("source", "$")), _in_json_terms(message))


def _in_json_terms(message: str) -> str:
    """msgspec's messages name Python types (`str | null`); the API speaks JSON's."""

    def json_names(names: re.Match[str]) -> str:
        return "`" + " | ".join(_JSON_TYPES.get(n, n) for n in names.group(1).split(" | ")) + "`"

    return message if _NAMED_FIELD.search(message) else _TYPE_NAMES.sub(json_names, message)


def _summary(problems: Sequence[FieldProblem]) -> str:
    return "; ".join(f"{p.field}: {p.message}" for p in problems)


# RFC 9110's names, spelled here: Python's HTTPStatus renamed some between versions, and the
# document and the answers must be the same whichever Python runs the service.
_TITLES = {
    413: "Content Too Large",
    414: "URI Too Long",
    422: "Unprocessable Content",
}


def status_title(status: int) -> str:
    """The status's name, as a problem's `title` and in the OpenAPI document."""
    if status in _TITLES:
        return _TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
