"""The generated Python clients (``<domain>/client.py``), against httpx's mock transport:
what goes on the wire, and every kind of answer coming back typed."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from generated_packages import imported_from

from contractgen.load import load
from contractgen.surfaces import Options
from contractgen.surfaces.python import render

REPO = Path(__file__).resolve().parents[2]

#: A query whose error is retryable (so the client may repeat it), and a command
#: with the same retryable error (which it must not repeat).
FLAKY = """\
kind: {kind}
meta:
  key: {key}
  version: "2.0.0"
  description: A call that may fail for a while.
  goal: Show retries.
  context: Tests.
  stability: stable
  owners: [team]
io:
  input: FlakyInput
  output: FlakyOutput
  errors:
    BUSY:
      description: Try again later
      http: 503
      retryable: true
policy:
  auth: anonymous
  idempotent: {idempotent}
"""

FLAKY_MODELS = """\
kind: models
models:
  FlakyInput:
    description: Input.
    fields:
      id: {type: String_unsecure, description: "Which one."}
      class: {type: String_unsecure, isOptional: true, description: "A keyword as a name."}
  FlakyOutput:
    description: Output.
    fields:
      ok: {type: Boolean, description: "Whether it worked."}
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    """The bundled metering client and a flaky domain's client, imported."""
    base = tmp_path_factory.mktemp("client")
    flaky = base / "contracts" / "flaky"
    flaky.mkdir(parents=True)
    (flaky / "models.yaml").write_text(FLAKY_MODELS, encoding="utf-8")
    for key, kind, idempotent in (("flaky.get", "query", "true"), ("flaky.do", "command", "false")):
        text = FLAKY.format(key=key, kind=kind, idempotent=idempotent)
        (flaky / f"{key}.yaml").write_text(text, encoding="utf-8")
    files = []
    for root in (REPO / "contracts", base / "contracts"):
        result = load(root)
        assert result.ok and result.spec is not None, result.diagnostics
        files += render(result.spec, Options())
    out = base / "python"
    for f in files:
        target = base / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")
    names = "metering.client", "flaky.client", "metering.errors", "metering.models"
    with imported_from(out, *names, "contractgen_runtime") as modules:
        yield {
            "metering": modules["metering.client"],
            "flaky": modules["flaky.client"],
            "errors": modules["metering.errors"],
            "models": modules["metering.models"],
            "runtime": modules["contractgen_runtime"],
        }


Handler = Callable[[httpx.Request], httpx.Response]


def _problem(status: int, code: str, **more: Any) -> httpx.Response:
    body = {"type": "about:blank", "title": code, "status": status, "code": code, **more}
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


METRIC = {
    "id": "m1",
    "key": "api_calls",
    "name": "API calls",
    "unit": "call",
    "aggregationType": "SUM",
    "resetPeriod": "MONTHLY",
    "isActive": True,
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-01T00:00:00Z",
}


def test_a_query_sends_its_input_as_parameters_and_returns_the_model(
    packages: dict[str, ModuleType],
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=METRIC)

    client = packages["metering"].Client(
        "http://api.test/", auth=lambda: "user", transport=httpx.MockTransport(answer)
    )
    models = packages["models"]
    with client:
        found = client.metric_get(models.GetMetricInput(key="api_calls", org_id="o 1"))
    assert isinstance(found, models.MetricDefinition) and found.key == "api_calls"
    (request,) = seen
    assert request.method == "GET" and request.url.path == "/v1/metric/get"
    assert dict(request.url.params) == {"key": "api_calls", "orgId": "o 1"}
    assert request.headers["authorization"] == "Bearer user"


def test_a_command_sends_a_json_body_by_wire_names(packages: dict[str, ModuleType]) -> None:
    seen: list[Any] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(201, json=METRIC)

    client = packages["metering"].Client("http://api.test", transport=httpx.MockTransport(answer))
    models = packages["models"]
    data = {"key": "k", "name": "n", "unit": "u", "aggregationType": "SUM"}
    client.metric_define(models.DefineMetricInput.model_validate(data | {"resetPeriod": "NEVER"}))
    assert seen[0]["aggregationType"] == "SUM" and "orgId" not in seen[0]


@pytest.mark.parametrize(
    ("answer", "error", "check"),
    [
        (_problem(404, "METRIC_NOT_FOUND", detail="no such"), "MetricNotFoundError", "no such"),
        (_problem(401, "UNAUTHENTICATED"), "UnauthenticatedError", None),
        (_problem(403, "FORBIDDEN"), "ForbiddenError", None),
        (
            _problem(422, "VALIDATION_FAILED", errors=[{"parameter": "key", "detail": "missing"}]),
            "ValidationFailedError",
            None,
        ),
    ],
)
def test_problems_come_back_as_the_domains_error_classes(
    packages: dict[str, ModuleType], answer: httpx.Response, error: str, check: str | None
) -> None:
    errors, models = packages["errors"], packages["models"]
    for asynchronous in (False, True):
        with pytest.raises(getattr(errors, error)) as raised:
            _get(packages, models.GetMetricInput(key="k"), answer, asynchronous)
        if check is not None:
            assert raised.value.detail == check
    assert isinstance(raised.value, errors.ContractError)
    if error == "ValidationFailedError":
        field_errors = packages["metering"].field_errors(raised.value)
        assert field_errors == [{"parameter": "key", "detail": "missing"}]
    if error in ("UnauthenticatedError", "ForbiddenError"):
        assert isinstance(raised.value, getattr(packages["runtime"], error))


