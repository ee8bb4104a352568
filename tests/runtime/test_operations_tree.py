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


def test_input_is_checked_as_strictly_as_the_document_says(served: tuple[str, OpenAPI]) -> None:
    """A JSON body's values must have the schema's types (no true or "2" for an integer);
    a parameter's text must spell its type; a field the document sends in a header is
    not read from the body, whose schema does not have it."""
    url, openapi = served
    path, method, _ = openapi.operation("order.place")
    headers = {**USER, "Idempotency-Key": "k-1"}
    good = {"sku": "LAMP-1", "quantity": 1}
    placed = httpx.request(method, url + path, json=good, headers=headers)
    assert placed.status_code == 201, placed.text
    for wrong in (True, "2", 1.5):
        sent = httpx.request(method, url + path, json={**good, "quantity": wrong}, headers=headers)
        problem = sent.json()
        openapi.check("order.place", sent.status_code, sent.headers["content-type"], problem)
        assert sent.status_code == 422, (wrong, problem)
        assert [e["pointer"] for e in problem["errors"]] == ["/quantity"]
    in_body = {**good, "idempotencyKey": "k-1"}
    sent = httpx.request(method, url + path, json=in_body, headers=USER)
    assert sent.status_code == 422
    assert sent.json()["errors"] == [{"parameter": "Idempotency-Key", "detail": "Field required"}]
    headers = {**USER, "X-Tenant": "acme"}
    wrong_flag = httpx.get(url + "/v1/orders/o_1", params={"expand": "yes"}, headers=headers)
    assert wrong_flag.status_code == 422
    assert [e["parameter"] for e in wrong_flag.json()["errors"]] == ["expand"]


def test_a_whole_number_written_with_a_fraction_is_an_integer(
    served: tuple[str, OpenAPI],
) -> None:
    """JSON Schema's integer is any number without a fraction, 1.0 included."""
    url, openapi = served
    path, method, _ = openapi.operation("order.place")
    headers = {**USER, "Idempotency-Key": "k-1"}
    sent = httpx.request(
        method,
        url + path,
        content=b'{"sku": "LAMP-1", "quantity": 1.0}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert sent.status_code == 201, sent.text
