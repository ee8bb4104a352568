"""``policy.rateLimit``: the in-memory limiter's window, and a real ``serve --mock`` of the
golden ``versions`` tree answering 429 with Retry-After, the same on REST, GraphQL and
MCP once the caller's requests per minute are spent."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from contractgen_runtime.serve.limits import InMemoryLimiter

from .support import REPO, OpenAPI

TREE = REPO / "tests" / "golden" / "cases" / "versions" / "contracts"
SERVICE = {"Authorization": "Bearer service"}
SEND = {"invoiceId": "i_1", "email": "a@b.test"}


def test_the_window_slides() -> None:
    now = [0.0]
    limiter = InMemoryLimiter(clock=lambda: now[0])

    async def hits(n: int) -> list[float | None]:
        return [await limiter.hit("op", 2) for _ in range(n)]

    assert asyncio.run(hits(3)) == [None, None, 60.0]
    now[0] = 30.0
    assert asyncio.run(hits(1)) == [30.0]
    now[0] = 60.5
    assert asyncio.run(hits(2)) == [None, None]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, OpenAPI]]:
    root = tmp_path_factory.mktemp("versions")
    text = f'[tool.contractgen]\ncontracts = "{TREE.as_posix()}"\noutput = "generated"\n'
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "contractgen"]
    subprocess.run([*command, "build"], check=True, capture_output=True, cwd=root)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([*command, "serve", "--port", str(port)], cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/graphql?query={contractgenVersion}", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        yield url, OpenAPI(root / "generated" / "openapi" / "openapi.yaml")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_spent_limit_is_a_429_on_every_transport(served: tuple[str, OpenAPI]) -> None:
    url, openapi = served
    with httpx.Client(base_url=url, headers=SERVICE) as http:
        statuses = [http.post("/v1/invoice/send", json=SEND).status_code for _ in range(60)]
        assert set(statuses) == {200}
        limited = http.post("/v1/invoice/send", json=SEND)
        mutation = "mutation($i: SendInvoiceInput!) { invoiceSend(input: $i) { sentAt } }"
        graphql = http.post("/graphql", json={"query": mutation, "variables": {"i": SEND}})
    assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60
    problem = limited.json()
    openapi.check("invoice.send", 429, limited.headers["content-type"], problem)
    assert problem["code"] == "RATE_LIMITED" and problem["retryAfter"] >= 1
    extensions = graphql.json()["errors"][0]["extensions"]
    assert (extensions["code"], extensions["status"]) == ("RATE_LIMITED", 429)
    assert json.loads(mcp_call(url))["code"] == "RATE_LIMITED"


def mcp_call(url: str) -> str:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def run() -> str:
        async with (
            httpx.AsyncClient(headers=SERVICE) as client,
            streamable_http_client(url + "/mcp/", http_client=client) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            result = await session.call_tool("invoiceSend", SEND)
            assert result.isError
            text: str = result.content[0].text  # type: ignore[union-attr]
            return text

    return asyncio.run(run())
