"""End to end: the generated clients against the runtime's mock server over HTTP.

A real uvicorn server (``contractgen.runtime``'s ``serve --mock`` app) runs on a
127.0.0.1 port; every operation of the bundled contracts is called by the
Python client (sync and async) and the TypeScript client (compiled by tsc, run
by node), for: success, each declared error (``Prefer: code=...``), a 422 from
input the server rejects, 401 without credentials and 403 with too little
access. Each outcome must come back typed: the output model, the error class
of the code (Python), the problem's ``code`` (TypeScript).

``CONTRACTGEN_E2E_URL`` runs the calls against a server already running
(``CONTRACTGEN_E2E_CONTRACTS``: the contracts it serves).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from consumers.tools import npm_tool
from consumers.tools import run as run_tool
from generated_packages import imported_from

from contractgen import naming
from contractgen.load import load
from contractgen.spec.model import AUTH_ORDER, Model, Operation, Spec
from contractgen.surfaces import Options, render_all

REPO = Path(__file__).resolve().parents[2]

if importlib.util.find_spec("contractgen.runtime") is None:  # pragma: no cover
    pytest.skip("the runtime (contractgen.runtime) is not there", allow_module_level=True)
pytest.importorskip("uvicorn")

#: A valid value per scalar, for inputs built from the models.
SCALAR_SAMPLES: dict[str, Any] = {
    "Boolean": True,
    "Int_unsecure": 1,
    "Int64": 1,
    "Float_unsecure": 1.0,
    "Latitude": 1.0,
    "Longitude": 1.0,
    "Date": "2026-01-01",
    "DateTime": "2026-01-01T00:00:00Z",
    "Time": "12:00",
    "EmailAddress": "someone@example.com",
    "URL": "https://example.com/hook",
    "PhoneNumber": "+441234567890",
    "Locale": "en-GB",
    "TimeZone": "Europe/London",
    "Currency": "EUR",
    "CountryCode": "GB",
    "Decimal": "1.5",
    "UUID": "00000000-0000-4000-8000-000000000000",
    "Bytes": "aGk=",
    "JSON": {},
    "JSONObject": {},
}


def sample(spec: Spec, model: Model) -> dict[str, Any]:
    """A valid input of the model: its required fields, each with a valid value."""
    out: dict[str, Any] = {}
    for f in model.fields:
        if f.optional or f.has_default:
            continue
        kind, name = f.type.kind, f.type.name
        if kind == "model":
            value: Any = sample(spec, spec.model(name))
        elif kind == "enum":
            value = spec.enum(name).values[0]
        elif kind == "union":
            _tag, member = spec.union(name).members[0]
            value = sample(spec, spec.model(member))
        else:
            value = SCALAR_SAMPLES.get(name, "x")
        out[f.name] = [value] if f.array else {"k": value} if f.map else value
    return out


@dataclass(frozen=True)
class Case:
    """One call: which operation, as whom, with what, and what must come back
    ("ok" or an error code)."""

    op: Operation
    what: str
    token: str | None
    input: dict[str, Any] | None
    prefer: str | None
    expect: str


def _lower(auth: str) -> str | None:
    """A caller with less access than the level, who is still signed in."""
    rank = AUTH_ORDER.index(auth)
    return "user" if rank > AUTH_ORDER.index("user") else None


def _invalid(spec: Spec, op: Operation, valid: dict[str, Any]) -> dict[str, Any] | None:
    """An input the server rejects: a required field left out, else a value of the
    wrong type; None when the model takes anything."""
    model = spec.model(op.input) if op.input else None
    if model is None:
        return None
    required = [f.name for f in model.fields if not (f.optional or f.has_default)]
    if required:
        return {k: v for k, v in valid.items() if k != required[0]}
    typed = [f for f in model.fields if f.type.kind == "enum" or f.type.name in SCALAR_SAMPLES]
    return {typed[0].name: "not-a-valid-value"} if typed else None


def cases(spec: Spec) -> list[Case]:
    found: list[Case] = []
    for op in spec.operations:
        auth = op.policy.auth
        token = None if auth == "anonymous" else auth
        valid = sample(spec, spec.model(op.input)) if op.input else None
        found.append(Case(op, "success", token, valid, None, "ok"))
        for e in op.errors:
            found.append(Case(op, e.code, token, valid, e.code, e.code))
        invalid = _invalid(spec, op, valid or {})
        if invalid is not None:
            found.append(Case(op, "422", token, invalid, None, "VALIDATION_FAILED"))
        if auth != "anonymous":
            found.append(Case(op, "401", None, valid, None, "UNAUTHENTICATED"))
            lower = _lower(auth)
            prefer = None if lower else "FORBIDDEN"
            found.append(Case(op, "403", lower or token, valid, prefer, "FORBIDDEN"))
    return found


# -- the server and the generated code ---------------------------------------------------


@dataclass(frozen=True)
class World:
    spec: Spec
    url: str
    generated: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(url: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text(encoding='utf-8')}")
        try:
            httpx.get(url + "/", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start within 60 s")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("e2e")
    contracts = Path(os.environ.get("CONTRACTGEN_E2E_CONTRACTS", REPO / "contracts"))
    result = load(contracts)
    assert result.ok and result.spec is not None, result.diagnostics
    for f in render_all(result.spec, Options(), ["python", "typescript"]):
        target = root / "generated" / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")
    given = os.environ.get("CONTRACTGEN_E2E_URL")
    if given:
        yield World(result.spec, given.rstrip("/"), root / "generated")
        return
    (root / "pyproject.toml").write_text(
        f'[tool.contractgen]\ncontracts = {json.dumps(str(contracts))}\noutput = "generated"\n',
        encoding="utf-8",
    )
    port = _free_port()
    env = {
        **os.environ,
        "CONTRACTGEN_PROJECT": str(root),
        "PYTHONPATH": str(root / "generated" / "python"),
    }
    factory = "contractgen.runtime.serving:mock_from_environment"
    args = [
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    log = (root / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", *args],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, server, root / "server.log")
        yield World(result.spec, url, root / "generated")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def python(world: World) -> Iterator[dict[str, ModuleType]]:
    """Each domain's client, errors and models modules, imported from the output."""
    folder = world.generated / "python"
    domains = [naming.python_package(d) for d in world.spec.domains]
    names = [f"{d}.{part}" for d in domains for part in ("client", "errors", "models")]
    with imported_from(folder, *names) as modules:
        yield modules


