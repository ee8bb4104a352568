"""Helpers of the runtime tests: the generated packages, a real server, conformance."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema
import uvicorn
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.types import ASGIApp

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"
for _root in (GENERATED / "python", REPO):
    if str(_root) not in sys.path:
        sys.path.insert(0, str(_root))

DOC_URI = "urn:contractgen:test:openapi"


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """A real uvicorn server on a free 127.0.0.1 port, for the block; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class OpenAPI:
    """The generated OpenAPI document, to check that a response conforms to it."""

    def __init__(self, path: Path) -> None:
        self.doc: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(self.doc, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(DOC_URI, resource)

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in node:
            found: Any = self.doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                found = found[part]
            node = found
        return node

    def operation(self, key: str) -> tuple[str, str, Mapping[str, Any]]:
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                if op.get("x-contractgen", {}).get("key") == key:
                    return path, method.upper(), op
        raise KeyError(key)

    def check(self, key: str, status: int, content_type: str | None, body: object) -> None:
        """Asserts that the status is declared for the operation and the body matches."""
        _, _, op = self.operation(key)
        responses = op["responses"]
        assert str(status) in responses, f"{key}: status {status} is not declared"
        response = self.resolve(responses[str(status)])
        if "content" not in response:  # a response without a body (204)
            assert body is None, f"{key} {status}: a body where none is declared"
            return
        media = (content_type or "").split(";")[0]
        assert media in response.get("content", {}), f"{key} {status}: {media} not declared"
        schema = response["content"][media]["schema"]
        self.validate(schema, body)

    def validate(self, schema: Mapping[str, Any], body: object) -> None:
        rooted = _rooted(schema)
        validator = jsonschema.Draft202012Validator(
            rooted, registry=self.registry, format_checker=jsonschema.FormatChecker()
        )
        validator.validate(body)

    def problem(self, body: object) -> None:
        """Asserts the body is a Problem (for the statuses no operation declares)."""
        self.validate({"$ref": "#/components/schemas/Problem"}, body)


def _rooted(node: Any) -> Any:
    """The schema with its local references made absolute in the document's URI."""
    if isinstance(node, dict):
        return {
            k: (DOC_URI + v if k == "$ref" and v.startswith("#") else _rooted(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rooted(v) for v in node]
    return node


def selection(type_: Any) -> str:
    """A selection set of every field of an output type, nested objects included."""
    from graphql import GraphQLObjectType, get_named_type

    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = [name + selection(field.type) for name, field in named.fields.items()]
    return " { " + " ".join(parts) + " }"


def graphql_document(schema: Any, kind: str, field: str) -> str:
    """The query or mutation that calls one root field with ``$input`` and selects all."""
    root = schema.query_type if kind == "query" else schema.mutation_type
    target = root.fields[field]
    keyword = "query" if kind == "query" else "mutation"
    if "input" not in target.args:
        return f"{keyword} {{ {field}{selection(target.type)} }}"
    arg = target.args["input"].type
    return f"{keyword}($input: {arg}) {{ {field}(input: $input){selection(target.type)} }}"


def without_nulls(value: Any) -> Any:
    """The JSON value without null members (REST leaves them out, GraphQL sends them)."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


@contextmanager
def redis_server() -> Iterator[int]:
    """A real ``redis-server`` on a free 127.0.0.1 port, without persistence; yields
    the port."""
    import shutil
    import subprocess

    binary = shutil.which("redis-server")
    if binary is None:  # pragma: no cover - .ci/run installs it
        # As the consumer tests do: missing in CI (CI=true) fails, elsewhere skips.
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            raise RuntimeError(message)
        import pytest

        pytest.skip(message)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
