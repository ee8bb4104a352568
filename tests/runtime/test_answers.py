"""A handler answering one of its operation's declared answers (``transport.rest.responses``,
or a redirect as the only answer) through ``Reply``: REST sends that status with the
document's body and Location; GraphQL and MCP answer a success holding the output as the
result and the others as ``NOT_A_RESULT`` with the status; an undeclared answer is the
handler's bug (500). The golden case ``answers`` is served on a real server."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .support import REPO, OpenAPI, serve

from contractgen_runtime.serve import create_app, dev_authenticator  # isort: skip

CASE = REPO / "tests" / "golden" / "cases" / "answers" / "expected"
USER = {"Authorization": "Bearer user"}


@pytest.fixture(scope="module")
def repos() -> Iterator[Any]:
    """The case's domain package (its runtime is the bundled one: the same template)."""
    sys.path.append(str(CASE / "python"))
    try:
        yield importlib.import_module("repos")
    finally:
        sys.path.remove(str(CASE / "python"))


def _models() -> Any:
    return importlib.import_module("repos.models")


class RepoGet:
    """Answers by the repository's name: a cache hit, a rename, or a mistake."""

    async def handle(self, input: Any, ctx: Any) -> Any:
        from contractgen_runtime import Reply

        found = _models().Repo(id="r1", owner=input.owner, name=input.name)
        answers = {
            "cached": Reply(304),
            "moved": Reply(301, location="/repos/octo/renamed"),
            "plain-reply": Reply(200, found),
            "undeclared": Reply(302, location="/elsewhere"),
            "no-location": Reply(301),
            "body-on-304": Reply(304, found),
        }
        return answers.get(input.name, found)


class RepoUpdate:
    async def handle(self, input: Any, ctx: Any) -> Any:
        from contractgen_runtime import Reply

        models = _models()
        if input.force:
            made = f"forced {','.join(input.topics or [])}"
            return Reply(201, models.Repo(id="r3", owner=input.owner, name=made))
        if input.name == "big":
            return Reply(202, models.UpdateQueued(jobId="j1"))
        if input.name == "wrong-model":
            return Reply(202, models.Repo(id="r1", owner=input.owner, name=input.name))
        return Reply(201, models.Repo(id="r2", owner=input.owner, name=input.name))


class RepoDownload:
    async def handle(self, input: Any, ctx: Any) -> Any:
        from contractgen_runtime import Reply

        if input.name == "forgot":
            return None  # (a redirect-only operation must answer its Reply)
        return Reply(302, location=f"https://files.test/{input.owner}/{input.name}.tgz")


