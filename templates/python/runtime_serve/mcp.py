"""MCP (the official ``mcp`` SDK): every operation is a tool, queries included.

A tool is named like the operation's GraphQL field; its input schema is the
input model's JSON Schema (an empty object for an operation without input),
its output schema the output model's, its annotations say read-only (queries),
idempotent and destructive. A call goes through the one dispatch: success is
``structuredContent`` (and its JSON text); a failure is ``isError`` with the
problem body as text, the same problem REST sends. The SDK's own input check is
off, so that invalid input gets the contract's VALIDATION_FAILED problem.

Streamable HTTP (stateless, JSON responses) mounts at ``/mcp`` in the same app;
``run_stdio`` serves local agents over stdin and stdout.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast, get_args

import anyio
from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.streamable_http import StreamableHTTPServerTransport
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from .. import STANDARD_ERRORS, ContractError
from ..about import GENERATOR_VERSION
from .rest import DEFAULT_MAX_BODY, BodyTooLarge, is_json_media, read_body
from .service import Bound, Service
from .wire import NotJSON, loads

SERVER_NAME = "contractgen"
#: JSON-RPC's code of a message that is not JSON (as the SDK answers malformed JSON).
PARSE_ERROR = -32700
#: JSON-RPC's code of a message that is not a valid request (too large, not JSON-RPC).
INVALID_REQUEST = -32600
#: JSON-RPC's code of a request for a method the server does not have.
METHOD_NOT_FOUND = -32601
#: Last key segments of commands that remove what they name (MCP's destructive hint).
DESTRUCTIVE_VERBS = frozenset({"delete", "remove", "purge", "revoke", "cancel"})


def tool_name(bound: Bound) -> str:
    return bound.info.graphql_field


def input_schema(bound: Bound) -> dict[str, Any]:
    model = bound.info.input
    if model is None:
        return {"type": "object", "properties": {}, "additionalProperties": False}
    return tool_schema(model)


def output_schema(model: type[BaseModel] | None) -> dict[str, Any] | None:
    """The output model's JSON Schema (None: the operation returns nothing)."""
    return None if model is None else tool_schema(model)


def tool_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema by wire names, without the titles pydantic makes up for
    each field from its name ("Metrickey" for ``metricKey``): a field's
    ``description`` is the contract's; models keep their names as titles."""
    schema: dict[str, Any] = model.model_json_schema(by_alias=True)
    for each in [schema, *schema.get("$defs", {}).values()]:
        for field in each.get("properties", {}).values():
            field.pop("title", None)
    return schema


def tool_annotations(bound: Bound) -> types.ToolAnnotations:
    info = bound.info
    query = info.kind == "query"
    verb = info.key.rsplit(".", 1)[-1].lower()
    return types.ToolAnnotations(
        title=info.summary or None,
        readOnlyHint=query,
        idempotentHint=query or info.idempotent,
        destructiveHint=not query
        and (info.method == "DELETE" or verb in DESTRUCTIVE_VERBS),
        openWorldHint=False,
    )


def tool(bound: Bound) -> types.Tool:
    info = bound.info
    return types.Tool(
        name=tool_name(bound),
        title=info.summary or None,
        description=info.description or info.summary,
        inputSchema=input_schema(bound),
        outputSchema=output_schema(info.output),
        annotations=tool_annotations(bound),
    )


def problem_result(error: ContractError, name: str) -> types.CallToolResult:
    """A failed call: ``isError`` with the problem body, as REST sends it, as text."""
    text = json.dumps(error.to_problem(instance=name))
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)], isError=True
    )


def _headers(
    server: Server[Any, Any], fallback: Mapping[str, str]
) -> Mapping[str, str]:
    """The HTTP request's headers; over stdio, the fallback."""
    try:
        request = server.request_context.request
    except LookupError:
        return fallback
    headers = getattr(request, "headers", None)
    return headers if headers is not None else fallback


