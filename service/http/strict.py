"""Strict input: JSON bodies decoded against their Struct without coercion, only JSON
accepted as a body, and only the query parameters an operation declares."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import Schema
from litestar.params import QueryParameter
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from service.app.errors import FieldProblem, InvalidInput
from service.app.submissions import control_characters
from service.http.problems import located

JSON_TYPES = frozenset({"application/json"})
_MALFORMED = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)
_NOT_JSON = "the body is not well-formed JSON"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_INTEGER = re.compile(r"^-?[0-9]{1,30}$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$")


class StrictRequest(Request[Any, Any, Any]):
    """A request whose JSON body is decoded straight into the handler's `data` type: no
    coercion (`0` is not `false`, `"1"` is not `1`), every field at fault named, and no
    string holding a control character."""

    async def json(self) -> Any:
        """The body as the handler's data type, or a 400/422 problem."""
        field = self.route_handler.parsed_data_field
        if field is None:
            return await super().json()
        return decode_body(await self.body(), field.annotation)


def decode_body(body: bytes, target: Any) -> Any:
    """Decode a JSON body into `target` strictly; raises ValidationException (400) for
    anything that is not JSON, InvalidInput (422) naming the fields that do not fit."""
    try:
        value = msgspec.json.decode(body, type=target)
    except msgspec.ValidationError as error:
        # Decoding stops at the first field that does not fit, which may come before
        # the place where the text stops being JSON; malformed JSON is told first.
        _well_formed(body)
        raise InvalidInput([located(str(error))]) from None
    except _MALFORMED:
        raise ValidationException(detail=_NOT_JSON) from None
    if problems := control_characters(value, encoded=body):
        raise InvalidInput(problems)
    return value


def _well_formed(body: bytes) -> None:
    try:
        msgspec.json.decode(body)
    except msgspec.ValidationError:
        return  # JSON, holding a number too large to represent
    except _MALFORMED:
        raise ValidationException(detail=_NOT_JSON) from None


async def strict_input(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Refuse query parameters the operation does not declare, gets twice or cannot read
    (422), and a body that is not JSON (415), before the body is read."""
    given = list(connection.query_params.multi_items())
    if problems := query_problems(given, _parameters(handler)):
        raise InvalidInput(problems)
    if handler.parsed_data_field is not None and not _is_json(connection):
        raise HTTPException(
            status_code=415, detail="the body must be JSON, sent as `application/json`"
        )


@dataclass(frozen=True)
class Parameter:
    """What a declared query parameter may be given as."""

    repeatable: bool
    integer: bool
    required: bool


def query_problems(
    given: list[tuple[str, Any]], declared: dict[str, Parameter]
) -> list[FieldProblem]:
    """A problem for each query parameter that is unknown, repeated though single, holds a
    control character, or is not a plain decimal integer where one is wanted."""
    counts = Counter(name for name, _ in given)
    problems = {
        name: FieldProblem(name, "this query parameter is required")
        for name, parameter in declared.items()
        if parameter.required and not counts[name]
    }
    for name, value in given:
        parameter = declared.get(name)
        if parameter is None:
            message = "unknown query parameter"
        elif counts[name] > 1 and not parameter.repeatable:
            message = "given more than once"
        elif _CONTROL.search(value):
            message = "control characters are not allowed"
        elif parameter.integer and not _INTEGER.match(value):
            message = "expected an integer"
        else:
            continue
        problems.setdefault(name, FieldProblem(name, message))
    return list(problems.values())


# The query parameters each handler's function declares, worked out on its first request.
_DECLARED: dict[Any, dict[str, Parameter]] = {}


def _parameters(handler: BaseRouteHandler) -> dict[str, Parameter]:
    # Guards get a copy of the handler for every request; its function stays the same.
    declared = _DECLARED.get(handler.fn)
    if declared is None:
        declared = _DECLARED[handler.fn] = _declared(handler)
    return declared


def _declared(handler: BaseRouteHandler) -> dict[str, Parameter]:
    declared: dict[str, Parameter] = {}
    for name, field in handler.parsed_fn_signature.parameters.items():
        kwarg = field.kwarg_definition
        if isinstance(kwarg, QueryParameter):
            repeatable, inner = _unwrapped(field)
            required = not field.has_default and not field.is_optional
            declared[kwarg.name or name] = Parameter(repeatable, inner.annotation is int, required)
    return declared


def _unwrapped(field: FieldDefinition) -> tuple[bool, FieldDefinition]:
    if field.is_optional:
        field = next(t for t in field.inner_types if not t.is_none_type)
    if field.is_non_string_sequence:
        return True, field.inner_types[0]
    return False, field


def _is_json(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    media_type, _, parameters = connection.headers.get("content-type", "").partition(";")
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", parameters, re.IGNORECASE)
    utf8 = charset is None or charset.group(1).lower() in {"utf-8", "utf8"}
    return media_type.strip().lower() in JSON_TYPES and utf8


def parse_instant(value: str | None, name: str) -> datetime | None:
    """An RFC 3339 instant from a query parameter (UTC when no offset is given); None
    stays None, which reads as "now" by the database's clock, the one that stamps
    events. Numbers are not instants here, whatever a lenient parser makes of them."""
    if value is None:
        return None
    try:
        if not _INSTANT.match(value):
            raise ValueError(value)
        parsed = msgspec.convert(value, datetime)
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError, msgspec.ValidationError):
        raise InvalidInput.at(
            name, "expected an RFC 3339 date-time, e.g. 2025-11-21T12:00:00Z"
        ) from None


class ClosedStructs(OpenAPISchemaPlugin):
    """Say in the OpenAPI document what msgspec enforces: a Struct that forbids unknown
    fields is an object with no properties beyond those it names."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        """Structs, which Litestar's own plugin describes; this one closes them."""
        return not field_definition.is_union and field_definition.is_subclass_of(msgspec.Struct)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        """Litestar's schema for the Struct, with `additionalProperties: false` added."""
        builtin = next(
            plugin
            for plugin in schema_creator.plugins
            if plugin is not self and schema_creator.plugin_supports_field(plugin, field_definition)
        )
        schema: Schema = builtin.to_openapi_schema(field_definition, schema_creator)
        if field_definition.type_.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
        return schema