@pytest.fixture(scope="module")
def client(repos: Any) -> Iterator[httpx.Client]:
    registry = repos.Registry()
    registry.register("repo.get", "1.0.0", RepoGet())
    registry.register("repo.update", "1.0.0", RepoUpdate())
    registry.register("repo.download", "1.0.0", RepoDownload())
    sdl = (CASE / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    app = create_app(registry, graphql=sdl, mcp=False, authenticator=dev_authenticator)
    with serve(app) as url, httpx.Client(base_url=url, follow_redirects=False) as http:
        yield http


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI(CASE / "openapi" / "openapi.yaml")


def _rest(http: httpx.Client, doc: OpenAPI, key: str, path: str, method: str = "GET") -> Any:
    response = http.request(method, path, headers=USER, json={} if method != "GET" else None)
    body = response.json() if response.content else None
    doc.check(key, response.status_code, response.headers.get("content-type"), body)
    return response.status_code, body, response.headers.get("location")


def test_rest_sends_each_declared_answer_as_the_document_says(
    client: httpx.Client, openapi: OpenAPI
) -> None:
    assert _rest(client, openapi, "repo.get", "/repos/octo/hello")[0] == 200
    assert _rest(client, openapi, "repo.get", "/repos/octo/cached") == (304, None, None)
    moved = _rest(client, openapi, "repo.get", "/repos/octo/moved")
    assert moved == (301, None, "/repos/octo/renamed")
    assert _rest(client, openapi, "repo.get", "/repos/octo/plain-reply")[:2] == (
        200,
        {"id": "r1", "owner": "octo", "name": "plain-reply"},
    )
    queued = _rest(client, openapi, "repo.update", "/repos/octo/big", "PATCH")
    assert queued == (202, {"jobId": "j1"}, None)
    assert _rest(client, openapi, "repo.update", "/repos/octo/small", "PATCH")[0] == 201
    forced = client.patch(
        "/repos/octo/x", params={"force": "true"}, json={"topics": ["a", "b"]}, headers=USER
    )
    assert (forced.status_code, forced.json()["name"]) == (201, "forced a,b")
    download = _rest(client, openapi, "repo.download", "/repos/octo/hello/tarball")
    assert download == (302, None, "https://files.test/octo/hello.tgz")


def test_an_answer_the_contract_does_not_declare_is_an_internal_error(
    client: httpx.Client, openapi: OpenAPI
) -> None:
    for path, method in (
        ("/repos/octo/undeclared", "GET"),
        ("/repos/octo/no-location", "GET"),
        ("/repos/octo/body-on-304", "GET"),
        ("/repos/octo/wrong-model", "PATCH"),
        ("/repos/octo/forgot/tarball", "GET"),
    ):
        response = client.request(method, path, headers=USER, json={} if method != "GET" else None)
        assert response.status_code == 500, path
        openapi.problem(response.json())
        assert response.json()["code"] == "INTERNAL"


def _gql(http: httpx.Client, query: str, variables: dict[str, Any]) -> Any:
    response = http.post("/graphql", json={"query": query, "variables": variables}, headers=USER)
    assert response.status_code == 200
    return response.json()


def test_graphql_answers_the_output_as_the_result_and_the_rest_as_not_a_result(
    client: httpx.Client,
) -> None:
    get = "query($input: RepoRefInput!) { repoGet(input: $input) { id name } }"
    update = "mutation($input: UpdateRepoInput!) { repoUpdate(input: $input) { id name } }"
    ok = _gql(client, get, {"input": {"owner": "o", "name": "plain-reply"}})
    assert ok["data"]["repoGet"] == {"id": "r1", "name": "plain-reply"}
    made = _gql(client, update, {"input": {"owner": "o", "name": "small"}})
    assert made["data"]["repoUpdate"] == {"id": "r2", "name": "small"}
    for query, name, status, location in (
        (get, "cached", 304, None),
        (get, "moved", 301, "/repos/octo/renamed"),
        (update, "big", 202, None),
    ):
        found = _gql(client, query, {"input": {"owner": "o", "name": name}})
        (error,) = found["errors"]
        expected = {"code": "NOT_A_RESULT", "status": status}
        if location is not None:
            expected["location"] = location
        assert error["extensions"] == expected, (name, error)


def test_mcp_answers_a_declared_answer_that_is_not_a_result_as_its_status(repos: Any) -> None:
    pytest.importorskip("mcp")
    import anyio
    from contractgen_runtime.serve.mcp import build_server
    from contractgen_runtime.serve.service import Service
    from mcp import types

    registry = repos.Registry()
    registry.register("repo.get", "1.0.0", RepoGet())
    server = build_server(
        Service([registry], authenticator=dev_authenticator), {"authorization": "Bearer user"}
    )
    handler = server.request_handlers[types.CallToolRequest]

    async def call(name: str) -> types.CallToolResult:
        params = types.CallToolRequestParams(name="repoGet", arguments={"owner": "o", "name": name})
        found = await handler(types.CallToolRequest(method="tools/call", params=params))
        result = found.root
        assert isinstance(result, types.CallToolResult)
        return result

    cached = anyio.run(call, "cached")
    assert cached.isError and json.loads(cached.content[0].text) == {  # type: ignore[union-attr]
        "code": "NOT_A_RESULT",
        "status": 304,
    }
    plain = anyio.run(call, "plain-reply")
    assert not plain.isError and plain.structuredContent == {
        "id": "r1",
        "owner": "o",
        "name": "plain-reply",
    }


def test_the_mock_answers_a_redirect_only_operation_with_a_location(repos: Any) -> None:
    from contractgen.load import load
    from contractgen.runtime.mock import mock_app

    spec = load(REPO / "tests" / "golden" / "cases" / "answers" / "contracts").spec
    assert spec is not None
    with serve(mock_app(spec, CASE)) as url, httpx.Client(base_url=url) as http:
        response = http.get("/repos/octo/hello/tarball")
    assert (
        response.status_code == 302
        and response.headers["location"] == "https://mock.invalid/redirect"
    )