def _python_call(
    world: World, modules: dict[str, ModuleType], case: Case, asynchronous: bool
) -> Any:
    package = naming.python_package(case.op.domain)
    client_module, models = modules[f"{package}.client"], modules[f"{package}.models"]
    method = naming.python_client_method(case.op)
    args: list[Any] = []
    if case.op.input:
        model = getattr(models, case.op.input)
        args.append(
            model.model_validate(case.input)
            if case.expect != "VALIDATION_FAILED"
            else _unchecked(model, case.input or {})
        )
    headers = {"Prefer": f"code={case.prefer}"} if case.prefer else {}
    options: dict[str, Any] = {"auth": case.token, "headers": headers}
    if not asynchronous:
        with client_module.Client(world.url, **options) as client:
            return getattr(client, method)(*args)

    async def call() -> Any:
        async with client_module.AsyncClient(world.url, **options) as client:
            return await getattr(client, method)(*args)

    return asyncio.run(call())


def _unchecked(model: Any, wire: dict[str, Any]) -> Any:
    """An input the client sends as it is, for the server to reject (pydantic warns
    that it serializes values of the wrong type: that is the point)."""
    names = {(f.alias or name): name for name, f in model.model_fields.items()}
    built = model.model_construct(**{names[k]: v for k, v in wire.items()})
    dump = built.model_dump

    def quiet_dump(**kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return dump(**kwargs)

    object.__setattr__(built, "model_dump", quiet_dump)
    return built


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_python_client_gets_every_outcome_typed(
    world: World, python: dict[str, ModuleType], asynchronous: bool
) -> None:
    runtime_errors = sys.modules["contractgen_runtime"]
    checked: list[str] = []
    for case in cases(world.spec):
        package = naming.python_package(case.op.domain)
        errors, models = python[f"{package}.errors"], python[f"{package}.models"]
        where = f"{case.op.id} {case.what}"
        if case.expect == "ok":
            value = _python_call(world, python, case, asynchronous)
            if case.op.output is None:
                assert value is None, where
            else:
                assert isinstance(value, getattr(models, case.op.output)), where
        else:
            with pytest.raises(errors.ERRORS[case.expect]) as raised:
                _python_call(world, python, case, asynchronous)
            assert raised.value.code == case.expect, where
            if case.expect == "VALIDATION_FAILED":
                field_errors = python[f"{package}.client"].field_errors(raised.value)
                assert field_errors and all("detail" in e for e in field_errors), where
            if case.expect in ("UNAUTHENTICATED", "FORBIDDEN"):
                standard = naming.pascal(case.expect.lower()) + "Error"
                assert isinstance(raised.value, getattr(runtime_errors, standard)), where
        checked.append(where)
    ops = {c.op.id for c in cases(world.spec)}
    assert ops == {op.id for op in world.spec.operations} and len(checked) > len(ops)


# -- TypeScript -------------------------------------------------------------------------


def _ts_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)


