"""Hostile and careless input on every transport: deeply nested JSON, numbers that are
not finite, Python field names, unknown routes and tools. Each is refused with the
contract's problem (REST), a GraphQL error with its code, or an MCP problem; never a
server error, never a traceback in the log."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from starlette.applications import Starlette

from .support import GENERATED, REPO, OpenAPI

from examples.metering_service import build_app  # isort: skip

ADMIN = {"Authorization": "Bearer admin"}
BASE = "http://hardening.test"
RECORD = {"metricKey": "api_calls", "subjectType": "org", "subjectId": "o1", "quantity": 2.5}
T0 = "2026-01-01T00:00:00Z"
JSON_TYPE = {"Content-Type": "application/json"}
DEEP = "[" * 100_000 + "]" * 100_000
RECORD_MUTATION = "mutation($input: RecordUsageInput!) { usageRecord(input: $input) { quantity } }"


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI(GENERATED / "openapi" / "openapi.yaml")


@asynccontextmanager
async def clients(
    app: Starlette | None = None, headers: dict[str, str] = ADMIN
) -> AsyncIterator[tuple[httpx.AsyncClient, ClientSession]]:
    """An in-process HTTP client and MCP session of the app (default: a fresh reference
    service with one metric)."""
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app or build_app()),
            base_url=BASE,
            headers=headers,
        ) as http,
        streamable_http_client(BASE + "/mcp/", http_client=http) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        define = {"key": "api_calls", "name": "API Calls", "unit": "calls"}
        if app is None:
            assert (await http.post("/v1/metric/define", json=define)).status_code == 201
        yield http, session


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def post_rest(http: httpx.AsyncClient, content: str | bytes) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    return await http.post("/v1/usage/record", content=content, headers=headers)


async def post_graphql(http: httpx.AsyncClient, content: str | bytes) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    return await http.post("/graphql", content=content, headers=headers)


def assert_rest_invalid(openapi: OpenAPI, response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    openapi.check("usage.record", 422, response.headers["content-type"], body)
    assert body["code"] == "VALIDATION_FAILED"
    return body


def graphql_code(response: httpx.Response) -> tuple[int, str, int]:
    errors = response.json()["errors"]
    assert len(errors) == 1 and isinstance(errors[0]["message"], str)
    extensions = errors[0]["extensions"]
    return response.status_code, extensions["code"], extensions["status"]


def mcp_problem(openapi: OpenAPI, result: Any, status: int, code: str) -> dict[str, Any]:
    assert result.isError
    problem: dict[str, Any] = json.loads(result.content[0].text)
    openapi.problem(problem)
    assert (problem["status"], problem["code"]) == (status, code)
    return problem


def test_deep_nesting_is_invalid_input_everywhere(
    openapi: OpenAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async def use() -> None:
        async with clients() as (http, session):
            body = '{"metricKey": "api_calls", "tags": ' + DEEP + "}"
            problem = assert_rest_invalid(openapi, await post_rest(http, body))
            assert "nest" in problem["errors"][0]["detail"]
            assert_rest_invalid(openapi, await post_rest(http, DEEP))
            # Deeper than MAX_DEPTH but shallow enough for the parser: refused too.
            shallow = {**RECORD, "metadata": {"a": json.loads("[" * 80 + "]" * 80)}}
            assert_rest_invalid(openapi, await post_rest(http, json.dumps(shallow)))
            gql_body = '{"query": "{ contractgenVersion }", "variables": ' + DEEP + "}"
            response = await post_graphql(http, gql_body)
            assert graphql_code(response) == (400, "VALIDATION_FAILED", 400)
            query = "{ contractgenVersion(x: " + "[" * 100_000 + "1" + "]" * 100_000 + ") }"
            response = await http.post("/graphql", json={"query": query})
            assert graphql_code(response)[1] == "VALIDATION_FAILED"
            variables = {"input": shallow}
            response = await http.post(
                "/graphql", json={"query": RECORD_MUTATION, "variables": variables}
            )
            assert graphql_code(response) == (400, "VALIDATION_FAILED", 400)
            result = await session.call_tool("usageRecord", shallow)
            mcp_problem(openapi, result, 422, "VALIDATION_FAILED")
            message = '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": '
            message += '{"name": "usageRecord", "arguments": {"tags": ' + DEEP + "}}}"
            accept = {"Accept": "application/json, text/event-stream", **JSON_TYPE}
            response = await http.post("/mcp/", content=message, headers=accept)
            assert response.status_code == 400
            assert response.json()["error"]["code"] == -32700  # JSON-RPC's parse error

    with caplog.at_level(logging.ERROR):
        run(use())
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_numbers_that_are_not_finite_are_refused(openapi: OpenAPI, number: str) -> None:
    async def use() -> None:
        async with clients() as (http, _session):
            text = json.dumps(RECORD).replace("2.5", number)
            problem = assert_rest_invalid(openapi, await post_rest(http, text))
            assert problem["errors"][0]["pointer"] == ""
            gql = json.dumps({"query": RECORD_MUTATION, "variables": {"input": RECORD}})
            response = await post_graphql(http, gql.replace("2.5", number))
            assert graphql_code(response) == (400, "VALIDATION_FAILED", 400)
            if number == "1e999":  # a GraphQL literal too large for a float
                literal = RECORD_MUTATION.replace("($input: RecordUsageInput!)", "").replace(
                    "$input",
                    '{metricKey: "api_calls", subjectType: "org", subjectId: "o", quantity: 1e999}',
                )
                response = await http.post("/graphql", json={"query": literal})
                assert graphql_code(response)[1:] == ("VALIDATION_FAILED", 422)

    run(use())


def test_the_wire_decoder_refuses_what_is_not_strict_json() -> None:
    from contractgen_runtime.serve.wire import MAX_DEPTH, NotJSON, loads

    assert loads('{"a": [1.5, 2]}') == {"a": [1.5, 2]}
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    for text in ("NaN", "[Infinity]", '{"x": -Infinity}', "1e999", DEEP):
        with pytest.raises(NotJSON):
            loads(text)
    with pytest.raises(NotJSON):
        loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    deeper = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert loads(deeper, max_depth=None) is not None  # only what the parser cannot read
    with pytest.raises(NotJSON):
        loads(DEEP, max_depth=None)


def test_an_output_that_is_not_finite_is_an_internal_error() -> None:
    import metering
    from contractgen_runtime import Context

    registry = metering.Registry()
    info = registry.info("usage.record", "1.0.0")

    class Infinite:
        async def handle(self, input: Any, ctx: Context) -> Any:
            return info.output.model_validate(
                {**RECORD, "id": "u1", "quantity": float("inf"), "timestamp": T0, "createdAt": T0}
            )

    registry.register_handler("usage.record", "1.0.0", Infinite())
    with pytest.raises(metering.ContractError, match="not NaN or Infinity"):
        run(registry.dispatch("usage.record", "1.0.0", RECORD, Context("s", "admin")))


def test_python_field_names_are_not_wire_names(openapi: OpenAPI) -> None:
    snake = {"metric_key": "api_calls", "subject_type": "org", "subject_id": "o1", "quantity": 1}

    async def use() -> None:
        async with clients() as (http, session):
            response = await http.post("/v1/usage/record", json=snake)
            problem = assert_rest_invalid(openapi, response)
            pointers = {e["pointer"] for e in problem["errors"]}
            assert {"/metricKey", "/subjectType", "/subjectId"} <= pointers
            result = await session.call_tool("usageRecord", snake)
            mcp_problem(openapi, result, 422, "VALIDATION_FAILED")
            response = await http.get("/v1/metric/get", params={"key": "api_calls"})
            assert response.status_code == 200  # wire names still work

    run(use())


def test_unknown_paths_and_tools_are_problems(openapi: OpenAPI) -> None:
    async def use() -> None:
        async with clients() as (http, session):
            response = await http.post("/v1/usage/record/", json=RECORD)
            assert response.status_code == 404
            assert response.headers["content-type"] == "application/problem+json"
            openapi.problem(response.json())
            assert response.json()["code"] == "NOT_FOUND"
            result = await session.call_tool("noSuchTool", {})
            mcp_problem(openapi, result, 404, "OPERATION_NOT_FOUND")
            bare = await http.post(
                "/mcp",
                json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                headers={"Accept": "application/json, text/event-stream"},
            )
            assert bare.status_code == 200 and "usageRecord" in bare.text

    run(use())


def test_rate_limited_is_retryable() -> None:
    import metering

    assert metering.ERRORS["RATE_LIMITED"].retryable is True
    problem = metering.ERRORS["RATE_LIMITED"]("wait").to_problem()
    assert problem["retryable"] is True


def test_a_body_that_is_not_json_by_its_type_is_415(openapi: OpenAPI) -> None:
    async def use() -> None:
        async with clients() as (http, _session):
            for media in ("text/plain", "application/x-www-form-urlencoded"):
                headers = {"Content-Type": media}
                response = await http.post(
                    "/v1/usage/record", content=json.dumps(RECORD), headers=headers
                )
                assert response.status_code == 415
                body = response.json()
                openapi.check("usage.record", 415, response.headers["content-type"], body)
                assert body["code"] == "UNSUPPORTED_MEDIA_TYPE"
                gql = json.dumps({"query": "{ contractgenVersion }"})
                response = await http.post("/graphql", content=gql, headers=headers)
                assert graphql_code(response) == (415, "UNSUPPORTED_MEDIA_TYPE", 415)
            merge = {"Content-Type": "application/merge-patch+json; charset=utf-8"}
            response = await http.post("/v1/usage/record", json=RECORD, headers=merge)
            assert response.status_code == 201

    run(use())


def test_prefer_an_undeclared_code_under_the_mock_is_400(openapi: OpenAPI) -> None:
    from contractgen.config import load_config
    from contractgen.load import load
    from contractgen.runtime.mock import mock_app

    config = load_config(REPO)
    spec = load(config.contracts).spec
    assert spec is not None
    headers = {**ADMIN, "Prefer": "code=BOGUS"}

    async def use() -> None:
        async with clients(mock_app(spec, config.output), headers) as (http, session):
            response = await http.get("/v1/metric/get", params={"key": "k"})
            assert response.status_code == 400
            problem = response.json()
            openapi.problem(problem)
            assert problem["code"] == "PREFER_UNKNOWN_CODE"
            assert "METRIC_NOT_FOUND" in problem["detail"]
            assert "METRIC_NOT_FOUND" in problem["codes"]
            query = '{ metricGet(input: {key: "k"}) { id } }'
            response = await http.post("/graphql", json={"query": query})
            assert response.json()["errors"][0]["extensions"]["code"] == "PREFER_UNKNOWN_CODE"
            assert response.json()["errors"][0]["extensions"]["status"] == 400
            result = await session.call_tool("metricGet", {"key": "k"})
            mcp_problem(openapi, result, 400, "PREFER_UNKNOWN_CODE")

    run(use())
