"""``contractgen verify``: three checks of an app against its contracts, in-process.

1. schemathesis on the generated OpenAPI document: no server error for valid
   input, declared statuses, content types, response schemas and headers.
2. The auth matrix: every operation x anonymous, user, service and admin gets
   401, 403 or no auth error, as ``policy.auth`` says, on REST, GraphQL and MCP
   (the development authenticator stands in for the app's while verifying).
3. Every contract example through REST, GraphQL and MCP: the same outcome on
   all three (the same output, or the same error code).

An app factory (a callable returning the app) gives each transport a fresh
app for the examples; with a plain app, examples of non-idempotent commands
are sent once per transport to the same app, so only queries and idempotent
commands are compared.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import httpx
from contractgen_runtime import AUTH_ORDER
from contractgen_runtime.serve.auth import dev_authenticator
from contractgen_runtime.serve.rest import JSON_TEXT, parameter_fields
from contractgen_runtime.serve.service import Bound, Service
from pydantic import BaseModel
from starlette.applications import Starlette

from contractgen.runtime.mock import build_value
from contractgen.spec.model import Example, Spec
from contractgen.spec.vocabulary import PARAMETER_METHODS

TRANSPORTS = ("rest", "graphql", "mcp")
BASE = "http://contractgen.verify"


@dataclass(frozen=True)
class Finding:
    """One check of one subject on one transport."""

    check: str
    subject: str
    transport: str
    ok: bool
    message: str = ""


def bearer(level: str) -> dict[str, str]:
    return {} if level == "anonymous" else {"Authorization": f"Bearer {level}"}


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


# -- calling one operation on one transport ---------------------------------------------


def rest_request(bound: Bound, raw: dict[str, Any]) -> dict[str, Any]:
    """httpx arguments that carry the raw input as the OpenAPI document declares it."""
    rest, path = dict(raw), bound.info.path
    for name in list(rest):
        if "{" + name + "}" in path:
            path = path.replace("{" + name + "}", str(rest.pop(name)))
    headers = {h: str(rest.pop(f)) for f, h in bound.info.headers if f in rest}
    base = {"method": bound.info.method, "url": path, "headers": headers}
    model: type[BaseModel] | None = bound.info.input
    if bound.info.method not in PARAMETER_METHODS or model is None:
        return {**base, "json": rest}
    fields = parameter_fields(model).items()
    structured = {name for name, (_, kind) in fields if kind == JSON_TEXT}
    params = {
        k: [json.dumps(i) if k in structured else i for i in v]
        if isinstance(v, list)
        else (json.dumps(v) if k in structured else v)
        for k, v in rest.items()
    }
    return {**base, "params": params}


async def call_rest(http: httpx.AsyncClient, bound: Bound, raw: dict[str, Any]) -> Any:
    response = await http.request(**rest_request(bound, raw))
    body = response.json() if response.content else None
    if response.status_code >= 400:
        code = body.get("code") if isinstance(body, dict) else None
        return ("error", code, response.status_code)
    return ("ok", without_nulls(body))


def selection(type_: Any, inside: frozenset[str] = frozenset()) -> str:
    """A selection set of every field of an output type, nested objects and union
    members included; a field whose type is already being selected (a recursive
    model: ``Item.children``) is left out, so the set is finite."""
    from graphql import GraphQLObjectType, GraphQLUnionType, get_named_type

    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType | GraphQLUnionType):
        return ""
    inside = inside | {named.name}
    if isinstance(named, GraphQLUnionType):
        members = " ".join(f"... on {t.name}{selection(t, inside)}" for t in named.types)
        return " { __typename " + members + " }"
    parts = [
        n + selection(f.type, inside)
        for n, f in named.fields.items()
        if get_named_type(f.type).name not in inside
    ]
    return " { " + " ".join(parts or ["__typename"]) + " }"


def to_graphql_input(value: Any, type_: Any) -> Any:
    """A wire input as GraphQL variables: a union's member goes under its tag's key of
    the ``@oneOf`` input (the key is the value of one of its fields)."""
    from contractgen_runtime.serve.graphql import is_one_of
    from graphql import GraphQLInputObjectType, GraphQLList, get_nullable_type

    nullable = get_nullable_type(type_)
    if isinstance(nullable, GraphQLList) and isinstance(value, list):
        return [to_graphql_input(v, nullable.of_type) for v in value]
    if not isinstance(nullable, GraphQLInputObjectType) or not isinstance(value, dict):
        return value
    if is_one_of(nullable):
        tag = next((v for v in value.values() if isinstance(v, str) and v in nullable.fields), None)
        if tag is not None:
            return {tag: to_graphql_input(value, nullable.fields[tag].type)}
    return {
        k: to_graphql_input(v, nullable.fields[k].type) if k in nullable.fields else v
        for k, v in value.items()
    }


def graphql_document(schema: Any, bound: Bound) -> str:
    """The query or mutation that calls the operation's root field with ``$input``."""
    query = bound.info.kind == "query"
    field_name = bound.info.graphql_field
    target = (schema.query_type if query else schema.mutation_type).fields[field_name]
    keyword = "query" if query else "mutation"
    if "input" not in target.args:
        return f"{keyword} {{ {field_name}{selection(target.type)} }}"
    arg = target.args["input"].type
    return f"{keyword}($input: {arg}) {{ {field_name}(input: $input){selection(target.type)} }}"


