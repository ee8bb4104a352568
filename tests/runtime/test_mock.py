"""``serve --mock``: every example through REST and GraphQL with the same outcome, on the
bundled contracts and on the golden test trees; ``Prefer: code=``; the CLI itself."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import build_schema

import contractgen
from contractgen import naming
from contractgen.config import load_config
from contractgen.load import load
from contractgen.runtime.mock import mock_app
from contractgen.runtime.rest import PARAMETER_METHODS
from contractgen.spec.model import Spec

from .support import REPO, OpenAPI, graphql_document, serve, without_nulls

ADMIN = {"Authorization": "Bearer admin"}
GOLDEN = REPO / "tests" / "golden" / "cases"


def built_tree(contracts: Path, out: Path) -> Spec:
    """The tree's spec, built into ``out`` by the real command."""
    subprocess.run(
        [sys.executable, "-m", "contractgen", "build", "-c", str(contracts), "-o", str(out)],
        check=True,
        capture_output=True,
        cwd=out.parent,
    )
    result = load(contracts)
    assert result.spec is not None
    return result.spec


def example_parity(spec: Spec, output: Path) -> int:
    """Sends every example through REST and GraphQL of the mock; returns how many."""
    openapi = OpenAPI(output / "openapi" / "openapi.yaml")
    schema = build_schema((output / "graphql" / "schema.graphql").read_text(encoding="utf-8"))
    sent = 0
    calls: list[tuple[str, Any, Any]] = []
    with serve(mock_app(spec, output)) as url, httpx.Client(base_url=url) as http:
        for op in (op for d in spec.domains for op in spec.operations_in(d)):
            for ex in op.examples:
                rest_body = call_rest(http, openapi, op.key, ex.input)
                document = graphql_document(schema, op.kind, naming.gql_field(op))
                variables = {"input": ex.input} if ex.input is not None else {}
                result = http.post(
                    "/graphql", json={"query": document, "variables": variables}, headers=ADMIN
                ).json()
                assert "errors" not in result, (op.key, ex.name, result)
                gql_body = result["data"][naming.gql_field(op)]
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


def rest_request(method: str, path: str, value: Any) -> dict[str, Any]:
    """httpx arguments that carry the input as the OpenAPI document declares it."""
    rest = dict(value or {})
    for name in re.findall(r"{([^}]+)}", path):
        path = path.replace("{" + name + "}", str(rest.pop(name)))
    if method not in PARAMETER_METHODS:
        return {"url": path, "json": rest}
    params = {
        k: [as_parameter(i) for i in v] if isinstance(v, list) else as_parameter(v)
        for k, v in rest.items()
    }
    return {"url": path, "params": params}


def as_parameter(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict) else value


def call_rest(http: httpx.Client, openapi: OpenAPI, key: str, value: Any) -> Any:
    path, method, _ = openapi.operation(key)
    response = http.request(method, headers=ADMIN, **rest_request(method, path, value))
    body = response.json()
    openapi.check(key, response.status_code, response.headers.get("content-type"), body)
    assert response.status_code == 200, body
    return body


def test_every_bundled_example_has_one_outcome_on_rest_and_graphql() -> None:
    config = load_config(REPO)
    result = load(config.contracts)
    assert result.spec is not None
    examples = sum(len(op.examples) for op in result.spec.operations)
    assert examples > 0 and example_parity(result.spec, config.output) == examples


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_every_golden_tree_example_has_one_outcome(tmp_path: Path, case: str) -> None:
    out = tmp_path / "generated"
    spec = built_tree(GOLDEN / case / "contracts", out)
    for name in [m for m in sys.modules if m.split(".")[0] in _domain_packages(spec)]:
        del sys.modules[name]
    example_parity(spec, out)


def _domain_packages(spec: Spec) -> set[str]:
    return {naming.python_identifier(d) for d in spec.domains} | {"contractgen_runtime"}


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
