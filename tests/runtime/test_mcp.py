"""MCP through the official SDK's client: tools with schemas and annotations, the same
outcomes as REST (success, auth, invalid input, declared errors), streamable HTTP on a
real server and stdio in a real process."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from .support import GENERATED, REPO, OpenAPI, serve

from examples.metering_service import build_app  # isort: skip

T = TypeVar("T")
ADMIN = {"Authorization": "Bearer admin"}
METRIC = {"key": "api_calls", "name": "API Calls", "unit": "calls"}


@asynccontextmanager
async def session(url: str, headers: dict[str, str]) -> AsyncIterator[ClientSession]:
    async with (
        httpx.AsyncClient(headers=headers) as http,
        streamable_http_client(url + "/mcp/", http_client=http) as (read, write, _),
        ClientSession(read, write) as client,
    ):
        await client.initialize()
        yield client


def over_http(headers: dict[str, str], use: Callable[[ClientSession], Awaitable[T]]) -> T:
    """Runs ``use`` with an MCP client of a fresh reference service."""

    async def run(url: str) -> T:
        async with session(url, headers) as client:
            return await use(client)

    with serve(build_app()) as url:
        return asyncio.run(run(url))


def problem_of(result: Any) -> dict[str, Any]:
    assert result.isError
    body: dict[str, Any] = json.loads(result.content[0].text)
    return body


def test_every_operation_is_a_tool_with_schemas_and_annotations() -> None:
    async def use(client: ClientSession) -> Any:
        return (await client.list_tools()).tools

    tools = {t.name: t for t in over_http(ADMIN, use)}
    assert len(tools) == 13 and "metricGet" in tools and "usageRecord" in tools
    get, delete, record = tools["metricGet"], tools["metricDelete"], tools["usageRecord"]
    assert get.annotations is not None and get.annotations.readOnlyHint is True
    assert delete.annotations is not None and delete.annotations.destructiveHint is True
    assert record.annotations is not None and record.annotations.readOnlyHint is False
    assert record.inputSchema["required"] == ["metricKey", "subjectType", "subjectId", "quantity"]
    quantity = record.inputSchema["properties"]["quantity"]
    assert "title" not in quantity  # not pydantic's made-up "Quantity"
    assert quantity["description"] == "Amount consumed, in the unit of the metric."
    assert record.inputSchema["title"] == "RecordUsageInput"
    assert record.outputSchema is not None and "createdAt" in record.outputSchema["properties"]
    assert record.description == "Record a usage event."


RECORD = {"metricKey": "api_calls", "subjectType": "org", "subjectId": "o1", "quantity": 1}


def test_tool_calls_have_the_rest_outcomes() -> None:
    openapi = OpenAPI(GENERATED / "openapi" / "openapi.yaml")

    async def use(client: ClientSession) -> list[Any]:
        return [
            await client.call_tool("metricDefine", METRIC),
            await client.call_tool("metricDefine", METRIC),
            await client.call_tool("metricGet", {"key": "api_calls"}),
            await client.call_tool("metricGet", {"key": 3}),
            await client.call_tool("metricGet", {"key": "nope"}),
            await client.call_tool("usageRecord", {**RECORD, "quantity": "2"}),
            await client.call_tool("usageRecord", {**RECORD, "quantity": True}),
        ]

    defined, again, got, invalid, missing, text, flag = over_http(ADMIN, use)
    assert not defined.isError and defined.structuredContent["key"] == "api_calls"
    openapi.check("metric.define", 201, "application/json", defined.structuredContent)
    assert got.structuredContent == defined.structuredContent
    for result, key, status, code in [
        (again, "metric.define", 409, "METRIC_KEY_EXISTS"),
        (invalid, "metric.get", 422, "VALIDATION_FAILED"),
        (missing, "metric.get", 404, "METRIC_NOT_FOUND"),
        (text, "usage.record", 422, "VALIDATION_FAILED"),  # no "2" for a number
        (flag, "usage.record", 422, "VALIDATION_FAILED"),  # nor true
    ]:
        problem = problem_of(result)
        assert (problem["status"], problem["code"]) == (status, code)
        openapi.check(key, status, "application/problem+json", problem)


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [({}, 401, "UNAUTHENTICATED"), ({"Authorization": "Bearer user"}, 403, "FORBIDDEN")],
)
def test_auth_is_the_same_as_rest(headers: dict[str, str], status: int, code: str) -> None:
    async def use(client: ClientSession) -> Any:
        return await client.call_tool("metricDefine", METRIC)

    problem = problem_of(over_http(headers, use))
    assert (problem["status"], problem["code"]) == (status, code)


def test_mcp_over_stdio_in_a_real_process() -> None:
    command = shutil.which("contractgen") or "contractgen"
    env = {**os.environ, "CONTRACTGEN_AUTHORIZATION": "Bearer admin"}
    params = StdioServerParameters(
        command=command,
        args=["serve", "--stdio", "--app", "examples.metering_service:app"],
        env=env,
        cwd=str(REPO),
    )

    async def run() -> tuple[int, Any]:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            tools = (await client.list_tools()).tools
            return len(tools), await client.call_tool("metricDefine", METRIC)

    count, defined = asyncio.run(run())
    assert count == 13 and not defined.isError
    assert defined.structuredContent["key"] == "api_calls"


def test_mcp_path_without_the_sdk_session_is_a_client_error() -> None:
    with serve(build_app()) as url:
        response = httpx.post(
            url + "/mcp/",
            content=b"{oops",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json, text/event-stream",
            },
        )
    assert 400 <= response.status_code < 500