def to_wire(value: Any, type_: Any) -> Any:
    """A GraphQL result in wire spelling: enum names become their wire values, union
    members lose their ``__typename``."""
    from graphql import (
        GraphQLEnumType,
        GraphQLList,
        GraphQLObjectType,
        GraphQLUnionType,
        get_named_type,
        get_nullable_type,
    )

    if value is None:
        return None
    nullable = get_nullable_type(type_)
    if isinstance(nullable, GraphQLList):
        return [to_wire(v, nullable.of_type) for v in value]
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType) and value in named.values:
        return named.values[value].value
    if isinstance(named, GraphQLUnionType) and isinstance(value, dict):
        member = next((t for t in named.types if t.name == value.get("__typename")), None)
        rest = {k: v for k, v in value.items() if k != "__typename"}
        return to_wire(rest, member) if member is not None else rest
    if isinstance(named, GraphQLObjectType) and isinstance(value, dict):
        return {
            k: to_wire(v, named.fields[k].type) if k in named.fields else v
            for k, v in value.items()
        }
    return value


def root_field(schema: Any, bound: Bound) -> Any:
    root = schema.query_type if bound.info.kind == "query" else schema.mutation_type
    return root.fields[bound.info.graphql_field]


async def call_graphql(
    http: httpx.AsyncClient, schema: Any, bound: Bound, raw: dict[str, Any]
) -> Any:
    argument = root_field(schema, bound).args.get("input")
    variables = {"input": to_graphql_input(raw, argument.type)} if argument else {}
    document = graphql_document(schema, bound)
    result = (await http.post("/graphql", json={"query": document, "variables": variables})).json()
    if result.get("errors"):
        extensions = result["errors"][0].get("extensions", {})
        return ("error", extensions.get("code"), extensions.get("status"))
    data = to_wire(result["data"][bound.info.graphql_field], root_field(schema, bound).type)
    return ("ok", None if bound.info.output is None else without_nulls(data))


def mcp_outcome(bound: Bound, result: Any) -> Any:
    if result.isError:
        problem = json.loads(result.content[0].text)
        return ("error", problem.get("code"), problem.get("status"))
    if bound.info.output is None:
        return ("ok", None)
    return ("ok", without_nulls(result.structuredContent))


#: Calls one operation with a raw input and returns its normalized outcome.
Call = Callable[[Bound, dict[str, Any]], Any]


class Transports:
    """In-process clients of one app on every transport, as one caller level."""

    def __init__(self, app: Starlette, level: str) -> None:
        self.app, self.level = app, level
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE, headers=bearer(level)
        )
        self._mcp: Any = None
        self._stack: Any = None

    async def __aenter__(self) -> Transports:
        from contextlib import AsyncExitStack

        from mcp import ClientSession
        from mcp.client.streamable_http import streamable_http_client

        self._stack = AsyncExitStack()
        client = await self._stack.enter_async_context(self.http)
        read, write, _ = await self._stack.enter_async_context(
            streamable_http_client(BASE + "/mcp/", http_client=client)
        )
        self._mcp = await self._stack.enter_async_context(ClientSession(read, write))
        await self._mcp.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    async def call(self, transport: str, bound: Bound, raw: dict[str, Any]) -> Any:
        if transport == "rest":
            return await call_rest(self.http, bound, raw)
        if transport == "graphql":
            return await call_graphql(self.http, self.app.state.graphql_schema, bound, raw)
        return mcp_outcome(bound, await self._mcp.call_tool(bound.info.graphql_field, raw))


def service_of(app: Starlette) -> Service:
    service = getattr(app.state, "service", None)
    if not isinstance(service, Service):
        raise TypeError("the app was not made by contractgen_runtime.serve.create_app")
    return service


def examples_of(spec: Spec) -> dict[tuple[str, str], tuple[Example, ...]]:
    return {(op.key, op.version): op.examples for op in spec.operations}


def sample_input(bound: Bound, spec: Spec) -> dict[str, Any]:
    """An input for the operation: its first example's, else one built from the model."""
    for ex in examples_of(spec).get((bound.info.key, bound.info.version), ()):
        if isinstance(ex.input, dict):
            return ex.input
    model = bound.info.input
    return {} if model is None else build_value(model)


def expected_auth(required: str, level: str) -> int | None:
    """401 or 403 when ``level`` may not call an operation that needs ``required``."""
    if AUTH_ORDER.index(level) >= AUTH_ORDER.index(required):
        return None
    return 401 if level == "anonymous" else 403