def typescript_driver(spec: Spec, all_cases: list[Case]) -> str:
    """A module that makes every call with the typed clients and prints the outcomes."""
    domains = sorted({c.op.domain for c in all_cases})
    lines = []
    for d in domains:
        package = naming.python_package(d)
        alias = naming.camel(d)
        lines.append(f'import {{ Client as {alias}Client }} from "./{package}/client.js";')
        lines.append(f'import type * as {alias} from "./{package}/models.js";')
    lines += [
        "declare const process: { argv: string[] };",
        "const base = process.argv[2] ?? '';",
        "const outcomes: string[] = [];",
        "type Outcome = { ok: true } | { ok: false; error: { code: string | null } };",
        "function record(result: Outcome): void {",
        "  outcomes.push(result.ok ? 'ok' : (result.error.code ?? 'transport'));",
        "}",
        "function options(token: string | null, prefer: string | null) {",
        "  const headers: Record<string, string> = prefer ? { Prefer: `code=${prefer}` } : {};",
        "  return token ? { baseUrl: base, auth: token, headers } : { baseUrl: base, headers };",
        "}",
    ]
    for c in all_cases:
        alias = naming.camel(c.op.domain)
        call = f"new {alias}Client(options({_ts_value(c.token)}, {_ts_value(c.prefer)}))"
        method = naming.typescript_method(c.op)
        arg = ""
        if c.op.input:
            literal = _ts_value(c.input)
            typed = f"{alias}.{c.op.input}"
            arg = literal if c.expect != "VALIDATION_FAILED" else f"{literal} as unknown as {typed}"
        lines.append(f"record(await {call}.{method}({arg}));")
    lines.append("console.log(JSON.stringify(outcomes));")
    return "\n".join(lines) + "\n"


def test_typescript_client_gets_every_outcome_typed(world: World, tmp_path: Path) -> None:
    tsc = npm_tool("tsc")
    folder = world.generated / "typescript"
    all_cases = cases(world.spec)
    (folder / "driver.ts").write_text(typescript_driver(world.spec, all_cases), encoding="utf-8")
    proc = run_tool([tsc, "-p", folder / "tsconfig.json"], folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    node = subprocess.run(
        ["node", str(folder / "dist" / "driver.js"), world.url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert node.returncode == 0, node.stderr
    outcomes = json.loads(node.stdout)
    got = [(f"{c.op.id} {c.what}", o) for c, o in zip(all_cases, outcomes, strict=True)]
    assert got == [(f"{c.op.id} {c.what}", c.expect) for c in all_cases]
