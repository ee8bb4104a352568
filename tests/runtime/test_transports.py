"""REST and GraphQL from one dispatch, on a real uvicorn server over loopback.

Every response body is checked against the generated OpenAPI document (the
status must be declared for the operation and the body must match its
schema); GraphQL errors must carry a code of the domain's error classes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .support import GENERATED, OpenAPI, serve

from examples.metering_service import SCHEMA, build_app  # isort: skip

ADMIN = {"Authorization": "Bearer admin"}
JSON_TYPE = {"Content-Type": "application/json"}
USER = {"Authorization": "Bearer user"}
METRIC = {"key": "api_calls", "name": "API Calls", "unit": "calls", "aggregationType": "COUNT"}
RECORD = {"metricKey": "api_calls", "subjectType": "org", "subjectId": "o1", "quantity": 2.5}


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI(GENERATED / "openapi" / "openapi.yaml")


@pytest.fixture(scope="module")
def error_codes() -> set[str]:
    """The codes GraphQL clients are told about: the Python error classes' gqlCodes."""
    import metering

    return {cls.gql_code for cls in metering.ERRORS.values()}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with serve(build_app()) as url, httpx.Client(base_url=url) as http:
        assert http.post("/v1/metric/define", json=METRIC, headers=ADMIN).status_code == 201
        yield http


def rest(http: httpx.Client, openapi: OpenAPI, key: str, **kwargs: Any) -> tuple[int, Any]:
    """Calls an operation at its route; asserts the answer conforms to the document."""
    path, method, _ = openapi.operation(key)
    response = http.request(method, path, **kwargs)
    body = response.json() if response.content else None
    openapi.check(key, response.status_code, response.headers.get("content-type"), body)
    return response.status_code, body


def gql(http: httpx.Client, query: str, variables: Any = None, **kwargs: Any) -> Any:
    response = http.post("/graphql", json={"query": query, "variables": variables}, **kwargs)
    assert response.status_code == 200
    return response.json()


def test_rest_success_answers_the_declared_status_and_body(
    client: httpx.Client, openapi: OpenAPI
) -> None:
    status, record = rest(client, openapi, "usage.record", json=RECORD, headers=ADMIN)
    assert status == 201 and record["quantity"] == 2.5 and record["metricKey"] == "api_calls"
    status, metric = rest(client, openapi, "metric.get", params={"key": "api_calls"}, headers=USER)
    assert status == 200 and metric["aggregationType"] == "COUNT"


def test_query_parameters_are_decoded_as_the_document_declares(
    client: httpx.Client, openapi: OpenAPI
) -> None:
    params = {"isActive": "true", "limit": "5", "offset": "0"}
    status, page = rest(client, openapi, "metric.list", params=params, headers=USER)
    assert status == 200 and page["total"] >= 1
    params = {"isActive": "false"}
    status, page = rest(client, openapi, "metric.list", params=params, headers=USER)
    assert status == 200 and page["items"] == []
    status, problem = rest(client, openapi, "metric.list", params={"limit": "x"}, headers=USER)
    assert status == 422 and problem["errors"] == [
        {
            "parameter": "limit",
            "detail": "Input should be a valid integer",
        }
    ]


