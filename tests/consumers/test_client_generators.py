"""The bundled OpenAPI document, fed to the client generators users run on it.

- openapi-python-client (test extras) generates a client with no warning, and
  every declared error response of every operation becomes a typed model;
- openapi-typescript (npm) writes types that TypeScript (npm) compiles under
  ``--strict``.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest
import yaml

from contractgen.config import load_config
from contractgen.load import load
from contractgen.surfaces import Options, render_all

from .tools import HERE, npm_tool, run

REPO = HERE.parents[1]


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The merged OpenAPI document of the bundled contracts, written out."""
    result = load(REPO / "contracts")
    assert result.ok and result.spec is not None
    options = Options.from_config(load_config(REPO))
    files = render_all(result.spec, options, ["openapi"])
    (merged,) = [f for f in files if f.path == "openapi/openapi.yaml"]
    path = tmp_path_factory.mktemp("clients") / "openapi.yaml"
    path.write_text(merged.content, encoding="utf-8")
    return path


def _declared(document: Path) -> dict[str, set[str]]:
    """operationId -> the problem schemas its error responses name (oneOf members too)."""
    doc = yaml.safe_load(document.read_text(encoding="utf-8"))
    responses = doc["components"]["responses"]
    found: dict[str, set[str]] = {}
    for item in doc["paths"].values():
        for op in item.values():
            names: set[str] = set()
            for status, response in op["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                if "$ref" in response:
                    response = responses[response["$ref"].rsplit("/", 1)[1]]
                schema = response["content"]["application/problem+json"]["schema"]
                for ref in [schema, *schema.get("oneOf", [])]:
                    if "$ref" in ref:
                        names.add(ref["$ref"].rsplit("/", 1)[1])
            found[op["operationId"]] = names
    return found


def test_openapi_python_client_types_every_error(document: Path, tmp_path: Path) -> None:
    tool = Path(sys.executable).parent / "openapi-python-client"
    if not tool.is_file():
        pytest.skip("openapi-python-client is not installed: pip install -e '.[test]'")
    args: list[str | Path] = ["generate", "--path", document, "--meta", "none"]
    proc = run([tool, *args, "--output-path", tmp_path / "client", "--fail-on-warning"], tmp_path)
    assert proc.returncode == 0 and "Warning" not in proc.stdout, proc.stdout + proc.stderr
    modules = {p.stem: p for p in (tmp_path / "client" / "api").rglob("*.py")}
    for operation_id, problems in _declared(document).items():
        module = modules[_snake(operation_id)]
        imported = {
            alias.name
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert problems and problems <= imported, (operation_id, problems - imported)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def test_openapi_typescript_output_compiles_under_strict(document: Path, tmp_path: Path) -> None:
    generator, tsc = npm_tool("openapi-typescript"), npm_tool("tsc")
    types = tmp_path / "api.ts"
    proc = run([generator, document, "--output", types], tmp_path)
    assert proc.returncode == 0 and types.is_file(), proc.stdout + proc.stderr
    assert "MetricNotFoundProblem" in types.read_text(encoding="utf-8")
    flags = ["--strict", "--noEmit", "--target", "es2022", "--module", "es2022"]
    proc = run([tsc, *flags, types], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


#: Code a user writes with the generated clients of the bundled contracts.
USES_THE_CLIENTS = """\
import asyncio

import httpx
from metering.client import AsyncClient, Client, Retry, TransportError, field_errors
from metering.errors import MetricNotFoundError, ValidationFailedError
from metering.models import GetMetricInput, MetricDefinition


def fetch(token: str) -> str:
    client = Client("https://api.test", auth=token, timeout=httpx.Timeout(5.0))
    with client:
        try:
            found: MetricDefinition = client.metric_get(GetMetricInput(key="api_calls"))
        except MetricNotFoundError as error:
            return error.code
        except ValidationFailedError as error:
            return ", ".join(e.get("detail", "") for e in field_errors(error))
        except TransportError as error:
            return f"{error.status}: {error.body}"
    return found.name


async def fetch_async() -> str:
    client = AsyncClient(
        "https://api.test", auth=lambda: "token", headers={"X-Trace": "1"}, retry=Retry(attempts=1)
    )
    async with client:
        found = await client.metric_get(GetMetricInput(key="api_calls"))
    return found.name


print(fetch("t"), asyncio.run(fetch_async()))
"""


def test_code_using_the_clients_passes_mypy_and_pyright_strict(tmp_path: Path) -> None:
    generated = REPO / "generated" / "python"
    (tmp_path / "uses.py").write_text(USES_THE_CLIENTS, encoding="utf-8")
    env_path = {"MYPYPATH": str(generated)}
    proc = run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "", "uses.py"],
        tmp_path,
        env_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pyright = npm_tool("pyright")
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "extraPaths": [str(generated)]}
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    proc = run([pyright, "--outputjson", "--pythonpath", sys.executable], tmp_path)
    report = json.loads(proc.stdout)
    found = [d["message"] for d in report["generalDiagnostics"]]
    assert found == [] and proc.returncode == 0, found or proc.stderr
