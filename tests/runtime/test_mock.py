"""``serve --mock``: every bundled example through REST, GraphQL and MCP with the same
outcome, the example's output; ``Prefer: code=``; the CLI itself. (The golden trees'
mocks are checked by ``contractgen verify --mock`` in test_verify.py, each in a
process of its own.)"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from contractgen_runtime.serve.service import Bound

import contractgen
from contractgen import naming
from contractgen.config import load_config
from contractgen.load import load
from contractgen.runtime.mock import mock_app
from contractgen.runtime.verify import rest_request, to_wire
from contractgen.spec.model import Spec

from .support import REPO, OpenAPI, graphql_document, serve, without_nulls

ADMIN = {"Authorization": "Bearer admin"}


def example_parity(spec: Spec, output: Path) -> int:
    """Sends every example through REST and GraphQL of the mock; returns how many."""
    openapi = OpenAPI(output / "openapi" / "openapi.yaml")
    app = mock_app(spec, output)
    schema = app.state.graphql_schema  # its enums carry their wire values
    bounds = {(b.info.key, b.info.version): b for b in app.state.service.operations}
    sent = 0
    calls: list[tuple[str, Any, Any]] = []
    with serve(app) as url, httpx.Client(base_url=url) as http:
        for op in (op for d in spec.domains for op in spec.operations_in(d)):
            for ex in op.examples:
                rest_body = call_rest(http, openapi, bounds[op.key, op.version], ex.input)
                document = graphql_document(schema, op.kind, naming.gql_field(op))
                variables = {"input": ex.input} if ex.input is not None else {}
                result = http.post(
                    "/graphql", json={"query": document, "variables": variables}, headers=ADMIN
                ).json()
                assert "errors" not in result, (op.key, ex.name, result)
                field = naming.gql_field(op)
                root = schema.query_type if op.kind == "query" else schema.mutation_type
                assert root is not None
                gql_body = to_wire(result["data"][field], root.fields[field].type)
                if op.output is None:  # no output: 204 without a body, and Boolean! true
                    assert (rest_body, gql_body) == (None, True), op.key
                    gql_body = None
                assert without_nulls(gql_body) == without_nulls(rest_body), (op.key, ex.name)
                if ex.output is not None:
                    assert without_nulls(rest_body) == without_nulls(ex.output), ex.name
                calls.append((naming.gql_field(op), ex.input or {}, rest_body))
                sent += 1
        for (tool, _, rest_body), result in zip(
            calls, asyncio.run(mcp_calls(url, calls)), strict=True
        ):
            assert not result.isError, (tool, result.content)
            assert result.structuredContent == rest_body, tool
    return sent


async def mcp_calls(url: str, calls: list[tuple[str, Any, Any]]) -> list[Any]:
    """Each (tool, arguments) called over MCP's streamable HTTP, as the admin."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async with (
        httpx.AsyncClient(headers=ADMIN) as client,
        streamable_http_client(url + "/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        return [await session.call_tool(tool, arguments) for tool, arguments, _ in calls]


def call_rest(http: httpx.Client, openapi: OpenAPI, bound: Bound, value: Any) -> Any:
    request = rest_request(bound, value or {})
    request["headers"] = {**request["headers"], **ADMIN}
    response = http.request(**request)
    key = bound.key
    body = response.json() if response.content else None
    openapi.check(key, response.status_code, response.headers.get("content-type"), body)
    assert 200 <= response.status_code < 300, body
    return body


def test_every_bundled_example_has_one_outcome_on_rest_and_graphql() -> None:
    config = load_config(REPO)
    result = load(config.contracts)
    assert result.spec is not None
    examples = sum(len(op.examples) for op in result.spec.operations)
    assert examples > 0 and example_parity(result.spec, config.output) == examples


def test_prefer_code_asks_for_a_declared_error() -> None:
    config = load_config(REPO)
    spec = load(config.contracts).spec
    assert spec is not None
    openapi = OpenAPI(config.output / "openapi" / "openapi.yaml")
    with serve(mock_app(spec, config.output)) as url, httpx.Client(base_url=url) as http:
        prefer = {**ADMIN, "Prefer": "code=METRIC_NOT_FOUND"}
        response = http.get("/v1/metric/get", params={"key": "k"}, headers=prefer)
        body = response.json()
        openapi.check("metric.get", response.status_code, response.headers["content-type"], body)
        assert (response.status_code, body["code"]) == (404, "METRIC_NOT_FOUND")
        query = '{ metricGet(input: {key: "k"}) { id } }'
        result = http.post("/graphql", json={"query": query}, headers=prefer).json()
        assert result["errors"][0]["extensions"]["code"] == "METRIC_NOT_FOUND"
        undeclared = {**ADMIN, "Prefer": "code=BATCH_TOO_LARGE"}
        response = http.get("/v1/metric/get", params={"key": "k"}, headers=undeclared)
        assert response.status_code == 200


@pytest.fixture
def cli_server() -> Iterator[str]:
    """``contractgen serve`` (the mock, by default) as a real process on a free port."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [shutil.which("contractgen") or "contractgen", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy()
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/graphql?query={contractgenVersion}", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.stdout else b""
                    raise RuntimeError(output.decode()) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_command_serves_the_mock(cli_server: str) -> None:
    user = {"Authorization": "Bearer user"}
    response = httpx.get(cli_server + "/v1/metric/list", headers=user)
    assert response.status_code == 200 and "items" in response.json()
    assert httpx.get(cli_server + "/v1/metric/list").status_code == 401
    version = httpx.get(cli_server + "/graphql", params={"query": "{ contractgenVersion }"})
    assert version.json() == {"data": {"contractgenVersion": contractgen.__version__}}