def test_graphql_resolves_through_the_same_dispatch(client: httpx.Client, openapi: OpenAPI) -> None:
    _, by_rest = rest(client, openapi, "metric.get", params={"key": "api_calls"}, headers=USER)
    query = "query($k: String!) { metricGet(input: {key: $k}) { id key unit aggregationType } }"
    result = gql(client, query, {"k": "api_calls"}, headers=USER)
    got = result["data"]["metricGet"]
    assert got == {k: by_rest[k] for k in ("id", "key", "unit", "aggregationType")}


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [({}, 401, "UNAUTHENTICATED"), (USER, 403, "FORBIDDEN")],
)
def test_auth_is_the_same_on_both_transports(
    client: httpx.Client,
    openapi: OpenAPI,
    error_codes: set[str],
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    got, problem = rest(client, openapi, "usage.record", json=RECORD, headers=headers)
    assert (got, problem["code"]) == (status, code)
    mutation = "mutation($i: RecordUsageInput!) { usageRecord(input: $i) { id } }"
    result = gql(client, mutation, {"i": RECORD}, headers=headers)
    extensions = result["errors"][0]["extensions"]
    assert (extensions["code"], extensions["status"]) == (code, status)
    assert code in error_codes


def test_declared_errors_keep_their_status_and_code(
    client: httpx.Client, openapi: OpenAPI, error_codes: set[str]
) -> None:
    missing = {**RECORD, "metricKey": "nope"}
    status, problem = rest(client, openapi, "usage.record", json=missing, headers=ADMIN)
    assert (status, problem["code"]) == (404, "METRIC_NOT_FOUND")
    assert problem["detail"] == "metric nope is not defined"
    once = {**RECORD, "idempotencyKey": "k1"}
    assert rest(client, openapi, "usage.record", json=once, headers=ADMIN)[0] == 201
    status, problem = rest(client, openapi, "usage.record", json=once, headers=ADMIN)
    assert (status, problem["code"]) == (409, "DUPLICATE_RECORD")
    query = '{ metricGet(input: {key: "nope"}) { id } }'
    extensions = gql(client, query, headers=USER)["errors"][0]["extensions"]
    assert (extensions["code"], extensions["status"]) == ("METRIC_NOT_FOUND", 404)
    assert extensions["code"] in error_codes


@pytest.mark.parametrize(
    ("content", "pointers"),
    [
        (b"{}", {"/metricKey", "/subjectType", "/subjectId", "/quantity"}),
        (
            b'{"metricKey": 1, "subjectType": "o", "subjectId": "s", "quantity": "x"}',
            {"/metricKey", "/quantity"},
        ),
        (b"{not json", {""}),
        (b"[1, 2]", {""}),
        (b'"text"', {""}),
    ],
)
def test_bad_bodies_are_conforming_422s(
    client: httpx.Client, openapi: OpenAPI, content: bytes, pointers: set[str]
) -> None:
    headers = {**ADMIN, "Content-Type": "application/json"}
    status, problem = rest(client, openapi, "usage.record", content=content, headers=headers)
    assert (status, problem["code"]) == (422, "VALIDATION_FAILED")
    assert {e["pointer"] for e in problem["errors"]} == pointers


def test_graphql_bad_input_is_a_validation_error(
    client: httpx.Client, error_codes: set[str]
) -> None:
    mutation = "mutation($i: RecordUsageInput!) { usageRecord(input: $i) { id } }"
    wrong_type = gql(client, mutation, {"i": {**RECORD, "quantity": "x"}}, headers=ADMIN)
    assert wrong_type["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert "VALIDATION_FAILED" in error_codes
    bad_email = {"metricKey": "api_calls", "name": "n", "threshold": 1, "notifyEmails": ["x"]}
    mutation = "mutation($i: CreateThresholdInput!) { thresholdCreate(input: $i) { id } }"
    result = gql(client, mutation, {"i": bad_email}, headers=ADMIN)
    extensions = result["errors"][0]["extensions"]
    assert extensions["code"] == "VALIDATION_FAILED"
    assert extensions["errors"][0]["pointer"] == "/notifyEmails/0"
    syntax = gql(client, "{ metricGet(", headers=USER)
    assert syntax["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


def test_graphql_http_mistakes_are_4xx(client: httpx.Client) -> None:
    bad = client.post("/graphql", content=b"{oops", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["code"]
    mutation = client.get("/graphql", params={"query": "mutation { contractgenVersion }"})
    assert mutation.status_code == 405
    subscription = "subscription { usageRecorded { recordId } }"
    for sent in (
        client.post("/graphql", json={"query": subscription}, headers=USER),
        client.get("/graphql", params={"query": subscription}, headers=USER),
    ):
        assert sent.status_code == 405
        error = sent.json()["errors"][0]
        assert error["extensions"] == {"code": "METHOD_NOT_ALLOWED", "status": 405}
        assert error["message"].startswith("subscriptions are not served over HTTP")


def test_mcp_mistakes_are_json_rpc_errors(client: httpx.Client) -> None:
    """What is not a JSON-RPC message MCP has gets JSON-RPC's error, never the SDK's
    pydantic dump or a plain-text answer."""
    accept = {"Accept": "application/json, text/event-stream", **JSON_TYPE, **ADMIN}
    cases = [
        (b'{"hello": 1}', accept, 400, None, -32600),
        (b"[1, 2]", accept, 400, None, -32600),
        (b'{"jsonrpc": "2.0", "id": 7, "method": "foo/bar"}', accept, 200, 7, -32601),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}',
            {**accept, "Content-Type": "text/plain"},
            415,
            None,
            -32600,
        ),
    ]
    for body, headers, status, id_, code in cases:
        sent = client.post("/mcp/", content=body, headers=headers)
        assert sent.status_code == status, (body, sent.text)
        answer = sent.json()
        assert (answer["jsonrpc"], answer["id"], answer["error"]["code"]) == ("2.0", id_, code)
    listed = client.post(
        "/mcp/", content=b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}', headers=accept
    )
    assert listed.status_code == 200 and len(listed.json()["result"]["tools"]) == 13


def test_transport_mistakes_are_conforming_problems(client: httpx.Client, openapi: OpenAPI) -> None:
    unknown = client.get("/v1/nothing/here")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    openapi.problem(unknown.json())
    wrong_method = client.get("/v1/usage/record")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
    openapi.problem(wrong_method.json())
    odd = client.get("/v1/nothing/%C3%A9%20x%25")  # é, a space and a percent sign
    assert odd.status_code == 404
    assert odd.json()["instance"] == "/v1/nothing/%C3%A9%20x%25"
    openapi.problem(odd.json())  # instance is a uri-reference (rfc3986-validator checks)
    huge = client.post("/v1/usage/record", content=b" " * (2 << 20), headers=ADMIN)
    assert huge.status_code == 413
    openapi.problem(huge.json())
    huge_gql = client.post("/graphql", content=b" " * (2 << 20), headers=JSON_TYPE)
    assert huge_gql.status_code == 413
    assert huge_gql.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    accept = {"Accept": "application/json, text/event-stream", **JSON_TYPE}
    huge_mcp = client.post("/mcp/", content=b" " * (2 << 20), headers=accept)
    assert huge_mcp.status_code == 413
    assert huge_mcp.json() == {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32600, "message": "the request body is too large"},
    }


