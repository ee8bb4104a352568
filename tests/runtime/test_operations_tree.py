"""The 1.1 transport keys through the runtime, on a real ``contractgen serve --mock``
process of the golden ``operations`` tree: path parameters, a field sent as a request
header, declared success statuses and an operation without output (204, GraphQL
``true``, MCP without content)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from .support import REPO, OpenAPI

TREE = REPO / "tests" / "golden" / "cases" / "operations" / "contracts"
USER = {"Authorization": "Bearer user"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, OpenAPI]]:
    """The tree built into a project of its own and served by the real command."""
    import socket

    root = tmp_path_factory.mktemp("operations")
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


def test_path_and_header_parameters(served: tuple[str, OpenAPI]) -> None:
    url, openapi = served
    path, method, op = openapi.operation("order.get")
    assert (path, method) == ("/v1/orders/{orderId}", "GET")
    assert {"name": "X-Tenant", "in": "header"}.items() <= next(
        p for p in op["parameters"] if p["in"] == "header"
    ).items()
    headers = {**USER, "X-Tenant": "acme"}
    found = httpx.get(url + "/v1/orders/o_1", params={"expand": "true"}, headers=headers)
    openapi.check("order.get", found.status_code, found.headers["content-type"], found.json())
    assert found.status_code == 200 and found.json()["orderId"] == "o_1"
    missing = httpx.get(url + "/v1/orders/o_1", headers=USER)
    problem = missing.json()
    openapi.check("order.get", missing.status_code, missing.headers["content-type"], problem)
    assert missing.status_code == 422
    assert problem["errors"] == [{"parameter": "X-Tenant", "detail": "Field required"}]


def test_an_operation_without_output(served: tuple[str, OpenAPI]) -> None:
    url, openapi = served
    path, method, op = openapi.operation("order.cancel")
    assert "204" in op["responses"]
    done = httpx.request(method, url + path.replace("{orderId}", "o_1"), headers=USER)
    assert (done.status_code, done.content) == (204, b"")
    mutation = 'mutation { orderCancel(input: {orderId: "o_1"}) }'
    result = httpx.post(url + "/graphql", json={"query": mutation}, headers=USER).json()
    assert result == {"data": {"orderCancel": True}}
