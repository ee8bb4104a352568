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
from contractgen_runtime import Context
from contractgen_runtime.serve.auth import dev_authenticator
from contractgen_runtime.serve.limits import InMemoryLimiter, bucket

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


def test_the_dev_authenticator_reads_the_organization_after_an_at() -> None:
    def ctx(token: str) -> Context:
        return dev_authenticator({"authorization": f"Bearer {token}"})

    assert ctx("user@acme") == Context(subject_id="user@acme", auth="user", org_id="acme")
    assert ctx("admin") == Context(subject_id="admin", auth="admin", org_id=None)
    assert ctx("anonymous@acme") == Context() and ctx("root@acme") == Context()


def test_buckets_count_per_caller_per_organization_or_together() -> None:
    acme_user = Context(subject_id="u1", auth="user", org_id="acme")
    acme_admin = Context(subject_id="a1", auth="admin", org_id="acme")
    globex_user = Context(subject_id="u1", auth="user", org_id="globex")
    for per, same, other in (
        ("org", (acme_user, acme_admin), (acme_user, globex_user)),
        ("user", (acme_user, globex_user), (acme_user, acme_admin)),
        ("global", (acme_user, globex_user), None),
    ):
        assert bucket("k", "1", per, same[0]) == bucket("k", "1", per, same[1]), per
        if other is not None:
            assert bucket("k", "1", per, other[0]) != bucket("k", "1", per, other[1]), per


def calls(url: str, token: str) -> list[tuple[str | None, int | None]]:
    """One invoice.send call on REST, GraphQL and MCP: each one's error code (None:
    success) and HTTP status."""
    headers = {"Authorization": f"Bearer {token}"}
    mutation = "mutation($i: SendInvoiceInput!) { invoiceSend(input: $i) { sentAt } }"
    with httpx.Client(base_url=url, headers=headers) as http:
        rest = http.post("/v1/invoice/send", json=SEND)
        graphql = http.post("/graphql", json={"query": mutation, "variables": {"i": SEND}})
    errors = graphql.json().get("errors")
    code = errors[0]["extensions"]["code"] if errors else None
    mcp = mcp_result(url, headers)
    return [
        (rest.json().get("code") if rest.status_code >= 400 else None, rest.status_code),
        (code, errors[0]["extensions"]["status"] if errors else 200),
        (json.loads(mcp[1])["code"] if mcp[0] else None, None),
    ]


def test_an_org_limit_counts_per_organization_on_every_transport(
    served: tuple[str, OpenAPI],
) -> None:
    """invoice.send is limited per organization (60 a minute): once acme spent it, every
    acme caller is limited on every transport, and globex is not."""
    url, _ = served
    with httpx.Client(base_url=url, headers={"Authorization": "Bearer service@acme"}) as http:
        statuses = [http.post("/v1/invoice/send", json=SEND).status_code for _ in range(60)]
    assert set(statuses) == {200}
    limited = ("RATE_LIMITED", 429)
    assert calls(url, "admin@acme") == [limited, limited, ("RATE_LIMITED", None)]
    assert calls(url, "service@globex") == [(None, 200), (None, 200), (None, None)]


def mcp_result(url: str, headers: dict[str, str]) -> tuple[bool, str]:
    """invoiceSend over MCP: whether it is an error, and its text."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def run() -> tuple[bool, str]:
        async with (
            httpx.AsyncClient(headers=headers) as client,
            streamable_http_client(url + "/mcp/", http_client=client) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            result = await session.call_tool("invoiceSend", SEND)
            text: str = result.content[0].text  # type: ignore[union-attr]
            return bool(result.isError), text

    return asyncio.run(run())


def mcp_call(url: str) -> str:
    is_error, text = mcp_result(url, SERVICE)
    assert is_error
    return text
