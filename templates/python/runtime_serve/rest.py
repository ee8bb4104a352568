"""REST: every operation at its method and path, input decoded as the OpenAPI document says.

The generated OpenAPI document puts a GET or DELETE operation's input fields
in the query string (arrays as repeated ``form`` parameters, models and JSON
values as JSON text), ``{name}`` placeholders in the path, and any other
operation's input in a JSON body. This module reads them back the same way
and answers the declared success status, or an ``application/problem+json``
body with the error's status.
"""

from __future__ import annotations

import functools
import json
import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, cast, get_args, get_origin, get_type_hints
from urllib.parse import quote

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from .. import ContractError
from ..about import PARAMETER_METHODS
from .service import Bound, Service
from .wire import NotJSON, loads

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
#: The largest request body the app reads by default (bytes).
DEFAULT_MAX_BODY = 1 << 20


class BodyTooLarge(Exception):
    """The request body is longer than the app's limit."""


class RouteNotFoundError(ContractError):
    """No operation is served at this path."""

    code = "NOT_FOUND"
    http_status = 404
    gql_code = "NOT_FOUND"
    description = "No operation is served at this path"


class MethodNotAllowedError(ContractError):
    """The path serves an operation, with another method."""

    code = "METHOD_NOT_ALLOWED"
    http_status = 405
    gql_code = "METHOD_NOT_ALLOWED"
    description = "The path does not take this method"


class PayloadTooLargeError(ContractError):
    """The request body is longer than the app reads."""

    code = "PAYLOAD_TOO_LARGE"
    http_status = 413
    gql_code = "PAYLOAD_TOO_LARGE"
    description = "The request body is too large"


class UnsupportedMediaTypeError(ContractError):
    """The request body is not JSON by its Content-Type."""

    code = "UNSUPPORTED_MEDIA_TYPE"
    http_status = 415
    gql_code = "UNSUPPORTED_MEDIA_TYPE"
    description = "The request body is not JSON"


def is_json_media(content_type: str | None) -> bool:
    """True for a JSON media type (``application/json``, ``application/*+json``) and
    for none (a body without Content-Type is read as JSON)."""
    if content_type is None:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == JSON or (
        media.startswith("application/") and media.endswith("+json")
    )


def problem_response(error: ContractError, path: str) -> Response:
    """The error's problem body; its ``instance`` is the request's (decoded) path,
    percent-encoded again, so that it is the URI reference the document promises
    (a path parameter may hold a space or a letter that is not ASCII)."""
    instance = quote(path, safe="/")
    body = json.dumps(error.to_problem(instance=instance), separators=(",", ":"))
    response = Response(body, status_code=error.http_status, media_type=PROBLEM_JSON)
    wait = error.extensions.get("retryAfter")
    if wait is not None:
        response.headers["Retry-After"] = str(wait)
    return response


def output_response(
    output: BaseModel | None, status: int, location: str | None = None
) -> Response:
    """The success, or a declared answer (its status; a redirect's Location)."""
    headers = {"Location": location} if location is not None else None
    if output is None:
        return Response(status_code=status, headers=headers)
    body = output.model_dump_json(by_alias=True, exclude_none=True)
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def unwrap(annotation: Any) -> Any:
    """The annotation without ``Annotated`` and ``| None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


#: How a parameter's text becomes the input's JSON value: parsed as JSON text (a model,
#: a JSON value), read as the JSON literal it spells (a number, a boolean; other text
#: stays text, for the input check to refuse), or kept as the string it is.
JSON_TEXT, LITERAL, TEXT = "json", "literal", "text"


def _kind(annotation: Any) -> str:
    """How a parameter of this type is written (JSON_TEXT, LITERAL or TEXT)."""
    if annotation is Any or get_origin(annotation) is dict or annotation is dict:
        return JSON_TEXT
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return JSON_TEXT
    return LITERAL if annotation in (int, float, bool) else TEXT


@functools.cache
def field_types(model: type[BaseModel]) -> dict[str, Any]:
    """Each field's type, forward references resolved: python name -> annotation."""
    hints = get_type_hints(model, include_extras=True)
    return {
        name: hints.get(name, field.annotation)
        for name, field in model.model_fields.items()
    }


@functools.cache
def parameter_fields(model: type[BaseModel]) -> dict[str, tuple[bool, str]]:
    """Each input field as a parameter: wire name -> (is an array, how it is written)."""
    found: dict[str, tuple[bool, str]] = {}
    types_of = field_types(model)
    for name, field in model.model_fields.items():
        annotation = unwrap(types_of[name])
        array = get_origin(annotation) in (list, tuple)
        item = (
            unwrap(get_args(annotation)[0])
            if array and get_args(annotation)
            else annotation
        )
        found[field.alias or name] = (array, _kind(item))
    return found


def typed(
    bound: Bound, name: str, texts: list[str], parameter: str | None = None
) -> object:
    """The values of the parameter of input field ``name`` (``parameter``: a header's
    name) as the field's JSON value (the last one, unless the field is an array);
    text that is not the JSON a field needs is a VALIDATION_FAILED problem naming
    the parameter."""
    model: type[BaseModel] | None = bound.info.input
    array, kind = (
        parameter_fields(model).get(name, (False, TEXT)) if model else (False, TEXT)
    )
    values: list[object] = []
    for text in texts:
        try:
            values.append(text if kind == TEXT else loads(text))
        except NotJSON as exc:
            if kind == LITERAL:  # the input check refuses it, located at the parameter
                values.append(text)
                continue
            raise bound.error(
                "VALIDATION_FAILED",
                "invalid parameter",
                errors=[{"parameter": parameter or name, "detail": f"not JSON: {exc}"}],
            ) from exc
    return values if array else values[-1]