class Failing:
    """A handler of usage.record with a bug chosen by the subject id."""

    async def handle(self, input: Any, ctx: Any) -> Any:
        import metering

        if input.subject_id == "raise":
            raise RuntimeError("secret internals")
        if input.subject_id == "undeclared":
            raise metering.ThresholdNotFoundError("not this operation's error")
        if input.subject_id == "wrong-type":
            return metering.SuccessOutput(success=True)
        # A record without most of its required fields: the output check must catch it.
        fields: dict[str, Any] = {"id": "ur_1"}
        return metering.UsageRecord.model_construct(**fields)


@pytest.mark.parametrize("bug", ["raise", "undeclared", "wrong-type", "invalid-output"])
def test_handler_bugs_are_500s_without_internals(
    openapi: OpenAPI, caplog: pytest.LogCaptureFixture, bug: str
) -> None:
    import metering
    from contractgen_runtime.serve import create_app, dev_authenticator

    registry = metering.Registry()
    registry.register_handler("usage.record", "1.0.0", Failing())
    app = create_app(registry, graphql=SCHEMA, authenticator=dev_authenticator)
    caplog.set_level(logging.ERROR, logger="contractgen_runtime.serve")
    with serve(app) as url, httpx.Client(base_url=url) as http:
        response = http.post("/v1/usage/record", json={**RECORD, "subjectId": bug}, headers=ADMIN)
        mutation = "mutation($i: RecordUsageInput!) { usageRecord(input: $i) { id } }"
        variables = {"i": {**RECORD, "subjectId": bug}}
        result = gql(http, mutation, variables, headers=ADMIN)
    assert response.status_code == 500
    problem = response.json()
    openapi.problem(problem)
    assert problem["code"] == "INTERNAL" and "secret" not in response.text
    assert result["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert "secret" not in str(result)
    assert caplog.records, "the failure is logged"