def build_server(
    service: Service, stdio_headers: Mapping[str, str] | None = None
) -> Server[Any, Any]:
    """The MCP server of the service's operations; ``stdio_headers`` stand for the
    request headers of calls that come without HTTP (stdio)."""
    server: Server[Any, Any] = Server(SERVER_NAME, version=GENERATOR_VERSION)
    by_name = {tool_name(b): b for b in service.operations}
    tools = [tool(b) for b in service.operations]

    @server.list_tools()  # type: ignore[no-untyped-call,untyped-decorator]
    async def list_tools() -> list[types.Tool]:
        return tools

    @server.call_tool(validate_input=False)  # type: ignore[untyped-decorator]
    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        bound = by_name.get(name)
        if bound is None:
            unknown = STANDARD_ERRORS["OPERATION_NOT_FOUND"](f"no tool {name}")
            return problem_result(unknown, name)
        ctx = await service.context(_headers(server, stdio_headers or {}))
        outcome = await service.call(bound, arguments, ctx)
        if outcome.error is not None:
            return problem_result(outcome.error, name)
        elsewhere = outcome.not_a_result(bound.info)
        if elsewhere is not None:
            text = json.dumps(elsewhere)
            return types.CallToolResult(
                content=[types.TextContent(type="text", text=text)], isError=True
            )
        output = outcome.output
        data = (
            {}
            if output is None
            else output.model_dump(mode="json", by_alias=True, exclude_none=True)
        )
        text = json.dumps(data)
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)], structuredContent=data
        )

    return server


class StreamableHTTP:
    """The ASGI app of MCP's streamable HTTP transport: stateless, one server run per
    request, so it needs no lifespan (and works when the app is mounted). A body
    longer than ``limit`` bytes is a 413, as on the other transports."""

    def __init__(self, server: Server[Any, Any], limit: int = DEFAULT_MAX_BODY) -> None:
        self.server, self.limit = server, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            message = await self._message(scope, receive)
            if isinstance(message, JSONResponse):
                await message(scope, receive, send)
                return
            receive = _replay(message, receive)
        transport = StreamableHTTPServerTransport(
            mcp_session_id=None, is_json_response_enabled=True
        )
        async with (
            transport.connect() as (read, write),
            anyio.create_task_group() as group,
        ):
            options = self.server.create_initialization_options()
            group.start_soon(self._run, read, write, options)
            try:
                await transport.handle_request(scope, receive, send)
            finally:
                await transport.terminate()
                group.cancel_scope.cancel()

    async def _message(self, scope: Scope, receive: Receive) -> bytes | JSONResponse:
        """The POSTed message, or the JSON-RPC error that refuses it: too large to read
        (413), not JSON (415 for another media type, 400 for what does not parse or
        nests too deeply), not a JSON-RPC 2.0 message (400), or a request for a
        method MCP does not have (-32601; the SDK would answer invalid params)."""
        request = Request(scope, receive)
        if not is_json_media(request.headers.get("content-type")):
            refused = "the request body must be application/json"
            return _rpc_error(INVALID_REQUEST, refused, 415)
        try:
            body = await read_body(request, self.limit)
        except BodyTooLarge:
            return _rpc_error(INVALID_REQUEST, "the request body is too large", 413)
        try:
            message = loads(body, max_depth=None)
        except NotJSON as exc:
            return _rpc_error(PARSE_ERROR, f"Parse error: {exc}", 400)
        envelope = (
            cast("dict[str, object]", message) if isinstance(message, dict) else {}
        )
        if envelope.get("jsonrpc") != "2.0":
            refused = "Invalid Request: not a JSON-RPC 2.0 message object"
            return _rpc_error(INVALID_REQUEST, refused, 400)
        method = envelope.get("method")
        if method is not None and method not in METHODS:
            refused = f"Method not found: {method}"
            return _rpc_error(METHOD_NOT_FOUND, refused, 200, envelope.get("id"))
        return body

    async def _run(self, read: Any, write: Any, options: Any) -> None:
        await self.server.run(read, write, options, stateless=True)


def _rpc_error(code: int, message: str, status: int, id: object = None) -> JSONResponse:
    error = {"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}
    return JSONResponse(error, status_code=status)


def _methods() -> frozenset[str]:
    """The methods of MCP's client requests and notifications, as the SDK types them."""
    found: set[str] = set()
    for union in (types.ClientRequest, types.ClientNotification):
        for member in get_args(union.model_fields["root"].annotation):
            found.update(get_args(member.model_fields["method"].annotation))
    return frozenset(found)


#: What a client may send (anything else is JSON-RPC's method-not-found).
METHODS = _methods()


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` of a request whose body was read already: the body, then the rest."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def run_stdio(service: Service, headers: Mapping[str, str] | None = None) -> None:
    """Serves the operations over MCP's stdio transport until stdin closes; every call
    is authenticated with ``headers`` (lower-case names)."""
    from mcp.server.stdio import stdio_server

    server = build_server(service, headers)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