def _get(
    packages: dict[str, ModuleType], sent: Any, answer: httpx.Response, asynchronous: bool
) -> Any:
    module = packages["metering"]

    def respond(request: httpx.Request) -> httpx.Response:
        # A new response per call: httpx reads each one once.
        return httpx.Response(answer.status_code, content=answer.content, headers=answer.headers)

    if not asynchronous:
        return module.Client("http://x", transport=httpx.MockTransport(respond)).metric_get(sent)

    async def call() -> Any:
        async with module.AsyncClient("http://x", transport=httpx.MockTransport(respond)) as c:
            return await c.metric_get(sent)

    return asyncio.run(call())


def test_anything_else_is_a_transport_error_with_status_and_body(
    packages: dict[str, ModuleType],
) -> None:
    module, models = packages["metering"], packages["models"]
    for answer in (httpx.Response(502, text="bad gateway"), _problem(500, "NOT_A_CODE_HERE")):
        with pytest.raises(module.TransportError) as raised:
            _get(packages, models.GetMetricInput(key="k"), answer, asynchronous=False)
        assert raised.value.status == answer.status_code
        assert raised.value.body == answer.text


def test_retries_only_retryable_errors_of_idempotent_operations(
    packages: dict[str, ModuleType],
) -> None:
    flaky = packages["flaky"]
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) < 3:
            return _problem(503, "BUSY")
        return httpx.Response(200, json={"ok": True})

    retry = flaky.Retry(attempts=3, backoff=0.0)
    transport = httpx.MockTransport(answer)
    client = flaky.Client("http://x", transport=transport, retry=retry)
    input_model = sys.modules["flaky.models"].FlakyInput
    assert client.flaky_get_v2(input_model(id="1", class_="c")).ok is True
    assert calls == ["GET", "GET", "GET"]
    calls.clear()
    with pytest.raises(sys.modules["flaky.errors"].BusyError):
        client.flaky_do_v2(input_model(id="1"))
    assert calls == ["POST"]
    calls.clear()
    with pytest.raises(sys.modules["flaky.errors"].BusyError):
        flaky.Client(
            "http://x", transport=transport, retry=flaky.Retry(attempts=2, backoff=0.0)
        ).flaky_get_v2(input_model(id="1"))
    assert calls == ["GET", "GET"]


ANSWERS = REPO / "tests" / "golden" / "cases" / "answers" / "contracts"


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    """The client of the golden case whose operations declare other answers, imported."""
    base = tmp_path_factory.mktemp("answers")
    result = load(ANSWERS)
    assert result.ok and result.spec is not None, result.diagnostics
    for f in render(result.spec, Options()):
        target = base / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")
    with imported_from(base / "python", "repos.client", "repos.models") as modules:
        yield {"client": modules["repos.client"], "models": modules["repos.models"]}


REPO_BODY = {"id": "r1", "owner": "octo", "name": "hello"}


def _answering(status: int, **kwargs: Any) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, **kwargs))


def test_declared_answers_come_back_as_replies_with_their_status(
    repos: dict[str, ModuleType],
) -> None:
    client_module, models = repos["client"], repos["models"]
    ref = models.RepoRef(owner="octo", name="hello")
    update = models.UpdateRepoInput(owner="octo", name="hello")
    cases: list[tuple[str, httpx.MockTransport, int, Any, str | None]] = [
        ("repo_get", _answering(200, json=REPO_BODY), 200, models.Repo, None),
        ("repo_get", _answering(304), 304, None, None),
        (
            "repo_get",
            _answering(301, headers={"location": "/repos/o/h2"}),
            301,
            None,
            "/repos/o/h2",
        ),
        ("repo_update", _answering(201, json=REPO_BODY), 201, models.Repo, None),
        ("repo_update", _answering(202, json={"jobId": "j1"}), 202, models.UpdateQueued, None),
        ("repo_star", _answering(205), 205, None, None),
        (
            "repo_download",
            _answering(302, headers={"location": "https://x/t.tgz"}),
            302,
            None,
            "https://x/t.tgz",
        ),
    ]
    for method, transport, status, model, location in cases:
        with client_module.Client("http://api.test", auth="u", transport=transport) as client:
            reply = getattr(client, method)(update if method == "repo_update" else ref)
        assert isinstance(reply, client_module.Reply), method
        assert reply.status == status and reply.location == location, (method, reply)
        if model is None:
            assert reply.output is None, (method, reply)
        else:
            assert isinstance(reply.output, model), (method, reply)


def test_an_undeclared_redirect_is_a_transport_error_and_async_replies_too(
    repos: dict[str, ModuleType],
) -> None:
    client_module, models = repos["client"], repos["models"]
    ref = models.RepoRef(owner="octo", name="hello")
    transport = _answering(302, headers={"location": "/elsewhere"})
    client = client_module.Client("http://api.test", transport=transport)
    with client, pytest.raises(client_module.TransportError) as caught:
        client.repo_get(ref)
    assert caught.value.status == 302

    async def fetch() -> Any:
        async_transport = httpx.MockTransport(lambda request: httpx.Response(304))
        async with client_module.AsyncClient("http://a", transport=async_transport) as client:
            return await client.repo_get(ref)

    reply = asyncio.run(fetch())
    assert reply.status == 304 and reply.output is None


def test_a_query_field_of_a_body_method_travels_in_the_query_string(
    repos: dict[str, ModuleType],
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=REPO_BODY)

    models = repos["models"]
    update = models.UpdateRepoInput(owner="octo", name="hello", force=True, topics=["a"])
    transport = httpx.MockTransport(answer)
    with repos["client"].Client("http://api.test", transport=transport) as client:
        assert client.repo_update(update).status == 200
    (request,) = seen
    assert request.method == "PATCH" and request.url.path == "/repos/octo/hello"
    assert dict(request.url.params) == {"force": "true"}
    assert json.loads(request.content) == {"topics": ["a"]}