def decode_query(bound: Bound, request: Request) -> dict[str, object]:
    """The input fields found in the query string, as the document's parameters encode them."""
    model: type[BaseModel] | None = bound.info.input
    raw: dict[str, object] = {}
    if model is None:
        return raw
    query = request.query_params
    elsewhere = {name for name, _ in bound.info.headers} | set(request.path_params)
    # A route with a body takes only its transport.rest.query fields from the query.
    taken = None if bound.info.method in PARAMETER_METHODS else set(bound.info.query)
    for name in parameter_fields(model):
        skip = name in elsewhere or (taken is not None and name not in taken)
        values = [] if skip else query.getlist(name)
        if values:
            raw[name] = typed(bound, name, values)
    return raw


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or BodyTooLarge as soon as it is longer than ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(bound: Bound, body: bytes) -> Mapping[str, object]:
    """The JSON body as the raw input; malformed JSON is a VALIDATION_FAILED problem."""
    try:
        value: object = loads(body) if body.strip() else {}
    except NotJSON as exc:
        errors = [{"pointer": "", "detail": f"the request body is not JSON: {exc}"}]
        raise bound.error("VALIDATION_FAILED", "malformed JSON", errors=errors) from exc
    if not isinstance(value, dict):
        errors = [{"pointer": "", "detail": "the request body must be a JSON object"}]
        raise bound.error(
            "VALIDATION_FAILED", "the body is not an object", errors=errors
        )
    return cast("dict[str, object]", value)


async def decode(bound: Bound, request: Request, limit: int) -> dict[str, object]:
    """Path, header, query and body input of one request, merged into the raw input. A
    body's fields that the document sends elsewhere (path, header, query) are not
    read from the body: they are not in its schema."""
    if bound.info.input is None:
        return {}
    raw: dict[str, object] = {}
    if bound.info.method in PARAMETER_METHODS:
        raw.update(decode_query(bound, request))
    else:
        body = await read_body(request, limit)
        if body and not is_json_media(request.headers.get("content-type")):
            media = request.headers.get("content-type")
            raise UnsupportedMediaTypeError(
                f"the body is {media}, not application/json"
            )
        fields = decode_body(bound, body)
        elsewhere = parameter_names(bound, request.path_params)
        raw.update((k, v) for k, v in fields.items() if k not in elsewhere)
        if bound.info.query:
            raw.update(decode_query(bound, request))
    for name, header in bound.info.headers:
        value = request.headers.get(header)
        if value is not None:
            raw[name] = typed(bound, name, [value], header)
    for name, value in request.path_params.items():
        raw[name] = typed(bound, name, [value])
    return raw


def parameter_names(bound: Bound, path_params: Mapping[str, str]) -> dict[str, str]:
    """Input field -> the parameter that carries it (query, path or header name)."""
    names = {name: name for name in path_params}
    names.update(dict(bound.info.headers))
    model: type[BaseModel] | None = bound.info.input
    if model is not None and bound.info.method in PARAMETER_METHODS:
        for name in parameter_fields(model):
            names.setdefault(name, name)
    for name in bound.info.query:
        names.setdefault(name, name)
    return names


def locate(error: ContractError, bound: Bound, request: Request) -> ContractError:
    """A validation error whose entries point at parameters names them as parameters,
    as the document's ValidationProblem says (``pointer`` is for the body)."""
    entries = error.extensions.get("errors")
    if not isinstance(entries, list):
        return error
    names = parameter_names(bound, request.path_params)
    located: list[dict[str, object]] = []
    for entry in cast("list[dict[str, object]]", entries):
        pointer = str(entry.get("pointer", ""))
        field = pointer.split("/")[1] if pointer.count("/") else ""
        if field in names:
            entry = {"parameter": names[field], "detail": entry["detail"]}
        located.append(entry)
    error.extensions["errors"] = located
    return error


class Endpoint:
    """The ASGI app of one operation's route: a plain ASGI app, so that starlette
    calls it without wrapping each request in its request/response adapter."""

    def __init__(self, service: Service, bound: Bound, limit: int) -> None:
        self.service, self.bound, self.limit = service, bound, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.answer(Request(scope, receive))
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        """The response to one request: its input decoded, then the one dispatch."""
        bound, limit = self.bound, self.limit
        ctx = await self.service.context(request.headers)
        raw: dict[str, object] = {}
        invalid: ContractError | None = None
        try:
            raw = await decode(bound, request, limit)
        except ContractError as exc:
            invalid = exc
        except BodyTooLarge:
            too_large = PayloadTooLargeError(f"the body is longer than {limit} bytes")
            return problem_response(too_large, request.url.path)
        outcome = await self.service.call(bound, raw, ctx, invalid=invalid)
        if outcome.error is not None:
            return problem_response(
                locate(outcome.error, bound, request), request.url.path
            )
        reply = outcome.reply
        if reply is not None:
            return output_response(outcome.output, reply.status, reply.location)
        return output_response(outcome.output, bound.info.status)


def route(service: Service, bound: Bound, limit: int) -> Route:
    """The starlette route of one operation."""
    name = f"{bound.info.key}@{bound.info.version}"
    endpoint = Endpoint(service, bound, limit)
    return Route(bound.info.path, endpoint, methods=[bound.info.method], name=name)