async def auth_matrix(app: Starlette, spec: Spec) -> list[Finding]:
    """Every operation x every level x every transport: 401, 403 or no auth error."""
    findings = []
    for level in AUTH_ORDER:
        async with Transports(app, level) as clients:
            for bound in service_of(app).operations:
                want = expected_auth(bound.info.auth, level)
                raw = sample_input(bound, spec)
                for transport in TRANSPORTS:
                    got = await clients.call(transport, bound, raw)
                    status = got[2] if got[0] == "error" else None
                    ok = status == want if want else status not in (401, 403)
                    subject = f"{bound.key} as {level}"
                    message = "" if ok else f"expected {want or 'no auth error'}, got {got[:3]}"
                    findings.append(Finding("auth", subject, transport, ok, message))
    return findings


async def example_outcomes(app: Starlette, spec: Spec, transport: str) -> dict[str, Any]:
    """The outcome of every example on one transport, as the admin, in contract order."""
    outcomes = {}
    examples = examples_of(spec)
    async with Transports(app, "admin") as clients:
        for bound in service_of(app).operations:
            for ex in examples.get((bound.info.key, bound.info.version), ()):
                raw = ex.input if isinstance(ex.input, dict) else {}
                outcomes[f"{bound.key} example {ex.name!r}"] = (
                    bound,
                    await clients.call(transport, bound, raw),
                )
    return outcomes


async def example_parity(apps: Callable[[], Starlette], fresh: bool, spec: Spec) -> list[Finding]:
    """Every example on every transport: the same outcome as on REST."""
    shared = apps()
    runs = {t: await example_outcomes(apps() if fresh else shared, spec, t) for t in TRANSPORTS}
    findings = []
    for subject, (bound, rest) in runs["rest"].items():
        compared = fresh or bound.info.kind == "query" or bound.info.idempotent
        for transport in TRANSPORTS[1:]:
            got = runs[transport][subject][1]
            ok = not compared or got == rest
            message = "" if ok else f"REST gave {rest!r:.200}, {transport} {got!r:.200}"
            findings.append(Finding("examples", subject, transport, ok, message))
    return findings


class AdminAuth:
    """schemathesis's auth provider: every generated case calls as the admin (the
    development authenticator's bearer token)."""

    def get(self, case: Any, context: Any) -> str:
        return bearer("admin")["Authorization"]

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": data}


def schemathesis_checks(app: Starlette, document: dict[str, Any], examples: int) -> list[Finding]:
    """schemathesis's checks of every operation of the document, as the admin."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings

    document = {**document, "servers": [{"url": "/"}]}
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    # The admin's credentials are schemathesis's auth, not headers of every request: its
    # ignored_auth check then knows them, drops the credentials it generated for the
    # other security alternatives, and sends its probes without them.
    schema.auth(refresh_interval=None)(AdminAuth)
    findings = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            case.call_and_validate()

        try:
            check()
            findings.append(Finding("schemathesis", operation.label, "rest", True))
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis's failures are a group
            message = shortened(str(exc).split("Reproduce with")[0].strip())
            findings.append(Finding("schemathesis", operation.label, "rest", False, message))
    return findings


def shortened(message: str, limit: int = 600) -> str:
    """At most about ``limit`` characters of a failure: its head, which says which check
    failed, and its tail, which says why."""
    if len(message) <= limit:
        return message
    half = limit // 2
    return f"{message[:half].rstrip()} [...] {message[-half:].lstrip()}"


def verify(
    apps: Callable[[], Starlette],
    fresh: bool,
    spec: Spec,
    document: dict[str, Any],
    examples: int = 20,
) -> list[Finding]:
    """All three checks; ``apps`` makes the app (a new one each call when ``fresh``)."""
    app = apps()
    service = service_of(app)
    service.authenticator = dev_authenticator
    findings = schemathesis_checks(app, document, examples)
    findings += asyncio.run(auth_matrix(app, spec))
    findings += asyncio.run(example_parity(_dev(apps), fresh, spec))
    return findings


def _dev(apps: Callable[[], Starlette]) -> Callable[[], Starlette]:
    """The factory, with the development authenticator in each app it makes."""

    def make() -> Starlette:
        app = apps()
        service_of(app).authenticator = dev_authenticator
        return app

    return make


# -- reports ------------------------------------------------------------------------------


def render(findings: Sequence[Finding], fmt: str) -> str:
    failed = [f for f in findings if not f.ok]
    if fmt == "json":
        return json.dumps({"ok": not failed, "findings": [asdict(f) for f in findings]}, indent=2)
    if fmt == "github":
        return "\n".join(
            f"::error title=contractgen verify {f.check}::{f.subject} ({f.transport}): "
            + f.message.replace("\n", "%0A")
            for f in failed
        )
    lines = [f"FAIL {f.check} {f.transport} {f.subject}: {f.message}" for f in failed]
    lines.append(summary(findings))
    return "\n".join(lines)


def summary(findings: Iterable[Finding]) -> str:
    counts: dict[str, list[int]] = {}
    for f in findings:
        passed = counts.setdefault(f.check, [0, 0])
        passed[0 if f.ok else 1] += 1
    parts = [f"{check}: {ok} passed, {bad} failed" for check, (ok, bad) in counts.items()]
    return "; ".join(parts)
